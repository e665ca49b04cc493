package org.reprolab.implicit;

import java.util.Arrays;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/**
 * A solution map {@code θ ↦ x*(θ)} defined by an optimality condition {@code F(x*, θ) = 0} and
 * computed by any {@link InnerSolver}, differentiable by the implicit function theorem in reverse mode,
 * forward mode and to higher order, without differentiating the solver. This is JAXopt's
 * {@code custom_root} / {@code custom_fixed_point} (Blondel et al., "Efficient and Modular Implicit
 * Differentiation", NeurIPS 2022, arXiv:2105.15183) with Optimistix's all-modes behaviour (Kidger,
 * {@code ImplicitAdjoint}); the rules are in {@code Ift}. Build one with {@link Implicit}.
 *
 * <p>What the derivative means: that of the exact root near the returned {@code x̂}. It is accurate to
 * {@code O(‖x̂ − x*‖)} (Blondel et al., Thm. 1), so every solve checks {@code ‖F(x̂, θ)‖∞} against
 * {@code forwardTol} and, by {@link OnInexact}, warns (default), throws or ignores. The initial guess
 * gets no gradient: the solution does not depend on it (patrick-kidger/optimistix#54). The backward
 * linear solves use {@code linearSolver} and throw {@link NotConvergedException} when they fail,
 * never returning a zero gradient (google/jaxopt#466).
 *
 * <pre>{@code
 * // ridge: F(w, λ) = Xᵀ(Xw − y) + λ w
 * ImplicitRoot ridge = Implicit.root((w, th) -> X.t().matmul(X.matmul(w).sub(y)).add(w.mul(th[0])),
 *         (w0, th) -> LinearSolver.cg().solve(v -> X.t().matmul(X.matmul(v)).add(v.mul(th[0])), X.t().matmul(y)))
 *     .withLinearSolver(LinearSolver.cg());                  // ∂F/∂w is symmetric positive definite
 * Tensor dLdLam = Autodiff.grad(lam -> ridge.apply(null, lam).sub(wTarget).square().sum(), Tensor.scalar(0.1));
 * }</pre>
 *
 * @param name         names the op in the graph and in error messages
 * @param condition    {@code F(x, θ)}, tensor ops only
 * @param solver       returns {@code x*(θ)}; never differentiated
 * @param linearSolver for the backward (and forward-mode) solves with {@code ∂F/∂x}; GMRES by default,
 *                     CG when {@code ∂F/∂x} is symmetric positive definite (gradient conditions)
 * @param forwardTol   bound on {@code ‖F(x̂, θ)‖∞} checked after every forward solve
 * @param onInexact    what a violated {@code forwardTol} does
 * @param gradient     implicit (default), unrolled through the solver's iteration map, or one step at the
 *                     solution: {@link GradientMode}
 */
