package org.reprolab.ode;

/**
 * One step of a method, without any control logic: the driver ({@link Driver}) owns the controller, the
 * events, the storage, the failure checks and the statistics, so that every method shares them. There are
 * two implementations: {@link ExplicitRk} (all explicit tableaus) and {@link RosenbrockStepper}.
 */
interface Stepper<S> {
    Method method();

    /** Prepares at the initial point; evaluates f there (counted). */
    void start(double t0, S y0);

    /** f at the current point. */
    S f();

    /** Attempts a step of size h (signed) from (t, y), writes the candidate into yNew, returns the scaled error norm. */
    double attempt(double t, S y, double h, S yNew);

    /** Hairer's stiffness estimate |h|·‖Δf‖/‖Δy‖ of the last attempt, NaN if the method has none. */
    double hLambda();

    /** |hλ| on the boundary of the stability region, NaN if the method has no stiffness test. */
    double stiffnessBoundary();

    /**
     * The dense output of the last attempt; call before {@link #accept()}. With {@code keep} false the result
     * may share the stepper's buffers and is valid only until the next attempt.
     */
    Interpolant<S> interpolant(double t, S y, double tNew, S yNew, boolean keep);

    /** The last attempt becomes the current point. */
    void accept(double tNew, S yNew);
}
