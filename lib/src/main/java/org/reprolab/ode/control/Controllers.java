package org.reprolab.ode.control;

/**
 * The step-size controllers by name. Tolerances default to scipy's {@code solve_ivp} (rtol 1e-3, atol 1e-6)
 * in {@link #defaults()}.
 *
 * <pre>{@code
 * Controllers.pid(1e-6, 1e-9)      // the solver's recommended gain: PI(0.4, 0.3) for explicit RK
 * Controllers.scipy(1e-6, 1e-9)    // scipy's step sequence, step for step
 * Controllers.constant(0.01)       // fixed step
 * }</pre>
 */
public final class Controllers {
    private Controllers() {}

    /** rtol 1e-3, atol 1e-6 and the solver's own gain. */
    public static StepController defaults() {
        return pid(1e-3, 1e-6);
    }

    /**
     * Adaptive control with the solver's recommended gain: PI(0.4, 0.3) for explicit Runge–Kutta (diffrax's
     * suggestion, OrdinaryDiffEq's Tsit5 default), Gustafsson's predictive control (factors in [0.2, 6]) for Rosenbrock, as {@code rodas.f}.
     */
    public static StepController pid(double rtol, double atol) {
        return new StepController.Adaptive(rtol, atol, null);
    }

    /** PI control with diffrax's (pcoeff, icoeff), safety 0.9, factors in [0.2, 10]. */
    public static StepController pid(double rtol, double atol, double pcoeff, double icoeff) {
        return new StepController.Adaptive(rtol, atol, new StepController.PI(pcoeff, icoeff, 0.9, 0.2, 10));
    }

    /** scipy's controller ({@code _ivp/rk.py}): I control, safety 0.9, factors in [0.2, 10]. */
    public static StepController scipy(double rtol, double atol) {
        return new StepController.Adaptive(rtol, atol, new StepController.I(0.9, 0.2, 10));
    }

    /** Hairer's {@code dopri5.f} PI controller: β = 0.04, safety 0.9, factors in [0.2, 10]. */
    public static StepController hairer(double rtol, double atol) {
        return new StepController.Adaptive(rtol, atol, new StepController.PI(0.2, 0.65, 0.9, 0.2, 10));
    }

    /** A fixed step h; the tolerances 1e-3/1e-6 only scale recorded error estimates. */
    public static StepController constant(double h) {
        return constant(h, 1e-3, 1e-6);
    }

    /** A fixed step h whose recorded error estimates (tensor regularisers) use these tolerances. */
    public static StepController constant(double h, double rtol, double atol) {
        return new StepController.Constant(h, rtol, atol);
    }
}
