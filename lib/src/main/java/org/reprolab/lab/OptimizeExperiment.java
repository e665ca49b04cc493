package org.reprolab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Transform;
import org.reprolab.problems.Objective;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.Philox;

/**
 * {@code Lab.optimize(objective)}: optimizers descending a test function from one start, fed its
 * exact gradient (plus Gaussian noise of a given size, if asked, drawn from each seed's key). Each
 * run records the loss and the point at every step, step 0 being the start; the table adds the
 * distance to the known minimiser and the optimizer's state bytes.
 */
public final class OptimizeExperiment extends OptimizerExperiment<OptimizeExperiment> {
    private final Objective objective;
    private double[] start;
    private double noise;
    private final Map<String, ToDoubleFunction<double[]>> tracked = new LinkedHashMap<>();

    OptimizeExperiment(Objective objective) {
        super("optimize", "step", 1000);
        this.objective = java.util.Objects.requireNonNull(objective, "objective");
    }

    /** The starting point, one coordinate per variable of the objective. */
    public OptimizeExperiment from(double... x0) {
        if (x0.length != objective.dimension()) {
            throw new IllegalArgumentException("optimize: from(...) got " + x0.length + " coordinate" + (x0.length == 1 ? "" : "s") + " but "
                    + objective.name() + " takes " + objective.dimension());
        }
        objective.requireValidPoint(x0);
        this.start = x0.clone();
        return this;
    }

    /** How many optimizer steps each run takes (default 1000). */
    public OptimizeExperiment steps(int n) {
        return budget("steps", n);
    }

    /** Adds N(0, sigma^2) noise to every gradient coordinate, a stochastic-gradient setting that makes seeds differ. */
    public OptimizeExperiment noise(double sigma) {
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("optimize: noise sigma must be finite and >= 0, got " + sigma);
        this.noise = sigma;
        return this;
    }

    /**
     * Records {@code quantity(x)} at every step as its own curve {@code name}, beside the loss and the
     * point: a mode strength, a distance, the sharpness ({@code Sharpness.of(loss)}), any function of
     * the current point. A non-finite value ends the run as diverged, like a non-finite loss.
     */
    public OptimizeExperiment track(String name, ToDoubleFunction<double[]> quantity) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("optimize: track needs a name");
        if (name.equals("loss") || name.matches("x\\d+") || tracked.containsKey(name)) {
            throw new IllegalArgumentException("optimize: track(\"" + name + "\") clashes with a recorded series");
        }
        tracked.put(name, java.util.Objects.requireNonNull(quantity, "quantity"));
        return this;
    }

    @Override
    List<String> series() {
        List<String> names = new ArrayList<>();
        names.add("loss");
        for (int i = 0; i < objective.dimension(); i++) names.add("x" + i);
        names.addAll(tracked.keySet());
        return names;
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("loss"));
    }

    @Override
    void validate() {
        if (start == null) throw new IllegalStateException("optimize: give the starting point with from(...), " + objective.dimension() + " coordinates");
    }

    @Override
    String title() {
        return objective.name();
    }

    @Override
    Object problem() {
        return objective;
    }

    @Override
    Map<String, Double> execute(Cell<Transform> cell, Recorder rec) {
        int d = start.length;
        Tensor x = Tensor.of(start.clone());
        if (cell.device() != null) x = x.to(cell.device());
        double[] row = new double[d + 1 + tracked.size()], noiseBuf = new double[d];
        double[] xs = start.clone();
        Map<String, Double> scalars = new LinkedHashMap<>();
        try (Optimizer opt = Optimizer.of(Map.of("x", x), cell.value())) {
            if (opt.needsAux("hessian")) {
                throw new IllegalArgumentException("optimize: method " + cell.method() + " needs curvature input 'hessian'; Lab.optimize feeds gradients only");
            }
            scalars.put("state_bytes", (double) opt.stateBytes());
            if (rec.record(fill(row, objective.value(xs), xs))) {
                for (int t = 0; t < cell.budget(); t++) {
                    double[] g = objective.gradient(xs);
                    if (noise > 0) {
                        Philox.fill(cell.key(), true, (long) t * d, noiseBuf, 0, d);
                        for (int i = 0; i < d; i++) g[i] += noise * noiseBuf[i];
                    }
                    x.setGrad(Tensor.of(g));
                    opt.step();
                    xs = x.toDoubleArray();
                    if (!rec.record(finite(xs) ? fill(row, objective.value(xs), xs) : nan(row))) break;
                }
            }
        }
        double[] min = objective.minimizer();
        if (rec.status() != Run.Status.DIVERGED && Arrays.stream(min).allMatch(Double::isFinite)) {
            double s = 0;
            for (int i = 0; i < d; i++) s += (xs[i] - min[i]) * (xs[i] - min[i]);
            scalars.put("distance", Math.sqrt(s));
        }
        return scalars;
    }

    private static boolean finite(double[] xs) {
        for (double v : xs) if (!Double.isFinite(v)) return false;
        return true;
    }

    private static double[] nan(double[] row) {
        Arrays.fill(row, Double.NaN);
        return row;
    }

    private double[] fill(double[] row, double loss, double[] xs) {
        row[0] = loss;
        System.arraycopy(xs, 0, row, 1, xs.length);
        int i = xs.length + 1;
        for (var q : tracked.values()) row[i++] = q.applyAsDouble(xs.clone());
        return row;
    }
}
