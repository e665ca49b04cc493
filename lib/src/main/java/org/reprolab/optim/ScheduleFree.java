package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Evaluation of a schedule-free run ({@link ScaleByScheduleFree}) at the averaged point {@code x}: while
 * training the parameters hold {@code y}; the code's {@code optimizer.eval()} moves them to
 * {@code x = lerp(y, z, 1 - 1/beta1)} and {@code optimizer.train()} back by
 * {@code y = lerp(x, z, 1 - beta1)}. Here {@link #atAverage} moves them to {@code x} as {@code eval()}
 * does and {@link Average#close()} restores the saved {@code y} bit for bit (the code's round trip
 * through {@code x} changes the last bits of {@code y}):
 *
 * <pre>{@code
 * try (var _ = ScheduleFree.atAverage(opt, model.parameters())) {
 *     testLoss = evaluate(model);
 * }
 * }</pre>
 */
public final class ScheduleFree {
    private ScheduleFree() {}

    /** The parameters moved to {@code x}; closing puts {@code y} back. */
    public static final class Average implements AutoCloseable {
        private final List<Tensor> params = new ArrayList<>();
        private final List<double[]> ys = new ArrayList<>();
        private boolean closed;

        private Average() {}

        @Override
        public void close() {
            if (closed) return;
            closed = true;
            try (var _ = Autodiff.noGrad()) {
                for (int i = 0; i < params.size(); i++) set(params.get(i), ys.get(i));
            }
        }
    }

    /**
     * Moves every parameter that a schedule-free chain of {@code opt} has stepped to its average
     * {@code x}; parameters of other chains, or not stepped yet, stay. {@code params} are the tensors
     * {@code opt} was built over.
     */
    public static Average atAverage(Optimizer opt, Map<String, Tensor> params) {
        OptimizerState state = opt.state();
        Average avg = new Average();
        try (var _ = Autodiff.noGrad()) {
            for (String g : opt.groupNames()) {
                List<Elementwise> parts = opt.chain(g).flatten();
                for (int k = 0; k < parts.size(); k++) {
                    if (!(parts.get(k) instanceof ScaleByScheduleFree sf)) continue;
                    String key = k + "." + sf.name() + ".z";
                    for (String name : opt.groupParams(g)) {
                        OptimizerState.ParamState ps = state.params().get(name);
                        if (ps.step() == 0) continue;
                        Tensor p = params.get(name);
                        if (p == null) throw new IllegalArgumentException("schedule-free average: no tensor for parameter '" + name
                                + "' in the map given; pass the parameters the optimizer was built over");
                        double[] y = p.toDoubleArray(), z = ps.slots().get(key), x = new double[y.length];
                        double w = 1 - 1 / sf.beta1();
                        for (int i = 0; i < y.length; i++) x[i] = lerp(y[i], z[i], w);
                        avg.params.add(p);
                        avg.ys.add(y);
                        set(p, x);
                    }
                }
            }
        }
        return avg;
    }

    /** torch's {@code lerp}: {@code a + w (b - a)} for {@code w < 0.5}, else {@code b - (b - a)(1 - w)}. */
    static double lerp(double a, double b, double w) {
        return w < 0.5 ? a + w * (b - a) : b - (b - a) * (1 - w);
    }

    private static void set(Tensor p, double[] v) {
        p.assign(Tensor.of(v, p.shape()).to(p.dtype()));
    }
}
