package org.reprolab.ode;

import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;

/**
 * Solving differential equations: the one entry point, in the spirit of diffrax's {@code diffeqsolve(terms,
 * solver, t0, t1, dt0, y0, saveat, stepsize_controller, adjoint)}. A {@link Problem} (terms, interval, initial
 * state) is handed to {@link #solve} with a {@link Solver}, a {@link StepController} and {@link OdeOptions}
 * (save times, dense output, events, {@link Sensitivity}, step limits); each is a value and swappable.
 *
 * <pre>{@code
 * var lv = OdeProblem.of((t, y, dy) -> { dy[0] = 1.5 * y[0] - y[0] * y[1]; dy[1] = -3 * y[1] + y[0] * y[1]; },
 *         0, 15, new double[]{10, 5});
 * Solution<double[]> sol = Ode.solve(lv, Solvers.dopri5(), Controllers.scipy(1e-6, 1e-9), OdeOptions.defaults().dense(true));
 * sol.yEnd(); sol.y(7.5); sol.stats().nfev();
 *
 * // a neural ODE, differentiated by checkpointing
 * var node = TensorProblem.of(TensorField.of(mlp), 0, 1, x).params(mlp.parameters().values());
 * Ode.solve(node, Solvers.tsit5(), Controllers.pid(1e-5, 1e-7), OdeOptions.defaults().sensitivity(Sensitivity.checkpointed(16)));
 *
 * // an SDE on a Brownian path
 * Ode.solve(SdeProblem.of(sys, 0, 1, y0, new VirtualBrownianTree(key, 0, 1, d, 1e-6)), Solvers.eulerMaruyama(),
 *         Controllers.constant(1e-3));
 * }</pre>
 *
 * The parts: {@code ode.solvers} (the methods as data, the step loops, the state algebra), {@code ode.control}
 * (step-size controllers), this package (problems, options, the driver that owns control, events, saving and
 * statistics, the solution), {@code ode.tensor} (autodiff states and the adjoints) and {@code ode.sde}.
 */
public final class Ode {
    private Ode() {}

    /** Solves with default options ({@link OdeOptions#defaults()}). */
    public static <S> Solution<S> solve(Problem<S> problem, Solver solver, StepController controller) {
        return solve(problem, solver, controller, OdeOptions.defaults());
    }

    /** Solves at scipy's default tolerances (rtol 1e-3, atol 1e-6) with the solver's own gain. */
    public static <S> Solution<S> solve(Problem<S> problem, Solver solver) {
        return solve(problem, solver, Controllers.defaults(), OdeOptions.defaults());
    }

    /** Solves the problem with the solver under the controller. */
    public static <S> Solution<S> solve(Problem<S> problem, Solver solver, StepController controller, OdeOptions options) {
        if (problem == null || solver == null || controller == null || options == null)
            throw new IllegalArgumentException("problem, solver, controller and options must not be null");
        return problem.solve(solver, controller, options);
    }
}
