package org.reprolab.lab;

import java.lang.reflect.RecordComponent;
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

    private record Factory(String name, DoubleFunction<Chain> build) {
        /** The classes of the factory's parts in order: its shape, independent of the learning rate. */
        List<Class<?>> shape() {
            return build.apply(1e-3).flatten().stream().<Class<?>>map(Object::getClass).toList();
        }
    }

    private static final List<Factory> FACTORIES = List.of(
            new Factory("SGD", Optimizers::sgd), new Factory("Adam", Optimizers::adam), new Factory("AdamW", Optimizers::adamw),
            new Factory("NAdam", Optimizers::nadam), new Factory("RAdam", Optimizers::radam), new Factory("Adagrad", Optimizers::adagrad),
            new Factory("RMSprop", Optimizers::rmsprop), new Factory("LAMB", Optimizers::lamb), new Factory("AdaBelief", Optimizers::adaBelief),
            new Factory("diffGrad", Optimizers::diffGrad), new Factory("Adan", Optimizers::adan), new Factory("Lion", Optimizers::lion),
            new Factory("SGD-SaI", Optimizers::sgdSai), new Factory("Sophia-G", lr -> Optimizers.sophiaG(lr, 1)),
            new Factory("Sophia-H", Optimizers::sophiaH), new Factory("AdaHessian", Optimizers::adaHessian),
            new Factory("EXAdam", Optimizers::exAdam), new Factory("Stable-SPAM", Optimizers::stableSpam),
            new Factory("AdamP", Optimizers::adamP), new Factory("SGDP", lr -> Optimizers.sgdP(lr, 0)), new Factory("M-FAC", Optimizers::mfac),
            new Factory("MeZO-SGD", lr -> Optimizers.mezo(lr, 1e-3)),
            new Factory("FRUGAL", lr -> Optimizers.frugal(Optimizers.adamw(lr), 0.25, 200)));

    /** Each factory's shape, computed once: naming a chain then builds only the factory it matches. */
    private static final Map<Factory, List<Class<?>>> SHAPES = shapes();

    private static Map<Factory, List<Class<?>>> shapes() {
        Map<Factory, List<Class<?>>> m = new LinkedHashMap<>();
        for (Factory f : FACTORIES) m.put(f, f.shape());
        return m;
    }

    private record Key(Transform chain, Set<String> swept) {}

    /** Names already derived (chains are values, so a re-run cell's equal chains hit): naming reflects over records, slow when cold. */
    private static final Map<Key, String> CACHE = java.util.Collections.synchronizedMap(new LinkedHashMap<>(64, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Key, String> eldest) {
            return size() > 256;
        }
    });

    /** The display name of {@code chain}, leaving out the hyper-parameters in {@code swept}. */
    static String name(Transform chain, Set<String> swept) {
        Key key = new Key(chain, Set.copyOf(swept));
        String name = CACHE.get(key);
        if (name == null) {
            name = derive(chain, swept);
            CACHE.put(key, name);
        }
        return name;
    }

    private static String derive(Transform chain, Set<String> swept) {
        List<Elementwise> parts = chain.flatten();
        double lr = parts.stream().filter(p -> p instanceof Transforms.ScaleByLearningRate).findFirst()
                .map(p -> ((Transforms.ScaleByLearningRate) p).lr()).orElse(Double.NaN);
        Set<String> skip = swept.stream().map(OptimizerNames::norm).collect(Collectors.toSet());
        Map<String, Object> shown = new LinkedHashMap<>();
        if (!Double.isNaN(lr) && !skip.contains("lr")) shown.put("lr", lr);
        List<Class<?>> shape = parts.stream().<Class<?>>map(Object::getClass).toList();
        for (var known : SHAPES.entrySet()) {
            if (!known.getValue().equals(shape)) continue;
            Factory f = known.getKey();
            List<Elementwise> ref = f.build().apply(Double.isNaN(lr) ? 1e-3 : lr).flatten();
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
