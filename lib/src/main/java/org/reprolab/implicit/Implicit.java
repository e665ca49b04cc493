package org.reprolab.implicit;

import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Entry points of implicit differentiation: wrap any solver so that its output is differentiable
 * through the optimality condition only (Blondel et al., NeurIPS 2022, arXiv:2105.15183; JAXopt's
 * {@code implicit_diff.py}; Optimistix's {@code ImplicitAdjoint}). See {@link ImplicitRoot}.
 *
 * <pre>{@code
 * // a fixed point z = tanh(W z + x), differentiable in W and x
 * ImplicitRoot deq = Implicit.fixedPoint((z, th) -> th[0].matmul(z).add(th[1]).tanh(), RootSolver.anderson());
 * Tensor z = deq.apply(Tensor.zeros(3), w, x);
 * }</pre>
 */
public final class Implicit {
    private Implicit() {}

    /** Default bound on the forward residual {@code ‖F(x̂, θ)‖∞}. */
    public static final double FORWARD_TOL = 1e-6;

    /** The root of {@code F(x, θ) = 0} found by {@code solver}; backward solves by GMRES. */
    public static ImplicitRoot root(Condition f, InnerSolver solver) {
        return new ImplicitRoot("implicit root", f, solver, LinearSolver.gmres(), FORWARD_TOL, ImplicitRoot.OnInexact.WARN,
                GradientMode.implicit());
    }

    /** The root of {@code F(x, θ) = 0} found by one of this package's root solvers. */
    public static ImplicitRoot root(Condition f, RootSolver solver) {
        return root(f, (x0, th) -> solver.solve(f, x0, th).x()).withName("implicit root (" + solver.name() + ")");
    }

    /** The fixed point {@code x = T(x, θ)} found by {@code solver}: the root of {@code T(x, θ) − x}. */
    public static ImplicitRoot fixedPoint(FixedPointMap t, InnerSolver solver) {
        return root(t.asCondition(), solver).withName("implicit fixed point");
    }

    public static ImplicitRoot fixedPoint(FixedPointMap t, RootSolver solver) {
        return root(t.asCondition(), solver).withName("implicit fixed point (" + solver.name() + ")");
    }

    /**
     * The stationarity condition {@code ∇ₓ f(x, θ) = 0} of a smooth objective (JAXopt's
     * {@code GradientDescent.optimality_fun}); its Jacobian is the Hessian, so pair it with CG.
     */
    public static Condition stationarity(ParametricObjective f) {
        return (x, theta) -> Autodiff.gradAll(xs -> f.apply(xs[0], Ift.tail(xs, 1)), Ift.prepend(x, theta)).getFirst();
    }

    /**
     * {@code argmin_x f(x, θ)} by {@code minimizer}, differentiable through that solver's optimality
     * condition ({@link Minimizer#optimality}): the stationarity condition (backward by CG: its Jacobian
     * is the Hessian) for gradient descent and L-BFGS; the proximal-gradient or mirror-descent fixed
     * point (backward by GMRES) for those.
     */
    public static ImplicitRoot argmin(ParametricObjective f, Minimizer minimizer) {
        LinearSolver backward = switch (minimizer) {
            case Minimizer.GradientDescent _, Minimizer.LBfgs _ -> LinearSolver.cg();
            case Minimizer.ProximalGradient _, Minimizer.MirrorDescent _ -> LinearSolver.gmres();
        };
        return root(minimizer.optimality(f), (x0, th) -> minimizer.minimize(f, x0, th).x())
                .withLinearSolver(backward).withName("implicit argmin (" + minimizer.name() + ")");
    }

    /** The proximal-gradient map {@code prox_{ηg}(x − η∇ₓf(x, θ), θ)} as a differentiable fixed-point map. */
    public static FixedPointMap proxGradMap(ParametricObjective f, Prox prox, double eta) {
        Condition grad = stationarity(f);
        return (x, theta) -> prox.apply(x.sub(grad.apply(x, theta).mul(eta)), eta, theta);
    }
}
