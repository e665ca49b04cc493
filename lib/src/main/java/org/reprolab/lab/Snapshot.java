package org.reprolab.lab;

import java.util.List;
import java.util.Map;

/**
 * What a tracked metric ({@code .track("norm", s -> s.norm())}) sees after each budget unit: every
 * parameter's values now and one unit before, by name ({@code "x"} for {@code Lab.optimize} on a test
 * function; the model's parameter names for {@code Lab.train}; the map's keys for a tensor loss).
 * The helpers are the diagnostics optimizer papers plot: the weight norm (AdamP's scale-invariant
 * weights, Heo et al. 2021), the infinity norm (Lion's box {@code |x|∞ <= 1/λ}, Chen et al. 2023) and
 * the relative update {@code ||θ_t - θ_{t-1}|| / ||θ_{t-1}||} (the "effective step size" of AdamP,
 * LARS' and LAMB's trust ratio). Before the first unit there is no earlier state: updates are 0.
 */
public final class Snapshot {
    private final int unit;
    private final Map<String, double[]> now;
    private final Map<String, double[]> before;
    private final Map<String, double[]> gradient;
    private double[] pointSum;
    private int points;
    private final Map<Object, double[]> shared = new java.util.IdentityHashMap<>();

    Snapshot(int unit, Map<String, double[]> now, Map<String, double[]> before) {
        this(unit, now, before, null);
    }

    /** With the gradient of the step that led here ({@code null} where the pillar does not keep it). */
    Snapshot(int unit, Map<String, double[]> now, Map<String, double[]> before, Map<String, double[]> gradient) {
        this.unit = unit;
        this.now = now;
        this.before = before != null ? before : now;
        this.gradient = gradient;
    }

    /** The budget unit just finished (0: the start, for step-based runs). */
    public int unit() {
        return unit;
    }

    /** The parameter names. */
    public List<String> names() {
        return List.copyOf(now.keySet());
    }

    /** The values of parameter {@code name} now (flattened, a copy). */
    public double[] values(String name) {
        return lookup(now, name).clone();
    }

    /**
     * Every parameter's values now as one flat vector, in name order: the point {@code x} of
     * {@code Lab.optimize} on a test function, so a function of the point tracks as
     * {@code .track("sharpness", s -> sharpness.applyAsDouble(s.point()))}.
     */
    public double[] point() {
        return now.values().stream().flatMapToDouble(java.util.Arrays::stream).toArray();
    }

    /**
     * The uniform (Polyak–Ruppert) average of the points of every unit measured so far, this one included
     * (from step 0 for {@code Lab.optimize}, from the first epoch for {@code Lab.train}), in {@link #point()}'s
     * layout: the averaged iterate that SGD's classical guarantees are about, tracked beside the last one,
     * {@code .track("averaged", s -> f(s.averagePoint()))} (Liu and Zhou, ICLR 2024, compare the two).
     */
    public double[] averagePoint() {
        if (pointSum == null) throw new IllegalStateException("track: no average of the points here");
        double[] mean = new double[pointSum.length];
        for (int i = 0; i < mean.length; i++) mean[i] = pointSum[i] / points;
        return mean;
    }

    /** Set by the tracker, which keeps the running sum of the points. */
    void average(double[] sum, int count) {
        this.pointSum = sum;
        this.points = count;
    }

    /**
     * Copies every parameter of this snapshot into the parameter of the same name of {@code module} (a model
     * built like the trained one, e.g. from the same factory) and returns it: the trained network as it was
     * after this unit, to evaluate on data, as the information-plane analysis reads each layer's activations at
     * every epoch (Shwartz-Ziv and Tishby 2017). Fails naming a parameter the module lacks or shapes that differ.
     */
    public <M extends org.reprolab.nn.Module> M into(M module) {
        Map<String, org.reprolab.tensor.Tensor> target = module.parameters();
        try (var off = org.reprolab.tensor.Autodiff.noGrad()) {
            now.forEach((name, values) -> {
                var p = target.get(name);
                if (p == null) throw new IllegalArgumentException("Snapshot.into: the module has no parameter '" + name + "'; it has " + target.keySet());
                if (p.numel() != values.length) {
                    throw new IllegalArgumentException("Snapshot.into: parameter '" + name + "' has " + p.numel() + " values in the module, " + values.length + " here");
                }
                p.assign(org.reprolab.tensor.Tensor.of(values, p.shape()));
            });
        }
        return module;
    }

