package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Parameters moved for evaluation to a point that a chain link keeps in a slot (schedule-free's
 * average {@link ScheduleFree#atAverage}, Lookahead's slow weights {@link Lookahead#atSlowWeights});
 * {@link #close()} puts the training values back bit for bit.
 */
public final class SwappedParams implements AutoCloseable {
    private final List<Tensor> params = new ArrayList<>();
    private final List<double[]> saved = new ArrayList<>();
    private boolean closed;

    private SwappedParams() {}

    /** The evaluation value of one element from its training value and the link's slot value. */
    @FunctionalInterface
    interface Point<E extends Elementwise> {
        double at(E part, double param, double slot);
    }

    /**
     * Moves every parameter that a link of type {@code type} in its group's chain has stepped to
     * {@code point(param, slot)}; parameters of other chains, or not stepped yet, stay.
     */
    static <E extends Elementwise> SwappedParams of(Optimizer opt, Map<String, Tensor> params, Class<E> type, String slot,
            Point<E> point) {
        OptimizerState state = opt.state();
        SwappedParams out = new SwappedParams();
        try (var _ = Autodiff.noGrad()) {
            for (String g : opt.groupNames()) {
                List<Elementwise> parts = opt.chain(g).flatten();
                for (int k = 0; k < parts.size(); k++) {
                    if (!type.isInstance(parts.get(k))) continue;
                    E part = type.cast(parts.get(k));
                    String key = k + "." + part.name() + "." + slot;
                    for (String name : opt.groupParams(g)) {
                        OptimizerState.ParamState ps = state.params().get(name);
                        if (ps.step() == 0) continue;
                        Tensor p = params.get(name);
                        if (p == null) throw new IllegalArgumentException(part.name() + ": no tensor for parameter '" + name
                                + "' in the map given; pass the parameters the optimizer was built over");
                        double[] y = p.toDoubleArray(), z = ps.slots().get(key), x = new double[y.length];
                        for (int i = 0; i < y.length; i++) x[i] = point.at(part, y[i], z[i]);
                        out.params.add(p);
                        out.saved.add(y);
                        set(p, x);
                    }
                }
            }
        }
        return out;
    }

    /** Puts the training values back (once). */
    @Override
    public void close() {
        if (closed) return;
        closed = true;
        try (var _ = Autodiff.noGrad()) {
            for (int i = 0; i < params.size(); i++) set(params.get(i), saved.get(i));
        }
    }

    private static void set(Tensor p, double[] v) {
        p.assign(Tensor.of(v, p.shape()).to(p.dtype()));
    }
}
