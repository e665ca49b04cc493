package org.reprolab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.ToDoubleBiFunction;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeException;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Problem;
import org.reprolab.ode.Solution;
import org.reprolab.ode.SolverStats;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.random.RngKey;

/**
 * {@code Lab.solve(problem)}: solvers × tolerances, the work–precision experiment (Hairer, Nørsett and Wanner,
 * <i>Solving ODEs I</i>, §II.10; the DifferentialEquations.jl and diffrax benchmarks). One run is one method over
 * every tolerance (the budget, loosest first): per tolerance it records the error of y(t1) against the reference,
 * the right-hand-side evaluations ({@code nfe}), the wall time of one solve ({@code time_ms}: the median of
 * {@link #repeats} solves after a warm-up), the accepted and rejected steps, and the tolerance itself. So
 * {@code runs.plot("nfe", "error")} is the work–precision diagram (log-log), one curve per method, and
 * {@code runs.at("DOPRI5", k, "nfe")} reads the k-th tolerance.
 *
 * <p>The error is the relative max-norm {@code max_i |y_i − ref_i| / max_i |ref_i|} unless {@link #error} says
 * otherwise; the reference is given, a closed form of the (seed's) problem, or a solve by a named solver at a tight
 * tolerance. Problems built from a key ({@code key -> SdeProblem.of(..., new VirtualBrownianTree(key, ...))}) make
 * seeds differ: each seed solves its own Brownian path, and the reference is solved on the same path.
 */
public final class SolveExperiment extends Experiment<Object, SolveExperiment> {
    private final String name;
    private final Function<RngKey, ? extends Problem<double[]>> problem;
    private double[] rtols, atols, steps;
    private Function<Problem<double[]>, double[]> reference;
    private String referenceKind;
    private ToDoubleBiFunction<double[], double[]> error = SolveExperiment::relativeMaxError;
    private OdeOptions options = OdeOptions.defaults();
    private int repeats = 3;
    private final Map<RngKey, double[]> references = new ConcurrentHashMap<>();

    SolveExperiment(String name, Function<RngKey, ? extends Problem<double[]>> problem) {
        super("solve", "tolerance", 1, name, new Methods(Object.class, "a solver (Solvers.tsit5()) or a SolveMethod (SolveMethod.of(solver, Controllers::scipy), SolveMethod.peer(...))"));
        if (name == null || name.isBlank()) throw new IllegalArgumentException("solve: the problem needs a name");
        this.name = name;
        this.problem = Objects.requireNonNull(problem, "problem");
    }

    /** The relative tolerances, loosest first; atol = rtol·10⁻³ (scipy's default ratio). */
    public SolveExperiment tolerances(double... rtol) {
        return tolerances(rtol, Arrays.stream(rtol).map(r -> r * 1e-3).toArray());
    }

    /** (rtol, atol) pairs, loosest first. */
    public SolveExperiment tolerances(double[] rtol, double[] atol) {
        if (rtol.length != atol.length) throw new IllegalArgumentException("solve: tolerances got " + rtol.length + " rtol and " + atol.length + " atol values");
        for (int i = 0; i < rtol.length; i++) {
            if (!(rtol[i] > 0) || !(atol[i] >= 0)) {
                throw new IllegalArgumentException("solve: tolerance " + (i + 1) + " needs rtol > 0 and atol >= 0, got " + rtol[i] + ", " + atol[i]);
            }
        }
        budget("tolerances (their number)", rtol.length);
        this.rtols = rtol.clone();
        this.atols = atol.clone();
        this.steps = null;
        return this;
    }

    /** Fixed step sizes instead of tolerances (every method runs under {@code Controllers.constant(h)}): SDE schemes, RK4. */
    public SolveExperiment stepSizes(double... h) {
        for (double v : h) if (!(v > 0) || Double.isInfinite(v)) throw new IllegalArgumentException("solve: step sizes must be finite and > 0, got " + v);
        budget("stepSizes (their number)", h.length);
        this.steps = h.clone();
        this.rtols = this.atols = null;
        return this;
    }

    /** The exact y(t1). */
    public SolveExperiment reference(double... yEnd) {
        double[] y = yEnd.clone();
        return reference("given", p -> y);
    }

    /** y(t1) in closed form of the problem (of each seed's problem: e.g. geometric Brownian motion from its path). */
    public SolveExperiment reference(Function<Problem<double[]>, double[]> exact) {
        return reference("closed form", Objects.requireNonNull(exact, "exact"));
    }

    /** y(t1) computed by {@code solver} under {@code controller} (a tight tolerance, or a fine step), per seed's problem. */
    public SolveExperiment reference(Solver solver, StepController controller) {
        Objects.requireNonNull(solver, "reference solver");
        Objects.requireNonNull(controller, "reference controller");
        return reference(solver.name() + " at " + controller, p -> Ode.solve(p, solver, controller, options).yEnd());
    }

    private SolveExperiment reference(String kind, Function<Problem<double[]>, double[]> ref) {
        this.reference = ref;
        this.referenceKind = kind;
        return this;
    }

    /** The error measure (y, reference) -> error; default the relative max-norm. */
    public SolveExperiment error(ToDoubleBiFunction<double[], double[]> measure) {
        this.error = Objects.requireNonNull(measure, "error measure");
        return this;
    }

    /** Options for every solve of ours and of the computed reference (e.g. {@code failOnStiffness(false)}). */
    public SolveExperiment options(OdeOptions o) {
        this.options = Objects.requireNonNull(o, "options");
        return this;
    }

