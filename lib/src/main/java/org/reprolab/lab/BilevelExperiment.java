package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;
import org.reprolab.implicit.BilevelAlgorithm;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * {@code Lab.bilevel(problem)}: outer loops on θ compared. A method is a {@link Hypergradient} (the
 * outer optimizer, {@link #optimizer}, steps on θ with that hypergradient; the inner problem is solved
 * afresh each step) or a {@link BilevelAlgorithm} that moves both levels itself with no inner solve:
 * {@code BoRep} (Hao, Gong and Liu, ICLR 2024: normalised momentum, periodic lower-level updates, one
 * Hessian-vector product per step) or {@code BilevelPenalty} (Kwon et al., ICLR 2024: gradients of the
 * penalty function, first-order only). Every step a run records the outer loss at the current θ (step 0
 * is the start) and the user's {@link #track tracked} metrics; at the end the {@link #report reported}
 * ones, θ itself when it is a scalar, and for a {@code BilevelAlgorithm} the oracle calls it spent
 * ({@code "gradients"}, {@code "HVPs"}). The last iterates stay available: {@link #last(String)}.
 */
public final class BilevelExperiment extends Experiment<Object, BilevelExperiment> {

    /** A number measured on the current outer variable θ and the method's inner iterate x. */
    @FunctionalInterface
    public interface Measure {
        double of(Tensor theta, Tensor inner);
    }

    /** The final outer variable θ and inner iterate x of a run. */
    public record Iterate(Tensor theta, Tensor inner) {}

    private final BilevelProblem problem;
    private Tensor start;
    private UnaryOperator<Tensor> map = t -> t;
    private Transform optimizer;
    private final Map<String, Measure> tracked = new LinkedHashMap<>();
    private final Map<String, Measure> reported = new LinkedHashMap<>();
    private final Map<String, Iterate> last = new ConcurrentHashMap<>();

    BilevelExperiment(BilevelProblem problem) {
        super("bilevel", "step", 100, problem.name(), new Methods(Object.class, "a hypergradient method or a bilevel algorithm (BoRep, BilevelPenalty)"));
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** Index 0 is the outer loss at the starting θ, before the first outer step. */
    @Override
    boolean startsAtZero() {
        return true;
    }

    /** The outer variable's start (for a reparametrised problem, {@code u₀} with {@code θ = map(u₀)}). */
    public BilevelExperiment from(Tensor u0) {
        this.start = Objects.requireNonNull(u0, "start").detach();
        return this;
    }

    public BilevelExperiment from(double... u0) {
        return from(u0.length == 1 ? Tensor.scalar(u0[0]) : Tensor.of(u0));
    }

    /** Optimise u with {@code θ = map(u)}, differentiated through {@code map}: {@code through(Tensor::exp)} keeps a positive θ on a log scale. */
    public BilevelExperiment through(UnaryOperator<Tensor> map) {
        this.map = Objects.requireNonNull(map, "map");
        return this;
    }

    /** The outer optimizer for the hypergradient methods (required when one is compared). */
    public BilevelExperiment optimizer(Transform chain) {
        this.optimizer = Objects.requireNonNull(chain, "optimizer");
        return this;
    }

    /** Outer steps per run (default 100). */
    public BilevelExperiment steps(int n) {
        return budget("steps", n);
    }

    /** Records {@code measure} at every step, as a history named {@code name}. */
    public BilevelExperiment track(String name, Measure measure) {
        tracked.put(requireNew(name), Objects.requireNonNull(measure, "measure"));
        return this;
    }

    /** Measures once at the end of each run, as a table column named {@code name}. */
    public BilevelExperiment report(String name, Measure measure) {
        reported.put(requireNew(name), Objects.requireNonNull(measure, "measure"));
        return this;
    }

    private String requireNew(String name) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("bilevel: a metric needs a name");
        if (name.equals("loss") || tracked.containsKey(name) || reported.containsKey(name)) {
            throw new IllegalArgumentException("bilevel: metric '" + name + "' is already recorded");
        }
        return name;
    }

    /** The last θ and inner iterate of the run labelled {@code label} (seed 0) in the latest {@link #run()}. */
    public Iterate last(String label) {
        Iterate it = last.get(label);
        if (it == null) throw new IllegalArgumentException("bilevel: no finished run '" + label + "'; known: " + last.keySet());
        return it;
    }

    @Override
    String name(Object method, Set<String> swept) {
        return switch (method) {
            case Hypergradient h -> h.name(swept);
            case BilevelAlgorithm a -> a.name();
            default -> throw new IllegalArgumentException("bilevel: " + method.getClass().getSimpleName() + " " + method
                    + " is not a hypergradient method (Hypergradient.implicit(), unrolled(k), oneStep()) or a bilevel algorithm"
                    + " (BoRep, BilevelPenalty)");
        };
    }

    @Override
    Object with(Object method, String name, Object value) {
        return switch (method) {
            case Hypergradient h -> h.with(name, value);
            case BilevelAlgorithm a -> RecordParameters.with(a, name, value);
            default -> throw new IllegalArgumentException("bilevel: cannot set " + name + " on " + method);
        };
    }

    @Override
    List<String> series() {
        List<String> s = new ArrayList<>();
        s.add("loss");
        s.addAll(tracked.keySet());
        return s;
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("loss"));
    }

    @Override
    void validate() {
        if (start == null) throw new IllegalStateException("bilevel: give the outer start with from(...)");
        last.clear();
    }

    @Override
    Object problem() {
        return problem;
    }

    private double[] row(double loss, Tensor theta, Tensor inner) {
        double[] r = new double[1 + tracked.size()];
        r[0] = loss;
        int i = 1;
        try (var _ = Autodiff.noGrad()) {
            for (Measure m : tracked.values()) r[i++] = m.of(theta, inner);
        }
        return r;
    }

    @Override
    Map<String, Double> execute(Cell<Object> cell, Recorder rec) {
        Map<String, Double> scalars = new LinkedHashMap<>();
        Iterate end = switch (cell.value()) {
            case Hypergradient h -> descend(h, cell, rec);
            case BilevelAlgorithm a -> jointly(a, cell, rec, scalars);
            default -> throw new IllegalStateException();
        };
        if (rec.status() == Run.Status.DIVERGED) return scalars;
        if (end.theta().numel() == 1) scalars.put("theta", end.theta().item());
        try (var _ = Autodiff.noGrad()) {
            for (var e : reported.entrySet()) scalars.put(e.getKey(), e.getValue().of(end.theta(), end.inner()));
        }
        if (cell.seed() == 0) last.put(Format.label(cell.method(), cell.point()), end);
        return scalars;
    }

    private Iterate descend(Hypergradient method, Cell<Object> cell, Recorder rec) {
        if (optimizer == null) throw new IllegalStateException("bilevel: method " + cell.method() + " needs the outer optimizer: optimizer(adam(1e-2))");
        if (method instanceof Hypergradient.FiniteDifference) {
            throw new IllegalArgumentException("bilevel: method " + cell.method() + " gives a directional derivative only; an outer loop needs the gradient");
        }
        Tensor u = start.copy();
        Tensor ones = Tensor.onesLike(u);
        Iterate end = null;
        try (Optimizer opt = Optimizer.of(Map.of("theta", u), optimizer)) {
            for (int t = 0; ; t++) {
                Hypergradient.Value v = method.at(problem, u, map, ones);
                Tensor theta;
                try (var _ = Autodiff.noGrad()) {
                    theta = map.apply(u.detach());
                }
                end = new Iterate(theta, v.inner());
                if (!rec.record(row(v.loss(), theta, v.inner())) || t == cell.budget()) break;
                u.setGrad(v.gradient());
                opt.step();
            }
        }
        return end;
    }

    /** A run of an algorithm that moves both levels; its oracle calls go into {@code scalars}. */
    private Iterate jointly(BilevelAlgorithm algorithm, Cell<Object> cell, Recorder rec, Map<String, Double> scalars) {
        if (problem.lower() == null) {
            throw new IllegalStateException("bilevel: " + algorithm.name() + " needs the lower objective; build the problem with BilevelProblem.argmin(...)");
        }
        BilevelAlgorithm.Level upper = (x, y) -> problem.outer().apply(y, map.apply(x));
        BilevelAlgorithm.Level lower = (x, y) -> problem.lower().apply(y, map.apply(x));
        Tensor y0 = problem.requireStart(algorithm.name());
        boolean[] going = {true};
        BilevelAlgorithm.Trace trace = algorithm.run(upper, lower, start, y0, cell.budget(),
                (t, x, y, f) -> going[0] = rec.record(row(f, map.apply(x), y)));
        scalars.put("gradients", (double) trace.gradients());
        scalars.put("HVPs", (double) trace.hvps());
        if (!going[0]) return new Iterate(map.apply(trace.x()), trace.y());
        Tensor theta;
        double f;
        try (var _ = Autodiff.noGrad()) {
            theta = map.apply(trace.x());
            f = upper.apply(trace.x(), trace.y()).item();
        }
        rec.record(row(f, theta, trace.y()));
        return new Iterate(theta, trace.y());
    }
}
