package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * {@code Lab.optimize(name, init, loss)}: optimizers minimising a loss written on named tensors, the
 * training loop of an Optax or PyTorch script without a data loader: {@code init} builds the
 * parameters from the run's seed, {@code loss.at(params, t)} is the loss at step {@code t} (draw the
 * step's minibatch from {@code t}, so every method sees the same batches). Named parameters keep
 * their shapes, so per-layer optimizers (AdamP's per-row projection, LAMB's trust ratio) act as in a
 * network. History index {@code t} is the state after {@code t} steps: the loss there on batch
 * {@code t} and any {@link #track tracked} metrics.
 */
public final class LossExperiment extends OptimizerExperiment<LossExperiment> {

    /** The loss of the parameters at step {@code t}, a scalar tensor built from {@code params} (so autodiff reaches them). */
    @FunctionalInterface
    public interface Loss {
        Tensor at(Map<String, Tensor> params, int step);
    }

    private final String name;
    private final LongFunction<Map<String, Tensor>> init;
    private final Loss loss;

    LossExperiment(String name, LongFunction<Map<String, Tensor>> init, Loss loss) {
        super("optimize", "step", 1000, name);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("optimize: the loss needs a name (the figures' title)");
        this.name = name;
        this.init = Objects.requireNonNull(init, "init");
        this.loss = Objects.requireNonNull(loss, "loss");
    }

    /** Index 0 is the loss at the initial parameters, before the first step. */
    @Override
    boolean startsAtZero() {
        return true;
    }

    /** How many optimizer steps each run takes (default 1000). */
    public LossExperiment steps(int n) {
        return budget("steps", n);
    }

    @Override
    String pillarName() {
        return "optimize";
    }

    @Override
    List<String> baseSeries() {
        return List.of("loss");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("loss"));
    }

    @Override
    Map<String, Double> execute(Cell<Transform> cell, Recorder rec) {
        Map<String, Tensor> params = new LinkedHashMap<>(init.apply(TrainExperiment.seedOf(cell.key())));
        if (params.isEmpty()) throw new IllegalArgumentException("optimize(" + name + "): init returned no parameters");
        params.replaceAll((k, v) -> {
            Tensor t = cell.device() != null ? v.to(cell.device()) : v;
            return t.requiresGrad() ? t : t.requiresGrad(true);
        });
        Tracker tracker = tracker();
        double[] row = new double[1 + tracker.size()];
        Map<String, Double> scalars = new LinkedHashMap<>();
        tracker.gradient(() -> zeros(params));
        try (Optimizer opt = Optimizer.of(params, cell.value())) {
            if (opt.needsAux("hessian")) {
                throw new IllegalArgumentException("optimize: method " + cell.method() + " needs curvature input 'hessian'; Lab.optimize feeds gradients only");
            }
            scalars.put("state_bytes", (double) opt.stateBytes());
            for (int t = 0; t <= cell.budget(); t++) {
                boolean last = t == cell.budget();
                Tensor l;
                if (last) {
                    try (var off = Autodiff.noGrad()) {
                        l = loss.at(params, t);
                    }
                } else {
                    opt.zeroGrad();
                    l = loss.at(params, t);
                }
                if (l.numel() != 1) throw new IllegalArgumentException("optimize(" + name + "): the loss at step " + t + " has " + l.numel() + " elements, need a scalar");
                row[0] = l.item();
                tracker.measure(t, () -> Tracker.values(params), row, 1);
                if (!rec.record(row) || last) break;
                l.backward();
                tracker.gradient(() -> gradients(params));
                opt.step();
            }
        }
        tracker.finals(scalars);
        return scalars;
    }

    private static Map<String, double[]> zeros(Map<String, Tensor> params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, new double[(int) v.numel()]));
        return out;
    }

    /** Each parameter's gradient, copied before the optimizer step (zeros for a parameter the loss does not reach). */
    private static Map<String, double[]> gradients(Map<String, Tensor> params) {
        Map<String, double[]> out = new LinkedHashMap<>();
        params.forEach((k, v) -> out.put(k, v.grad() != null ? v.grad().toDoubleArray() : new double[(int) v.numel()]));
        return out;
    }
}