    /** Timed solves per tolerance after one warm-up (default 3); {@code time_ms} is their median. */
    public SolveExperiment repeats(int n) {
        this.repeats = atLeastOne("repeats", n);
        return this;
    }

    /** max_i |y_i − ref_i| / max_i |ref_i|: the error of the ode-work-precision notebook and of scipy's benchmarks. */
    static double relativeMaxError(double[] y, double[] ref) {
        double err = 0, scale = 0;
        for (int i = 0; i < ref.length; i++) {
            err = Math.max(err, Math.abs(y[i] - ref[i]));
            scale = Math.max(scale, Math.abs(ref[i]));
        }
        return scale > 0 ? err / scale : err;
    }

    @Override
    boolean accepts(Object method) {
        return method instanceof Solver || method instanceof SolveMethod;
    }

    private static SolveMethod method(Object m) {
        return m instanceof Solver s ? SolveMethod.of(s) : (SolveMethod) m;
    }

    @Override
    String name(Object m, Set<String> swept) {
        return switch (method(m)) {
            case SolveMethod.Peer p -> p.name();
            case SolveMethod.Integrator i when i.defaultControl() -> i.solver().name();
            case SolveMethod.Integrator i -> i.solver().name() + " (" + control(i.controller().at(1e-6, 1e-9)) + ")";
        };
    }

    /** "PI(0.4, 0.3)", "I", "fixed step": the controller's family, for derived names. */
    private static String control(StepController c) {
        return switch (c) {
            case StepController.Constant k -> "fixed step";
            case StepController.Adaptive a when a.gain() == null -> "default gain";
            case StepController.Adaptive a when a.gain() instanceof StepController.PI pi -> "PI(" + Format.number(pi.pcoeff()) + ", " + Format.number(pi.icoeff()) + ")";
            case StepController.Adaptive a -> "I control";
        };
    }

    @Override
    Object with(Object method, String name, Object value) {
        throw new IllegalArgumentException("solver methods have no hyper-parameters to sweep; compare SolveMethod.of(solver, rule) variants instead");
    }

    @Override
    List<String> series() {
        return steps != null ? List.of("error", "nfe", "time_ms", "accepted", "rejected", "h")
                : List.of("error", "nfe", "time_ms", "accepted", "rejected", "rtol", "atol");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("error"), Metric.lower("nfe"), Metric.lower("time_ms"));
    }

    @Override
    void validate() {
        if (rtols == null && steps == null) throw new IllegalStateException("solve: give the budget with tolerances(...) or stepSizes(...)");
        if (reference == null) {
            throw new IllegalStateException("solve: give the reference y(t1): reference(y...), reference(problem -> exact) or "
                    + "reference(Solvers.dop853(), Controllers.pid(1e-13, 1e-15))");
        }
        references.clear();
    }

    private StepController controller(SolveMethod.Integrator m, int i) {
        return steps != null ? Controllers.constant(steps[i]) : m.controller().at(rtols[i], atols[i]);
    }

    private double[] referenceOf(RngKey key, Problem<double[]> p) {
        double[] ref = references.computeIfAbsent(key, k -> reference.apply(p).clone());
        if (ref.length == 0) throw new IllegalArgumentException("solve: the reference (" + referenceKind + ") is empty");
        return ref;
    }

    @Override
    Map<String, Double> execute(Cell<Object> cell, Recorder rec) throws Exception {
        Problem<double[]> p = problem.apply(cell.key());
        double[] ref = referenceOf(cell.key(), p);
        int k = cell.budget();
        switch (method(cell.value())) {
            case SolveMethod.Integrator m -> {
                for (int i = 0; i < k; i++) {
                    StepController c = controller(m, i);
                    Solution<double[]> s;
                    try {
                        s = Ode.solve(p, m.solver(), c, options);
                    } catch (OdeException e) {
                        rec.diverged();
                        break;
                    }
                    double[] ms = new double[repeats];
                    for (int r = 0; r < repeats; r++) {
                        long t0 = System.nanoTime();
                        s = Ode.solve(p, m.solver(), c, options);
                        ms[r] = (System.nanoTime() - t0) / 1e6;
                    }
                    SolverStats st = s.stats();
                    if (!rec.record(row(i, errorOf(s.yEnd(), ref, cell.method()), st.nfev(), median(ms), st.naccept(), st.nreject()))) break;
                }
            }
            case SolveMethod.Peer m -> {
                List<StepController> budgets = new ArrayList<>();
                for (int i = 0; i < k; i++) budgets.add(steps != null ? Controllers.constant(steps[i]) : Controllers.pid(rtols[i], atols[i]));
                List<SolveMethod.Outcome> out = m.solver().solve(p, budgets);
                if (out.size() != k) throw new IllegalStateException("solve: peer " + m.name() + " reported " + out.size() + " outcomes for " + k + " tolerances");
                for (int i = 0; i < k; i++) {
                    var o = out.get(i);
                    if (!rec.record(row(i, errorOf(o.y(), ref, m.name()), o.nfe(), o.millis(), o.accepted(), o.rejected()))) break;
                }
            }
        }
        return Map.of();
    }

    private double errorOf(double[] y, double[] ref, String method) {
        if (y.length != ref.length) {
            throw new IllegalArgumentException("solve: " + method + " returned a state of " + y.length + " components, the reference (" + referenceKind + ") has " + ref.length);
        }
        return error.applyAsDouble(y, ref);
    }

    private double[] row(int i, double error, double nfe, double ms, double accepted, double rejected) {
        return steps != null ? new double[] {error, nfe, ms, accepted, rejected, steps[i]}
                : new double[] {error, nfe, ms, accepted, rejected, rtols[i], atols[i]};
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }
}
