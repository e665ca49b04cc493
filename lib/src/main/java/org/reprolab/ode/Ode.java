package org.reprolab.ode;

/**
 * Solving ODEs: the entry points.
 *
 * <pre>{@code
 * OdeSystem lv = (t, y, dy) -> { dy[0] = 1.5 * y[0] - y[0] * y[1]; dy[1] = -3 * y[1] + y[0] * y[1]; };
 * OdeSolution sol = Ode.solve(lv, Tableau.DOPRI5, 0, 15, new double[]{10, 5},
 *         OdeOptions.defaults().tol(1e-6, 1e-9).controller(StepController.scipy()).dense(true));
 * sol.yEnd(); sol.y(7.5); sol.stats().nfev();
 *
 * // stiff: Rodas4 with an analytic Jacobian
 * Ode.solveStiff(vdp, jac, true, RosenbrockTableau.RODAS4, 0, 3000, y0, OdeOptions.defaults().tol(1e-6, 1e-9));
 * }</pre>
 *
 * Design: a method is data ({@link Tableau}, {@link RosenbrockTableau}); the controller ({@link StepController})
 * is separate and swappable; one driver owns control, events, saving, statistics and failure checks; one
 * explicit Runge–Kutta loop runs every tableau over any state with a {@link StateOps}.
 */
public final class Ode {
    private Ode() {}

    /** Solves {@code dy/dt = f(t, y)}, {@code y(t0) = y0}, from t0 to t1 (t1 < t0 integrates backwards). */
    public static OdeSolution solve(OdeSystem f, Method method, double t0, double t1, double[] y0, OdeOptions options) {
        return switch (method) {
            case Tableau tab -> solve(f, StateOps.doubles(), tab, t0, t1, y0, options);
            case RosenbrockTableau rt -> solveStiff(f, null, false, rt, t0, t1, y0, options);
        };
    }

    /** The generic explicit path: any state type with a {@link StateOps}. */
    public static <S> OdeSolution solve(VectorField<S> f, StateOps<S> ops, Tableau tableau, double t0, double t1, S y0,
                                        OdeOptions options) {
        Counters count = new Counters();
        var stepper = new ExplicitRk<>(tableau, f, ops, y0, count, options.rtol(), options.atol());
        return Driver.run(stepper, ops, f, t0, t1, y0, options, count);
    }

    /**
     * Solves a stiff problem with a Rosenbrock method.
     *
     * @param jac        the Jacobian, or null for forward differences
     * @param autonomous true if f does not depend on t (skips the ∂f/∂t difference)
     */
    public static OdeSolution solveStiff(OdeSystem f, JacobianFunction jac, boolean autonomous, RosenbrockTableau method,
                                         double t0, double t1, double[] y0, OdeOptions options) {
        Counters count = new Counters();
        var stepper = new RosenbrockStepper(method, f, jac, autonomous, y0.length, count, options.rtol(), options.atol());
        OdeOptions o = options.controller() != null ? options : options.controller(new StepController.I(0.9, 0.2, 6));
        return Driver.run(stepper, StateOps.doubles(), f, t0, t1, y0, o, count);
    }
}
