package org.reprolab.ode.sde;

import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Problem;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.SdeScheme;
import org.reprolab.ode.solvers.Solver;

/**
 * An Itô SDE with diagonal noise, {@code dy_i = f_i(t, y) dt + g_i(t, y) dW_i}, {@code y(t0) = y0}, driven by the
 * Brownian path W (diffrax's {@code MultiTerm(ODETerm, ControlTerm(diffusion, brownian))}). Solved by the
 * fixed-step {@link SdeScheme}s under {@code Controllers.constant(dt)}: the grid is uniform with
 * {@code ⌈(t1 − t0)/dt⌉} steps, so a dt that divides the interval gives exactly steps of dt.
 *
 * <pre>{@code
 * var w = new VirtualBrownianTree(RngKey.of(1), 0, 1, y0.length, 1e-6);
 * Solution<double[]> s = Ode.solve(SdeProblem.of(gbm, 0, 1, y0, w), Solvers.milstein(), Controllers.constant(1e-3));
 * }</pre>
 */
public record SdeProblem(SdeSystem terms, double t0, double t1, double[] y0, BrownianPath brownian) implements Problem<double[]> {

    public SdeProblem {
        if (terms == null || y0 == null || brownian == null) throw new IllegalArgumentException("terms, y0 and brownian must not be null");
        y0 = y0.clone();
    }

    public static SdeProblem of(SdeSystem terms, double t0, double t1, double[] y0, BrownianPath brownian) {
        return new SdeProblem(terms, t0, t1, y0, brownian);
    }

    @Override
    public double[] y0() {
        return y0.clone();
    }

    @Override
    public Solution<double[]> solve(Solver solver, StepController controller, OdeOptions options) {
        if (!(solver instanceof SdeScheme scheme))
            throw new IllegalArgumentException(solver.name() + " is an ODE solver: an SdeProblem takes Solvers.eulerMaruyama() or Solvers.milstein()");
        if (!(controller instanceof StepController.Constant c))
            throw new IllegalArgumentException("the SDE schemes take fixed steps: use Controllers.constant(dt), got " + controller);
        if (options.dense() || !options.events().isEmpty() || options.saveAt() != null)
            throw new IllegalArgumentException("SDE solves save every step and have no dense output or events");
        double steps = Math.ceil((t1 - t0) / c.h() - 1e-9);
        if (!(steps >= 1) || steps > Integer.MAX_VALUE) throw new IllegalArgumentException("bad step " + c.h() + " for [" + t0 + ", " + t1 + "]");
        return SdeSolve.solve(terms, scheme, t0, t1, y0, (int) steps, brownian);
    }
}
