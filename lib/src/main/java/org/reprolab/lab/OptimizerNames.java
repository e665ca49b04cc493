package org.reprolab.lab;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleFunction;
import java.util.stream.Collectors;
import org.reprolab.optim.Chain;
import org.reprolab.optim.Elementwise;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Transform;
import org.reprolab.optim.Transforms;

/**
 * Names a chain as the factory that built it with the hyper-parameters that differ from that
 * factory's defaults: {@code adam(1e-2)} is "Adam(lr=0.01)", {@code adam(0.1).with("beta1", 0.95)} is
 * "Adam(lr=0.1, beta1=0.95)". A chain is matched to the {@link Optimizers} factory whose parts have the
 * same classes in the same order, rebuilt with the chain's learning rate, and compared part by part.
 */
final class OptimizerNames {
    private OptimizerNames() {}

    private record Factory(String name, DoubleFunction<Chain> build) {}

    private static final List<Factory> FACTORIES = List.of(
            new Factory("SGD", Optimizers::sgd), new Factory("Adam", Optimizers::adam), new Factory("AdamW", Optimizers::adamw),
            new Factory("NAdam", Optimizers::nadam), new Factory("RAdam", Optimizers::radam), new Factory("Adagrad", Optimizers::adagrad),
            new Factory("RMSprop", Optimizers::rmsprop), new Factory("LAMB", Optimizers::lamb), new Factory("AdaBelief", Optimizers::adaBelief),
            new Factory("diffGrad", Optimizers::diffGrad), new Factory("Adan", Optimizers::adan), new Factory("Lion", Optimizers::lion),
            new Factory("SGD-SaI", Optimizers::sgdSai), new Factory("Sophia-G", lr -> Optimizers.sophiaG(lr, 1)),
            new Factory("Sophia-H", Optimizers::sophiaH), new Factory("AdaHessian", Optimizers::adaHessian),
            new Factory("EXAdam", Optimizers::exAdam), new Factory("Stable-SPAM", Optimizers::stableSpam),
            new Factory("AdamP", Optimizers::adamP), new Factory("SGDP", lr -> Optimizers.sgdP(lr, 0)), new Factory("M-FAC", Optimizers::mfac));

    /** The display name of {@code chain}, leaving out the hyper-parameters in {@code swept}. */
    static String name(Transform chain, Set<String> swept) {
        List<Elementwise> parts = chain.flatten();
        double lr = parts.stream().filter(p -> p instanceof Transforms.ScaleByLearningRate).findFirst()
                .map(p -> ((Transforms.ScaleByLearningRate) p).lr()).orElse(Double.NaN);
        Set<String> skip = swept.stream().map(OptimizerNames::norm).collect(Collectors.toSet());
        Map<String, Object> shown = new LinkedHashMap<>();
        if (!Double.isNaN(lr) && !skip.contains("lr")) shown.put("lr", lr);
        for (Factory f : FACTORIES) {
            List<Elementwise> ref = f.build().apply(Double.isNaN(lr) ? 1e-3 : lr).flatten();
            if (!sameShape(parts, ref)) continue;
            for (int i = 0; i < parts.size(); i++) differences(parts.get(i), ref.get(i), skip, shown);
            return f.name() + args(shown);
        }
        String core = parts.stream().map(p -> p.getClass().getSimpleName()).filter(n -> n.startsWith("ScaleBy") && !n.equals("ScaleByLearningRate"))
                .findFirst().map(n -> n.substring("ScaleBy".length())).orElse(parts.getFirst().name());
        return core + args(shown);
    }

    private static String args(Map<String, Object> shown) {
        return shown.isEmpty() ? "" : "(" + Format.point(shown) + ")";
    }

    private static boolean sameShape(List<Elementwise> a, List<Elementwise> b) {
        if (a.size() != b.size()) return false;
        for (int i = 0; i < a.size(); i++) if (a.get(i).getClass() != b.get(i).getClass()) return false;
        return true;
    }

    private static void differences(Elementwise part, Elementwise ref, Set<String> skip, Map<String, Object> shown) {
        if (!part.getClass().isRecord()) return;
        for (RecordComponent rc : part.getClass().getRecordComponents()) {
            if (rc.getName().equals("lr") || skip.contains(norm(rc.getName()))) continue;
            try {
                rc.getAccessor().setAccessible(true);
                Object mine = rc.getAccessor().invoke(part), theirs = rc.getAccessor().invoke(ref);
                if (!Objects.equals(mine, theirs)) shown.put(rc.getName(), mine);
            } catch (ReflectiveOperationException | RuntimeException e) {
                // a part we cannot read is left out of the name, never fatal
            }
        }
    }

    private static String norm(String name) {
        return name.replace("_", "").toLowerCase(Locale.ROOT);
    }
}
