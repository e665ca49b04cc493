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

    /** The mean loss over the examples {@code rows} (indices in [0, n)), a scalar tensor built from {@code params}. */
    @FunctionalInterface
    public interface Minibatch {
        Tensor on(Map<String, Tensor> params, int[] rows);
    }

    private final String name;
    private final LongFunction<Map<String, Tensor>> init;
    private final Loss loss;
    private final Minibatch minibatch;
    private final int examples;
    private int batch;

    LossExperiment(String name, LongFunction<Map<String, Tensor>> init, Loss loss) {
        this(name, init, Objects.requireNonNull(loss, "loss"), null, 0);
    }

    LossExperiment(String name, LongFunction<Map<String, Tensor>> init, int examples, Minibatch minibatch) {
        this(name, init, null, Objects.requireNonNull(minibatch, "loss"), examples);
        if (examples < 1) throw new IllegalArgumentException("optimize(" + name + "): the number of examples must be >= 1, got " + examples);
    }

    private LossExperiment(String name, LongFunction<Map<String, Tensor>> init, Loss loss, Minibatch minibatch, int examples) {
        super("optimize", "step", 1000, name);
        if (name == null || name.isBlank()) throw new IllegalArgumentException("optimize: the loss needs a name (the figures' title)");
        this.name = name;
        this.init = Objects.requireNonNull(init, "init");
        this.loss = loss;
        this.minibatch = minibatch;
        this.examples = examples;
        this.batch = examples;
    }

    /**
     * Examples per step for a {@link Minibatch} loss (default all n: gradient descent); {@code sweep("batch", ...)}
     * sets it per run, and the label carries it.
     */
    public LossExperiment batch(int size) {
        this.batch = checkedBatch(size);
        return this;
    }

    private int checkedBatch(int size) {
        if (minibatch == null) throw new IllegalArgumentException("optimize(" + name + "): batch needs a minibatch loss, Lab.optimize(name, init, n, (params, rows) -> ...)");
        if (size < 1 || size > examples) throw new IllegalArgumentException("optimize(" + name + "): batch must be between 1 and the " + examples + " examples, got " + size);
        return size;
    }

    @Override
    boolean sweepsOption(String option, Object value) {
        if (!option.equals("batch") || minibatch == null) return false;
        if (!(value instanceof Integer size)) throw new IllegalArgumentException("the batch size must be an integer, got " + value);
        checkedBatch(size);
        return true;
    }

    /** Step {@code t}'s examples: all n in order at full batch, else {@code size} drawn without replacement from the run's seed and t. */
    static int[] rows(int n, int size, long seed, int t) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        if (size == n) return order;
        java.util.SplittableRandom random = new java.util.SplittableRandom(seed * 0x9E3779B97F4A7C15L + t);
        for (int i = 0; i < size; i++) { // the first `size` places of a Fisher–Yates shuffle
            int j = i + random.nextInt(n - i);
            int swap = order[i];
            order[i] = order[j];
            order[j] = swap;
        }
        return java.util.Arrays.copyOf(order, size);
    }

    /** The loss the step descends: the user's at step t, or the minibatch mean over the step's rows. */
    private Tensor stepLoss(Map<String, Tensor> params, int t, long seed, int size) {
        return minibatch == null ? loss.at(params, t) : minibatch.on(params, rows(examples, size, seed, t));
    }

    /** The recorded loss: the step's, or for a finite sum the full objective over all n examples. */
    private double recordedLoss(Map<String, Tensor> params, int t, long seed, int size, Tensor stepped) {
        if (minibatch == null || size == examples) return stepped.item();
        try (var off = Autodiff.noGrad()) {
            return minibatch.on(params, rows(examples, examples, seed, t)).item();
        }
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
        long seed = TrainExperiment.seedOf(cell.key());
        int size = (Integer) cell.point().getOrDefault("batch", batch);
        Map<String, Tensor> params = new LinkedHashMap<>(init.apply(seed));
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
                        l = stepLoss(params, t, seed, size);
                    }
                } else {
                    opt.zeroGrad();
                    l = stepLoss(params, t, seed, size);
                }
                if (l.numel() != 1) throw new IllegalArgumentException("optimize(" + name + "): the loss at step " + t + " has " + l.numel() + " elements, need a scalar");
                row[0] = recordedLoss(params, t, seed, size, l);
                tracker.measure(t, () -> Tracker.values(params), row, 1);
                if (!rec.record(row) || last) break;
                l.backward();
                tracker.gradient(() -> gradients(params));
                opt.step();
            }
        }
        tracker.finals(scalars);
        keep(cell, Tracker.values(params));
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
