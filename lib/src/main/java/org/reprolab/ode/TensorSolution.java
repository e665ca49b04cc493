package org.reprolab.ode;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.reprolab.tensor.Tensor;

/**
 * The result of a tensor solve ({@link TensorOde#solve}).
 *
 * @param ys        the states at the save times, stacked: shape {@code [ts.length, *y0.shape]}, differentiable
 *                  with respect to y0 and the field's parameters by the chosen {@link Sensitivity}
 * @param ts        the save times
 * @param forward   the forward solve as the driver saw it (accepted step times, host states, statistics)
 * @param steps     per accepted step, the differentiable error and stiffness estimates ({@link
 *                  Sensitivity.Direct} only; empty otherwise)
 * @param backwardNfev right-hand-side evaluations (vjps for the adjoint) spent by backward passes so far
 */
public record TensorSolution(Tensor ys, double[] ts, OdeSolution forward, List<StepEstimate> steps,
                             AtomicLong backwardNfev) {

    /** The state at the last save time. */
    public Tensor yEnd() {
        return ys.select(0, ts.length - 1);
    }

    public Tensor y(int i) {
        return ys.select(0, i);
    }

    public SolverStats stats() {
        return forward.stats();
    }

    /**
     * The global error regulariser of <i>Opening the Blackbox</i> (Pal, Ma, Shah, Rackauckas, ICML 2021, eq. 5;
     * avik-pal/RegNeuralDE.jl {@code integrator.EEst * integrator.dt}): {@code R_E = Σ_j EEst_j·|h_j|} over the
     * accepted steps, differentiable. Needs {@link Sensitivity.Direct}.
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
            if (s.stiffness() == null) throw new IllegalStateException(forward.method() + " has no stiffness estimate");
            r = r == null ? s.stiffness() : r.add(s.stiffness());
        }
        return r;
    }

    private List<StepEstimate> estimates() {
        if (steps.isEmpty())
            throw new IllegalStateException("no per-step estimates: the solver's estimates are recorded with Sensitivity.direct()");
        return steps;
    }
}
