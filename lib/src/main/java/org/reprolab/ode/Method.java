package org.reprolab.ode;

/**
 * A solver, as data: an explicit Runge–Kutta {@link Tableau} (run by the one explicit RK loop) or a
 * {@link RosenbrockTableau} (run by the linearly implicit loop for stiff problems).
 */
public sealed interface Method permits Tableau, RosenbrockTableau {
    String name();

    /** Order of the solution. */
    int order();

    /** True if the method carries an error estimate and can adapt its step. */
    boolean adaptive();

    /** The exponent order k of step control ({@code err^(-1/k)}): error-estimator order + 1. */
    int controlOrder();
}
