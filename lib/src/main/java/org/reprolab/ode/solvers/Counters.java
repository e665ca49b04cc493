package org.reprolab.ode.solvers;

/**
 * Mutable work counters shared by a stepper, the driver and the tensor adjoints during one solve (public because
 * those live in other packages; a solve's result reports them as an immutable {@code SolverStats}).
 */
public final class Counters {
    /** Right-hand-side evaluations, Jacobian evaluations, LU factorisations. */
    public long nfev, njev, nlu;
}
