package org.reprolab.ode.solvers;

/**
 * One step of a method, without any control logic: the driver ({@code org.reprolab.ode.Driver}) owns the controller, the
 * events, the storage, the failure checks and the statistics, so that every method shares them. There are
 * three implementations: {@link ExplicitRk} (all explicit tableaus), {@link RosenbrockStepper} and {@link RadauStepper}.
 */
public interface Stepper<S> {

    /** The one explicit Runge–Kutta loop running {@code tab} over states like {@code proto}. */
    static <S> Stepper<S> explicit(Tableau tab, VectorField<S> f, StateOps<S> ops, S proto, Counters count,
                                   double rtol, double atol) {
        return new ExplicitRk<>(tab, f, ops, proto, count, rtol, atol);
    }

    /**
     * The linearly implicit loop of a Rosenbrock method over {@code double[]} of length n.
     *
     * @param jac        the Jacobian, or null for forward differences
     * @param autonomous true if f does not depend on t (skips the ∂f/∂t difference)
     */
    static Stepper<double[]> rosenbrock(RosenbrockTableau tab, VectorField<double[]> f, JacobianFunction jac,
                                        boolean autonomous, int n, Counters count, double rtol, double atol) {
        return new RosenbrockStepper(tab, f, jac, autonomous, n, count, rtol, atol);
    }

    /**
     * The Radau IIA loop over {@code double[]} of length n.
     *
     * @param jac the Jacobian, or null for forward differences
     */
    static Stepper<double[]> radau(RadauIIA method, VectorField<double[]> f, JacobianFunction jac, int n, Counters count,
                                   double rtol, double atol) {
        return new RadauStepper(method, f, jac, n, count, rtol, atol);
    }

    Solver method();

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