public record ImplicitRoot(String name, Condition condition, InnerSolver solver, LinearSolver linearSolver,
                           double forwardTol, OnInexact onInexact, GradientMode gradient) {

    private static final System.Logger LOG = System.getLogger("org.reprolab.implicit");

    /** What an inexact forward solve does. */
    public enum OnInexact { IGNORE, WARN, THROW }

    /** A forward solve: the differentiable solution and the optimality residual {@code ‖F(x̂, θ)‖∞} it reached. */
    public record Solution(Tensor x, double residual, boolean accurate) {}

    public ImplicitRoot {
        if (condition == null || solver == null || linearSolver == null || onInexact == null || gradient == null) {
            throw new IllegalArgumentException("implicit root: condition, solver, linear solver, policy and gradient mode are required");
        }
        if (!(forwardTol > 0)) {
            throw new IllegalArgumentException("implicit root: forwardTol must be > 0, got " + forwardTol);
        }
    }

    public ImplicitRoot withLinearSolver(LinearSolver ls) {
        return new ImplicitRoot(name, condition, solver, ls, forwardTol, onInexact, gradient);
    }

    public ImplicitRoot withForwardTol(double tol) {
        return new ImplicitRoot(name, condition, solver, linearSolver, tol, onInexact, gradient);
    }

    public ImplicitRoot withOnInexact(OnInexact policy) {
        return new ImplicitRoot(name, condition, solver, linearSolver, forwardTol, policy, gradient);
    }

    public ImplicitRoot withName(String n) {
        return new ImplicitRoot(n, condition, solver, linearSolver, forwardTol, onInexact, gradient);
    }

    public ImplicitRoot withSolver(InnerSolver s) {
        return new ImplicitRoot(name, condition, s, linearSolver, forwardTol, onInexact, gradient);
    }

    /** The same root differentiated by {@code mode} (implicit, unrolled, one step; see {@link GradientMode}). */
    public ImplicitRoot withGradient(GradientMode mode) {
        return new ImplicitRoot(name, condition, solver, linearSolver, forwardTol, onInexact, mode);
    }

    /** {@code x*(θ)}, differentiable in every {@code θ} that requires grad (or that an outer transform traces). */
    public Tensor apply(Tensor x0, Tensor... theta) {
        return solve(x0, theta).x();
    }

    /** {@link #apply} plus the forward residual. */
    public Solution solve(Tensor x0, Tensor... theta) {
        if (gradient instanceof GradientMode.Unrolled u) {
            if (x0 == null) {
                throw new IllegalArgumentException(name + ": an unrolled gradient needs the initial guess x0");
            }
            Tensor x = u.run(x0, theta);
            double r;
            try (var _ = Autodiff.noGrad()) {
                r = Dense.maxAbs(condition.apply(x.detach(), Ift.detached(theta)));
            }
            return new Solution(x, r, check(r));
        }
        Tensor[] th = theta.clone();
        Tensor[] thd = Ift.detached(th);
        Tensor xs;
        double res;
        try (var _ = Autodiff.noGrad()) {
            xs = solver.solve(x0 == null ? null : x0.detach(), thd);
            if (xs == null) {
                throw new IllegalStateException(name + ": the inner solver returned null");
            }
            xs = xs.detach();
            Tensor fx = condition.apply(xs, thd);
            if (!Arrays.equals(fx.shape(), xs.shape())) {
                throw new ShapeException(name + ": the condition F(x, θ) has shape " + Arrays.toString(fx.shape())
                        + " but x has shape " + Arrays.toString(xs.shape()) + "; F must be shaped like x");
            }
            res = Dense.maxAbs(fx);
        }
        boolean ok = check(res);
        if (gradient instanceof GradientMode.OneStep o) {
            return new Solution(o.step().apply(xs, th), res, ok);
        }
        Tensor out = Autodiff.custom(name, xs, (g, x) -> Ift.vjp(name, condition, linearSolver, g, x, th), th);
        return new Solution(out, res, ok);
    }

    /** Checks the forward residual against {@code forwardTol} and applies {@link #onInexact}; true when accurate. */
    private boolean check(double res) {
        boolean ok = res <= forwardTol;
        if (!ok) {
            Convergence c = new Convergence(name + " forward solve", false, -1, res, forwardTol, "‖F(x̂, θ)‖∞",
                    "the implicit gradient is only accurate to about the forward residual (Blondel et al. 2022, Thm. 1);"
                            + " tighten the inner solver");
            switch (onInexact) {
                case THROW -> throw new NotConvergedException(name, c);
                case WARN -> LOG.log(System.Logger.Level.WARNING, name + ": " + c.describe());
                case IGNORE -> { }
            }
        }
        return ok;
    }

    /** Forward mode at a solution {@code x} (from {@link #apply}): the tangent of {@code x*} along {@code θ̇}, one linear solve. */
    public Tensor jvp(Tensor x, Tensor[] theta, Tensor[] thetaDot) {
        return Ift.jvp(name, condition, linearSolver, x, theta, thetaDot);
    }

    /** Reverse mode at a solution {@code x}: the cotangents {@code wᵀ} times the Jacobian of {@code x*} in each {@code θᵢ}, one linear solve. */
    public Tensor[] vjp(Tensor x, Tensor[] theta, Tensor w) {
        try (var _ = Autodiff.noGrad()) {
            return Ift.vjp(name, condition, linearSolver, w, x.detach(), Ift.detached(theta));
        }
    }
}