    /** {@code metric} of this snapshot, computed once however many tracked names read it (a vector-valued track). */
    double[] shared(Object key, java.util.function.Function<Snapshot, double[]> metric) {
        double[] v = shared.get(key);
        if (v == null) {
            v = metric.apply(this);
            shared.put(key, v);
        }
        return v;
    }

    /** The values of parameter {@code name} one unit before. */
    public double[] before(String name) {
        return lookup(before, name).clone();
    }

    /** The L2 norm of every parameter together. */
    public double norm() {
        return Math.sqrt(now.values().stream().mapToDouble(Snapshot::squares).sum());
    }

    /** The L2 (Frobenius) norm of parameter {@code name}. */
    public double norm(String name) {
        return Math.sqrt(squares(lookup(now, name)));
    }

    /** The largest absolute value over every parameter: the infinity norm. */
    public double maxAbs() {
        return now.values().stream().mapToDouble(Snapshot::maxAbs).max().orElse(0);
    }

    /** The largest absolute value of parameter {@code name}. */
    public double maxAbs(String name) {
        return maxAbs(lookup(now, name));
    }

    /** {@code ||θ_t - θ_{t-1}||} over every parameter: the size of the last update. */
    public double update() {
        return Math.sqrt(now.keySet().stream().mapToDouble(n -> differenceSquares(n)).sum());
    }

    /** {@code ||θ_t - θ_{t-1}||} of parameter {@code name}. */
    public double update(String name) {
        return Math.sqrt(differenceSquares(name));
    }

    /** {@code ||θ_t - θ_{t-1}|| / ||θ_{t-1}||} over every parameter (0 when nothing moved). */
    public double relativeUpdate() {
        double u = update();
        return u == 0 ? 0 : u / Math.sqrt(before.values().stream().mapToDouble(Snapshot::squares).sum());
    }

    /** {@code ||θ_t - θ_{t-1}|| / ||θ_{t-1}||} of parameter {@code name}: its effective step size (0 when it did not move). */
    public double relativeUpdate(String name) {
        double u = update(name);
        return u == 0 ? 0 : u / Math.sqrt(squares(lookup(before, name)));
    }

    /**
     * The gradient of the loss at {@code θ_{t-1}} that the optimizer was given for the step to {@code θ_t}, by
     * parameter (flattened, a copy); zeros before the first step. Recorded by {@code Lab.optimize} on a loss of
     * named tensors, where it is what schedule refinement (Defazio et al. 2023) reads: {@code .track("grad_norm",
     * Snapshot::gradientNorm)}; other pillars fail here, naming the pillar that has it.
     */
    public double[] gradient(String name) {
        return lookup(gradients(), name).clone();
    }

    /** The L2 norm of the step's whole gradient, {@code ||g_{t-1}||₂} (0 before the first step). */
    public double gradientNorm() {
        return Math.sqrt(gradients().values().stream().mapToDouble(Snapshot::squares).sum());
    }

    /** The ℓ1 norm of the step's whole gradient, {@code ||g_{t-1}||₁}: the norm of the Adam-type refinement (0 before the first step). */
    public double gradientL1() {
        return gradients().values().stream().flatMapToDouble(java.util.Arrays::stream).map(Math::abs).sum();
    }

    private Map<String, double[]> gradients() {
        if (gradient == null) {
            throw new IllegalStateException("track: this pillar does not keep gradients; Lab.optimize(name, init, loss) does (a loss of named tensors)");
        }
        return gradient;
    }

    private double differenceSquares(String name) {
        double[] a = lookup(now, name), b = lookup(before, name);
        double s = 0;
        for (int i = 0; i < a.length; i++) s += (a[i] - b[i]) * (a[i] - b[i]);
        return s;
    }

    private static double squares(double[] v) {
        double s = 0;
        for (double x : v) s += x * x;
        return s;
    }

    private static double maxAbs(double[] v) {
        double m = 0;
        for (double x : v) m = Math.max(m, Math.abs(x));
        return m;
    }

    private static double[] lookup(Map<String, double[]> values, String name) {
        double[] v = values.get(name);
        if (v == null) throw new IllegalArgumentException("track: no parameter '" + name + "'; parameters: " + values.keySet());
        return v;
    }
}
