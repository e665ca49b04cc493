package org.reprolab.ode.tensor;

import java.util.Collection;
import java.util.List;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Problem;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.tensor.Tensor;

/**
 * A differentiable ODE over tensors, {@code dy/dt = f(t, y)}, {@code y(t0) = y0}: a neural ODE, or a
 * parametrised system whose parameters require grad. Solved by the explicit Runge–Kutta solvers; the states of
 * the {@link Solution} are differentiable with respect to y0 and the parameters by the options' {@code
 * Sensitivity}; the save times default to {@code {t0, t1}}.
 *
 * <pre>{@code
 * Tensor theta = Tensor.of(1.5, 1, 3, 1).requiresGrad(true);
 * TensorField lv = (t, y) -> ...;                     // uses theta
 * var p = TensorProblem.of(lv, 0, 2, y0).params(List.of(theta));
 * Solution<Tensor> s = Ode.solve(p, Solvers.tsit5(), Controllers.pid(1e-6, 1e-8),
 *         OdeOptions.defaults().saveAt(0, 1, 2).sensitivity(Sensitivity.checkpointed(16)));
 * s.yEnd().square().sum().backward();                // theta.grad()
 * }</pre>
 *
 * @param params the tensors the field depends on that gradients should reach (its module's parameters); needed
 *               by the checkpointed and backsolve sensitivities, ignored by the direct one (which records
 *               whatever requires grad)
 */
public record TensorProblem(TensorField f, double t0, double t1, Tensor y0, List<Tensor> params) implements Problem<Tensor> {

    public TensorProblem {
        if (f == null || y0 == null) throw new IllegalArgumentException("f and y0 must not be null");
        if (!Double.isFinite(t0) || !Double.isFinite(t1) || t0 == t1)
            throw new IllegalArgumentException("need finite t0 != t1, got " + t0 + ", " + t1);
        params = List.copyOf(params);
    }

    public static TensorProblem of(TensorField f, double t0, double t1, Tensor y0) {
        return new TensorProblem(f, t0, t1, y0, List.of());
    }

    /** This problem with the parameters gradients should reach (e.g. {@code module.parameters().values()}). */
    public TensorProblem params(Collection<Tensor> ps) {
        return new TensorProblem(f, t0, t1, y0, List.copyOf(ps));
    }

    @Override
    public Solution<Tensor> solve(Solver solver, StepController controller, OdeOptions options) {
        if (!(solver instanceof Tableau tab))
            throw new IllegalArgumentException(solver.name() + " cannot solve a tensor problem: use an explicit Runge–Kutta "
                    + "solver (Solvers.tsit5(), Solvers.dopri5(), ...)");
        return TensorSolve.solve(this, tab, controller, options);
    }
}
