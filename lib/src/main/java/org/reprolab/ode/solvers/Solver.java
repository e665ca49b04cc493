package org.reprolab.ode.solvers;

/**
 * A solver, as data (diffrax's {@code solver=}): an explicit Runge–Kutta {@link Tableau} (run by the one
 * explicit RK loop), a {@link RosenbrockTableau} (run by the linearly implicit loop for stiff problems), the
 * fully implicit {@link RadauIIA} (stiff problems at tight tolerances) or an
 * {@link SdeScheme} (fixed-step stochastic schemes). {@link Solvers} names them all. A solver must match the
 * problem's terms: an ODE problem takes a tableau, an SDE problem a scheme.
 */
public sealed interface Solver permits Tableau, RosenbrockTableau, RadauIIA, SdeScheme {
    String name();

    /** Order of the solution. */
    int order();

    /** True if the method carries an error estimate and can adapt its step. */
    boolean adaptive();

    /** The exponent order k of step control ({@code err^(-1/k)}): error-estimator order + 1. */
    int controlOrder();
}
