package org.reprolab.ode;

import java.util.AbstractList;
import java.util.Arrays;
import java.util.List;
import java.util.function.IntFunction;
import java.util.function.LongSupplier;
import org.reprolab.tensor.Tensor;

/**
 * The result of every solve ({@link Ode#solve}), whatever the problem: the saved times and states, the
 * statistics, why it ended, the events located and, if {@link OdeOptions#dense} was set, the dense output
 * {@link #y(double)}.
 *
 * <p>The state type S is the problem's: {@code double[]} for {@link OdeProblem#of(org.reprolab.ode.solvers.OdeSystem,
 * double, double, double[])} and SDE problems, {@link Tensor} for tensor problems (then the states are
 * differentiable by the chosen {@link Sensitivity}). Without {@link OdeOptions#saveAt} a {@code double[]} solve
 * saves the initial point and every accepted step, a tensor solve its start and end. The dense output is on the
 * host ({@code double[]}) for every state type.
 *
 * @param <S> the state type
 */
public final class Solution<S> {
    private final String method;
    private final double[] ts;
    private final IntFunction<S> state;
    private final List<EventHit> events;
    private final Termination termination;
    private final SolverStats stats;
    private final List<Segment> dense;
    private final double spanStart, spanEnd;
    private final List<StepEstimate> estimates;
    private final LongSupplier backwardNfev;

    /** One step's dense output as seen from the host. */
    interface Segment {
        double t0();

        double t1();

        /** The number of host components. */
        int size();

        void eval(double t, double[] out);
    }

    Solution(String method, double[] ts, IntFunction<S> state, List<EventHit> events, Termination termination,
             SolverStats stats, List<Segment> dense, double spanStart, double spanEnd, List<StepEstimate> estimates,
             LongSupplier backwardNfev) {
        this.method = method;
        this.ts = ts;
        this.state = state;
        this.events = List.copyOf(events);
        this.termination = termination;
        this.stats = stats;
        this.dense = dense;
        this.spanStart = spanStart;
        this.spanEnd = spanEnd;
        this.estimates = List.copyOf(estimates);
        this.backwardNfev = backwardNfev;
    }

    /** A solution on a fixed grid without events or dense output (the SDE schemes). */
    public static <S> Solution<S> onGrid(String method, double[] ts, IntFunction<S> state, SolverStats stats) {
        return new Solution<>(method, ts.clone(), state, List.of(), new Termination.Completed(), stats, null, ts[0], ts[ts.length - 1], List.of(), () -> 0);
    }

    /**
     * This solve reported at other times with other states (how the tensor part turns the driver's host
     * trajectory into its saved, differentiable states); statistics, events and dense output are kept.
     *
     * @param estimates    per accepted step, the differentiable error and stiffness estimates (may be empty)
     * @param backwardNfev the evaluations spent by backward passes so far
     */
    public <T> Solution<T> reportedAt(double[] ts, IntFunction<T> state, List<StepEstimate> estimates,
                                      LongSupplier backwardNfev) {
        return new Solution<>(method, ts.clone(), state, events, termination, stats, dense, spanStart, spanEnd, estimates, backwardNfev);
    }

    public String method() { return method; }

    /** The save times: by default the initial point and every accepted step (ending at a terminal event's time). */
    public double[] ts() { return ts.clone(); }

    /** The state at {@code ts()[i]} (a fresh copy for {@code double[]}). */
    public S y(int i) {
        if (i < 0 || i >= ts.length) throw new IndexOutOfBoundsException("state " + i + " of " + ts.length);
        return state.apply(i);
    }

    /** The states at {@link #ts()}. */
    public List<S> ys() {
        return new AbstractList<>() {
            public S get(int i) { return y(i); }

            public int size() { return ts.length; }
        };
    }

    public int size() { return ts.length; }

    public double tEnd() { return ts[ts.length - 1]; }

    public S yEnd() { return y(ts.length - 1); }

    public List<EventHit> events() { return events; }

    public Termination termination() { return termination; }

    public SolverStats stats() { return stats; }

    /** Right-hand-side evaluations (vjps for the adjoint) spent by backward passes of a tensor solve so far. */
    public long backwardNfev() { return backwardNfev.getAsLong(); }

    /**
     * Per accepted step, the solver's own differentiable error and stiffness estimates: recorded by tensor
     * solves with {@link Sensitivity#direct()}, empty otherwise.
     */
    public List<StepEstimate> steps() { return estimates; }

    /** The dense output at t (requires {@code dense(true)}); t must lie between the start and the end of the solve (a terminal event's time). */
    public double[] y(double t) {
        if (dense == null) throw new IllegalStateException("no dense output: solve with OdeOptions.dense(true)");
        double lo = Math.min(spanStart, spanEnd), hi = Math.max(spanStart, spanEnd);
        if (!(t >= lo && t <= hi)) throw new IllegalArgumentException("t=" + t + " outside the solution's span [" + lo + ", " + hi + "]");
        double[] out = new double[dense.getFirst().size()];
        boolean forward = spanEnd >= spanStart;
        int a = 0, b = dense.size() - 1;
        while (a < b) { // first segment whose end reaches t
            int mid = (a + b) >>> 1;
            double e = dense.get(mid).t1();
            if (forward ? e >= t : e <= t) b = mid; else a = mid + 1;
        }
        dense.get(a).eval(t, out);
        return out;
    }

    /** The dense output on a grid. */
    public double[][] y(double... t) {
        double[][] out = new double[t.length][];
        for (int i = 0; i < t.length; i++) out[i] = y(t[i]);
        return out;
    }

    /**
     * The global error regulariser of <i>Opening the Blackbox</i> (Pal, Ma, Shah, Rackauckas, ICML 2021, eq. 5;
     * avik-pal/RegNeuralDE.jl {@code integrator.EEst * integrator.dt}): {@code R_E = Σ_j EEst_j·|h_j|} over the
     * accepted steps, differentiable. Needs a tensor solve with {@link Sensitivity#direct()}.
     */
    public Tensor errorRegularizer() {
        Tensor r = null;
        for (StepEstimate s : estimates()) {
            Tensor term = s.error().mul(Math.abs(s.h()));
            r = r == null ? term : r.add(term);
        }
        return r;
    }

    /**
     * The global stiffness regulariser of <i>Opening the Blackbox</i>: {@code R_S = Σ_j λ_j·|h_j|} with λ
     * Hairer's eigenvalue estimate, i.e. the sum of the steps' hλ.
     */
    public Tensor stiffnessRegularizer() {
        Tensor r = null;
        for (StepEstimate s : estimates()) {
            if (s.stiffness() == null) throw new IllegalStateException(method + " has no stiffness estimate");
            r = r == null ? s.stiffness() : r.add(s.stiffness());
        }
        return r;
    }

    private List<StepEstimate> estimates() {
        if (estimates.isEmpty())
            throw new IllegalStateException("no per-step estimates: they are recorded by tensor solves with Sensitivity.direct() and a solver with an error estimate");
        return estimates;
    }

    @Override
    public String toString() {
        S end = yEnd();
        return method + " solution on [" + ts[0] + ", " + tEnd() + "], " + stats + ", y(end)="
                + (end instanceof double[] d ? Arrays.toString(d) : String.valueOf(end));
    }
}
