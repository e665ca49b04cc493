package org.reprolab.ode;

/**
 * What a solve cost and what the solver saw, counted the way scipy counts them ({@code nfev} includes the
 * initial evaluation, the initial-step heuristic's evaluation and every attempted stage).
 *
 * @param nfev          right-hand-side evaluations (drift evaluations of an SDE)
 * @param ngev          diffusion (and diffusion-derivative) evaluations of an SDE; 0 for ODEs
 * @param njev          Jacobian evaluations (stiff solvers)
 * @param nlu           LU factorisations (stiff solvers)
 * @param naccept       accepted steps
 * @param nreject       rejected steps
 * @param stiffAt       time at which Hairer's stiffness test fired (15 consecutive accepted steps with hλ above
 *                      the method's stability boundary), NaN if it did not or the method has no estimate
 * @param maxHLambda    the largest stiffness estimate |h|·‖Δf‖/‖Δy‖ seen on an accepted step (NaN if none)
 */
public record SolverStats(long nfev, long ngev, long njev, long nlu, long naccept, long nreject, double stiffAt, double maxHLambda) {
    /** Attempted steps. */
    public long nsteps() {
        return naccept + nreject;
    }

    public boolean stiffnessDetected() {
        return !Double.isNaN(stiffAt);
    }
}
