package org.reprolab.implicit;

import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Entropic optimal transport by log-domain Sinkhorn (Cuturi, NeurIPS 2013; log-domain updates as in
 * Peyré and Cuturi, "Computational Optimal Transport", §4.4; OTT-JAX {@code Sinkhorn(lse_mode=True)},
 * POT {@code sinkhorn_log}), for {@code min_{P1=a, Pᵀ1=b} ⟨C, P⟩ + ε Σ P(log P − 1)}:
 * {@code f ← ε log a − ε LSE_j((g_j − C_ij)/ε)}, {@code g ← ε log b − ε LSE_i((f_i − C_ij)/ε)},
 * {@code P = exp((f ⊕ g − C)/ε)}. After each g-update {@code Pᵀ1 = b} exactly, so the stopping rule is
 * {@code ‖P1 − a‖₁ ≤ tol}.
 *
 * <p>Differentiation, three ways (cf. OTT's {@code ImplicitDiff} and {@code use_danskin}, POT's
 * {@code grad='envelope'}):
 * <ul>
 * <li>{@link #potentials}: the dual potentials as an {@link ImplicitRoot} of the Sinkhorn fixed point,
 * gauge fixed by {@code g_m = 0} (the balanced problem is invariant under {@code (f + c, g − c)},
 * the singular direction OTT handles with a kernel ridge); differentiable in {@code a}, {@code b},
 * {@code C} (hence in point clouds through {@link #sqEuclidean}) to any order;
 * <li>{@link #cost}: the regularised cost {@code ⟨a, f⟩ + ⟨b, g⟩ − ε Σ P} on those potentials;
 * <li>{@link #envelopeCost}: the same value with the potentials detached: by the envelope (Danskin)
 * theorem its first derivatives are exact ({@code ∂/∂a = f}, {@code ∂/∂b = g}, {@code ∂/∂C = P})
 * with no linear solve, but its second derivatives are wrong; {@link #linearCost}
 * {@code ⟨C, P⟩} needs the implicit route.
 * </ul>
 * Weights live on the simplex: only the centred gradient {@code ∇ − mean(∇)} is meaningful (POT's
 * convention); zero weights give infinite potentials.
 */
public record Sinkhorn(double epsilon, double tol, int maxIter) implements IterativeSolver<OtProblem> {

    public Sinkhorn {
        if (!(epsilon > 0) || !(tol > 0) || maxIter < 1) {
            throw new IllegalArgumentException("Sinkhorn: need epsilon > 0, tol > 0, maxIter >= 1; got " + epsilon + ", "
                    + tol + ", " + maxIter);
        }
    }

    public static Sinkhorn of(double epsilon) {
        return new Sinkhorn(epsilon, 1e-10, 100_000);
    }

    /**
     * As an {@link IterativeSolver}: the same sweeps as {@link #solve} on host arrays, with the error
     * {@code ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁} and the time after every sweep (the loop
     * {@link SinkhornNewtonSparse#sinkhorn} shares with SNS, so that the two compare like with like).
     */
    @Override
    public SolverTrace trace(OtProblem p) {
        return new SinkhornNewtonSparse(epsilon, tol, 0, 0, 1).sinkhorn(p.a(), p.b(), p.cost(), maxIter).trace();
    }

    /** Potentials, plan, regularised cost and how the iteration ended. */
    public record Transport(Tensor f, Tensor g, Tensor plan, double cost, Convergence convergence) {}

    /** {@code C_ij = ‖x_i − y_j‖²} for point clouds {@code x [n, d]}, {@code y [m, d]}; differentiable. */
    public static Tensor sqEuclidean(Tensor x, Tensor y) {
        return x.unsqueeze(1).sub(y.unsqueeze(0)).square().sum(2);
    }

    void check(Tensor a, Tensor b, Tensor c) {
        if (a.rank() != 1 || b.rank() != 1 || c.rank() != 2 || c.shape()[0] != a.shape()[0] || c.shape()[1] != b.shape()[0]) {
            throw new IllegalArgumentException("Sinkhorn: need a [n], b [m], C [n, m]; got " + java.util.Arrays.toString(a.shape())
                    + ", " + java.util.Arrays.toString(b.shape()) + ", " + java.util.Arrays.toString(c.shape()));
        }
        try (var _ = Autodiff.noGrad()) {
            if (!(a.min().item() > 0) || !(b.min().item() > 0)) {
                throw new IllegalArgumentException("Sinkhorn: weights must be positive (zero weights give infinite potentials)");
            }
            double gap = Math.abs(a.sum().item() - b.sum().item());
            if (gap > 1e-8 * a.sum().item()) {
                throw new IllegalArgumentException("Sinkhorn: balanced OT needs sum(a) = sum(b); they differ by " + gap);
            }
        }
    }

    private Tensor fUpdate(Tensor g, Tensor a, Tensor c) {
        return a.log().mul(epsilon).sub(g.unsqueeze(0).sub(c).div(epsilon).logsumexp(1, false).mul(epsilon));
    }

    private Tensor gUpdate(Tensor f, Tensor b, Tensor c) {
        return b.log().mul(epsilon).sub(f.unsqueeze(1).sub(c).div(epsilon).logsumexp(0, false).mul(epsilon));
    }

    private Tensor kernelPlan(Tensor f, Tensor g, Tensor c) {
        return f.unsqueeze(1).add(g.unsqueeze(0)).sub(c).div(epsilon).exp();
    }

    /** Runs the iteration from zero potentials (plain values; see {@link #potentials} to differentiate). */
    public Transport solve(Tensor a, Tensor b, Tensor c) {
        check(a, b, c);
        try (var _ = Autodiff.noGrad()) {
            Tensor f = Tensor.zerosLike(a);
            Tensor g = Tensor.zerosLike(b);
            double err = Double.POSITIVE_INFINITY;
            int it = 0;
            while (it < maxIter) {
                Dense.checkInterrupt("Sinkhorn");
                f = fUpdate(g, a, c);
                g = gUpdate(f, b, c);
                it++;
                err = kernelPlan(f, g, c).sum(1).sub(a).abs().sum().item();
                if (err <= tol || !Double.isFinite(err)) {
                    break;
                }
            }
            Tensor p = kernelPlan(f, g, c);
            double value = a.mul(f).sum().item() + b.mul(g).sum().item() - epsilon * p.sum().item();
            boolean ok = err <= tol;
            return new Transport(f, g, p, value, new Convergence("Sinkhorn(ε = " + epsilon + ")", ok, it, err, tol,
                    "‖P1 − a‖₁", ok ? null : Double.isFinite(err) ? "iteration cap " + maxIter + " reached"
                            : "non-finite potentials (ε too small for the cost scale?)"));
        }
    }

    /**
     * The gauge-fixed Sinkhorn fixed point over {@code x = (f, g_1..g_{m−1})}, {@code g_m = 0}:
     * {@code F_f = f − ε log a + ε LSE_j((g_j − C_ij)/ε)} and the first {@code m − 1} entries of
     * {@code F_g = g − ε log b + ε LSE_i((f_i − C_ij)/ε)}; θ = (a, b, C).
     */
    Condition condition(int n, int m) {
        return (x, th) -> {
            Tensor a = th[0];
            Tensor b = th[1];
            Tensor c = th[2];
            Tensor f = x.slice(0, 0, n);
            Tensor g = Tensor.concat(0, x.slice(0, n, n + m - 1), Tensor.zeros(x.dtype(), 1));
            Tensor ff = f.sub(fUpdate(g, a, c));
            Tensor fg = g.sub(gUpdate(f, b, c)).slice(0, 0, m - 1);
            return Tensor.concat(0, ff, fg);
        };
    }

    /** The potentials {@code (f, g)} with {@code g_m = 0}, concatenated, differentiable in a, b and C by the IFT. */
    public Tensor potentials(Tensor a, Tensor b, Tensor c) {
        check(a, b, c);
        int n = a.shape()[0];
        int m = b.shape()[0];
        InnerSolver run = (x0, th) -> {
            Transport t = solve(th[0], th[1], th[2]);
            if (!t.convergence().converged()) {
                throw new NotConvergedException("Sinkhorn forward solve", t.convergence());
            }
            double shift = t.g().get(m - 1);
            return Tensor.concat(0, t.f().add(shift), t.g().sub(shift).slice(0, 0, m - 1));
        };
        Tensor x = Implicit.root(condition(n, m), run).withName("Sinkhorn potentials")
                .withForwardTol(Math.max(1e-6, 10 * epsilon * tol)).apply(null, a, b, c);
        return Tensor.concat(0, x, Tensor.zeros(x.dtype(), 1));
    }

    private Tensor dual(Tensor f, Tensor g, Tensor a, Tensor b, Tensor c) {
        return a.mul(f).sum().add(b.mul(g).sum()).sub(kernelPlan(f, g, c).sum().mul(epsilon));
    }

    /** The regularised cost {@code ⟨C, P⟩ + ε Σ P(log P − 1)} (= the dual at the optimum), differentiable to any order. */
    public Tensor cost(Tensor a, Tensor b, Tensor c) {
        int n = a.shape()[0];
        Tensor fg = potentials(a, b, c);
        return dual(fg.slice(0, 0, n), fg.slice(0, n, fg.shape()[0]), a, b, c);
    }

    /** The same value with the potentials detached: exact first derivatives by the envelope theorem, no linear solve. */
    public Tensor envelopeCost(Tensor a, Tensor b, Tensor c) {
        Transport t = solve(a, b, c);
        if (!t.convergence().converged()) {
            throw new NotConvergedException("Sinkhorn", t.convergence());
        }
        return dual(t.f(), t.g(), a, b, c);
    }

    /** The plan {@code P = exp((f ⊕ g − C)/ε)} on the implicit potentials, differentiable. */
    public Tensor plan(Tensor a, Tensor b, Tensor c) {
        int n = a.shape()[0];
        Tensor fg = potentials(a, b, c);
        return kernelPlan(fg.slice(0, 0, n), fg.slice(0, n, fg.shape()[0]), c);
    }

    /** The transport (linear) cost {@code ⟨C, P⟩}: its gradient needs the implicit derivative of the plan. */
    public Tensor linearCost(Tensor a, Tensor b, Tensor c) {
        return c.mul(plan(a, b, c)).sum();
    }
}
