package org.reprolab.implicit;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.LinkedHashMap;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Sparsity-constrained optimal transport (Liu, Puigcerver and Blondel, ICLR 2023, arXiv:2209.15466):
 * quadratically regularised OT with at most {@code k} nonzeros in every column of the plan,
 * {@code min ⟨C, T⟩ + (γ/2)‖T‖²} over {@code T ≥ 0}, {@code T1 = a}, {@code Tᵀ1 = b},
 * {@code ‖t_j‖₀ ≤ k}. The cardinality constraint is not convex; the paper solves the semi-dual
 *
 * <pre>
 *   S(α) = ⟨α, a⟩ − Σ_j max_{t ∈ b_jΔ, ‖t‖₀ ≤ k} [⟨α − c_j, t⟩ − (γ/2)‖t‖²],
 * </pre>
 * a concave function of {@code α} whose inner maximiser is the k-sparse simplex projection
 * {@code t_j = Π_{b_jΔ, k}((α − c_j)/γ)} (top-k, then the simplex: {@link Projections#sparseSimplex}; the
 * authors' POT code, {@code SparsityConstrained.max_Omega}) and whose gradient is {@code a − T1}. Every
 * column of the plan read off {@code α} has at most {@code k} nonzeros and sums to {@code b_j} by
 * construction; the row marginal holds at a differentiable maximum, and then the duality gap
 * {@code ⟨C, T⟩ + (γ/2)‖T‖² − S(α)} is zero (for any {@code α}, {@code S(α)} is a lower bound).
 * {@code k >= n} is quadratically regularised OT (Blondel, Seguy and Rolet, AISTATS 2018); {@code k = 1}
 * is the unregularised semi-dual shifted by {@code (γ/2)‖b‖²} (each column is one point mass
 * {@code b_j}), whose maximum is the exact OT cost plus that constant, but which is piecewise linear:
 * the paper's trade-off, the objective gets smoother (and L-BFGS faster) as {@code k} grows.
 *
 * <p>Solved by L-BFGS on host arrays (like {@link SinkhornNewtonSparse}'s loop, so that every iteration's
 * error is recorded for {@link IterativeSolver}); the error is {@code ‖T1 − a‖₁} and the solve stops at
 * {@code tol}, or when the line search fails or the semi-dual stops improving: when the constraint binds,
 * the maximum often sits on a kink (two top-k sets tie in some column), where no single k-sparse plan
 * meets the row marginal; the result then says so, holds the iterate whose plan came closest to the row marginal, and its
 * {@code ‖T1 − a‖₁} measures the violation. Differentiation is by the implicit function theorem on the optimality condition {@code T(α)1 = a}
 * ({@link #potential}, gauge fixed by {@code α_n = 0}: {@code S} is invariant under {@code α + c1}); its
 * Jacobian {@code (1/γ) Σ_j (diag(m_j) − m_j m_jᵀ/|m_j|)} (supports {@code m_j}) is positive
 * semi-definite, so the backward solves use CG. It is invertible when the supports connect all rows;
 * at {@code k = 1} it is zero, and the plan is piecewise constant in the inputs.
 *
 * @param gamma   the quadratic regularisation γ (scale it with the cost range over the mass per entry)
 * @param k       the largest number of nonzeros per column ({@code k >= n} means no constraint)
 * @param tol     target for {@code ‖T1 − a‖₁}
 * @param maxIter L-BFGS iteration cap
 */
public record SparsityConstrainedOt(double gamma, int k, double tol, int maxIter) implements IterativeSolver<OtProblem> {

    public SparsityConstrainedOt {
        if (!(gamma > 0) || k < 1 || !(tol > 0) || maxIter < 1) {
            throw new IllegalArgumentException("sparsity-constrained OT: need gamma > 0, k >= 1, tol > 0, maxIter >= 1; got "
                    + gamma + ", " + k + ", " + tol + ", " + maxIter);
        }
    }

    /** Iterations without halving the error after which a solve stops as stalled at a kink. */
    private static final int STALL = 100;

    /** γ and k, tolerance 1e-9 on {@code ‖T1 − a‖₁}, at most 2000 L-BFGS iterations. */
    public static SparsityConstrainedOt of(double gamma, int k) {
        return new SparsityConstrainedOt(gamma, k, 1e-9, 2000);
    }

    public SparsityConstrainedOt withTol(double t) {
        return new SparsityConstrainedOt(gamma, k, t, maxIter);
    }

    public SparsityConstrainedOt withMaxIter(int n) {
        return new SparsityConstrainedOt(gamma, k, tol, n);
    }

    /**
     * A solve: the potential {@code α} (gauge {@code α_n = 0}), the plan {@code T [n, m]}, the semi-dual
     * value {@code S(α)}, the transport cost {@code ⟨C, T⟩}, the primal objective
     * {@code ⟨C, T⟩ + (γ/2)‖T‖²}, the most nonzeros in a column, how it ended, and the error and elapsed
     * seconds after every iteration.
     */
    public record Solution(Tensor alpha, Tensor plan, double semiDual, double transportCost, double primal, int maxNonzeros,
                           Convergence convergence, double[] errors, double[] seconds) {

        /** {@code primal − semiDual ≥ 0}: zero certifies the plan optimal for the (non-convex) primal. */
        public double gap() {
            return primal - semiDual;
        }

        /**
         * As an {@link IterativeSolver} reports it: the errors and times, and {@code transport_cost},
         * {@code semi_dual}, {@code primal}, {@code gap}, {@code max_nnz} (per column) and {@code seconds};
         * the solution is the plan.
         */
        public SolverTrace trace() {
            var scalars = new LinkedHashMap<String, Double>();
            scalars.put("transport_cost", transportCost);
            scalars.put("semi_dual", semiDual);
            scalars.put("primal", primal);
            scalars.put("gap", gap());
            scalars.put("max_nnz", (double) maxNonzeros);
            scalars.put("seconds", seconds.length == 0 ? 0 : seconds[seconds.length - 1]);
            return new SolverTrace(errors, seconds, convergence.converged(), scalars, plan.toDoubleArray());
        }
    }

    @Override
    public SolverTrace trace(OtProblem p) {
        return solve(p.a(), p.b(), p.cost()).trace();
    }

    /** Maximises the semi-dual from {@code α = 0} (plain values; see {@link #potential} to differentiate). */
    public Solution solve(Tensor a, Tensor b, Tensor c) {
        new Sinkhorn(1, 1, 1).check(a, b, c);
        try (var _ = Autodiff.noGrad()) {
            return new SemiDual(a.toDoubleArray(), b.toDoubleArray(), c.contiguous().toDoubleArray()).maximise(c);
        }
    }

    /** The semi-dual's state on host arrays: row-major {@code C [n, m]} and the plan of the last evaluation. */
    private final class SemiDual {
        final int n;
        final int m;
        final double[] a;
        final double[] b;
        final double[] c;
        final double[] plan;
        final double[] column;
        final double[] mask;

        SemiDual(double[] a, double[] b, double[] c) {
            this.a = a;
            this.b = b;
            this.c = c;
            n = a.length;
            m = b.length;
            plan = new double[n * m];
            column = new double[n];
            mask = new double[n];
        }

        /** {@code −S(α)}, with its gradient {@code T1 − a} in {@code grad}; fills {@link #plan}. */
        double negValue(double[] alpha, double[] grad) {
            double s = 0;
            for (int i = 0; i < n; i++) {
                s += alpha[i] * a[i];
                grad[i] = -a[i];
            }
            for (int j = 0; j < m; j++) {
                for (int i = 0; i < n; i++) {
                    column[i] = (alpha[i] - c[i * m + j]) / (gamma * b[j]);
                }
                int rho = Projections.support(column, 0, n, 1, k, mask);
                double sum = 0;
                for (int i = 0; i < n; i++) {
                    sum += mask[i] * column[i];
                }
                double tau = (sum - 1) / rho;
                for (int i = 0; i < n; i++) {
                    double t = mask[i] > 0 ? b[j] * (column[i] - tau) : 0;
                    plan[i * m + j] = t;
                    if (t != 0) {
                        s -= (alpha[i] - c[i * m + j]) * t - 0.5 * gamma * t * t;
                        grad[i] += t;
                    }
                }
            }
            return -s;
        }

        Solution maximise(Tensor like) {
            long start = System.nanoTime();
            double[] x = new double[n];
            double[] g = new double[n];
            double f = negValue(x, g);
            double err = l1(g);
            Deque<double[][]> memory = new ArrayDeque<>();
            double[] errors = new double[maxIter];
            double[] times = new double[maxIter];
            int it = 0;
            String reason = null;
            double[] xn = new double[n];
            double[] gn = new double[n];
            int flat = 0;
            double best = err;
            double[] bestX = x.clone();
            double bestErr = err;
            while (err > tol && it < maxIter) {
                Dense.checkInterrupt("sparsity-constrained OT");
                double[] d = direction(g, memory);
                double slope = dot(g, d);
                if (!(slope < 0)) {
                    memory.clear();
                    d = direction(g, memory);
                    slope = dot(g, d);
                }
                double step = 1;
                double fn = Double.NaN;
                boolean accepted = false;
                for (int ls = 0; ls < 60; ls++) {
                    for (int i = 0; i < n; i++) {
                        xn[i] = x[i] + step * d[i];
                    }
                    fn = negValue(xn, gn);
                    // below the float64 resolution of S the Armijo test is noise: accept the quasi-Newton step
                    if (fn <= f + 1e-4 * step * slope || -slope * step <= 1e-14 * Math.max(1, Math.abs(f))) {
                        accepted = true;
                        break;
                    }
                    step /= 2;
                }
                if (!accepted) {
                    negValue(x, g);
                    reason = "line search failed (the semi-dual is non-smooth at small k, or at machine precision)";
                    break;
                }
                double[] sv = new double[n];
                double[] yv = new double[n];
                for (int i = 0; i < n; i++) {
                    sv[i] = xn[i] - x[i];
                    yv[i] = gn[i] - g[i];
                }
                double sy = dot(sv, yv);
                if (sy > 1e-300) {
                    memory.addLast(new double[][] {sv, yv, {1 / sy}});
                    if (memory.size() > 10) {
                        memory.removeFirst();
                    }
                }
                System.arraycopy(xn, 0, x, 0, n);
                System.arraycopy(gn, 0, g, 0, n);
                f = fn;
                err = l1(g);
                if (err < bestErr) {
                    bestErr = err;
                    System.arraycopy(x, 0, bestX, 0, n);
                }
                if (err < 0.5 * best) {
                    best = err;
                    flat = 0;
                } else {
                    flat++;
                }
                errors[it] = err;
                times[it] = (System.nanoTime() - start) * 1e-9;
                it++;
                if (flat >= STALL && err > tol) {
                    reason = "stalled: the error did not halve in " + STALL + " iterations (a kink of the semi-dual: the k-sparse maximum is"
                            + " non-smooth and its plan misses the row marginal)";
                    break;
                }
            }
            boolean ok = err <= tol;
            if (!ok && bestErr < err) {
                System.arraycopy(bestX, 0, x, 0, n);
                f = negValue(x, g);
                err = bestErr;
            }
            double shift = x[n - 1];
            double[] alpha = new double[n];
            for (int i = 0; i < n; i++) {
                alpha[i] = x[i] - shift;
            }
            double transport = 0;
            double squares = 0;
            int maxNnz = 0;
            for (int j = 0; j < m; j++) {
                int nnz = 0;
                for (int i = 0; i < n; i++) {
                    double t = plan[i * m + j];
                    transport += c[i * m + j] * t;
                    squares += t * t;
                    nnz += t != 0 ? 1 : 0;
                }
                maxNnz = Math.max(maxNnz, nnz);
            }
            String name = "sparsity-constrained OT (γ = " + gamma + ", k = " + k + ")";
            var conv = new Convergence(name, ok, it, err, tol, "‖T1 − a‖₁",
                    ok ? null : reason != null ? reason : "iteration cap " + maxIter + " reached");
            return new Solution(Dense.like(alpha, like.select(1, 0)), Tensor.of(plan.clone(), n, m).to(like.dtype()), -f,
                    transport, transport + 0.5 * gamma * squares, maxNnz, conv, Arrays.copyOf(errors, it), Arrays.copyOf(times, it));
        }

        /** The L-BFGS two-loop direction {@code −H g}; the first step is scaled to move α by at most 1. */
        private double[] direction(double[] g, Deque<double[][]> memory) {
            double[] q = g.clone();
            double[][][] pairs = memory.toArray(double[][][]::new);
            double[] coef = new double[pairs.length];
            for (int p = pairs.length - 1; p >= 0; p--) {
                coef[p] = pairs[p][2][0] * dot(pairs[p][0], q);
                axpy(-coef[p], pairs[p][1], q);
            }
            double scale;
            if (pairs.length > 0) {
                double[][] last = pairs[pairs.length - 1];
                scale = dot(last[0], last[1]) / dot(last[1], last[1]);
            } else {
                double gmax = 0;
                for (double e : g) {
                    gmax = Math.max(gmax, Math.abs(e));
                }
                scale = Math.min(gamma * n, 1 / Math.max(gmax, 1e-300));
            }
            for (int i = 0; i < n; i++) {
                q[i] *= scale;
            }
            for (int p = 0; p < pairs.length; p++) {
                double beta = pairs[p][2][0] * dot(pairs[p][1], q);
                axpy(coef[p] - beta, pairs[p][0], q);
            }
            for (int i = 0; i < n; i++) {
                q[i] = -q[i];
            }
            return q;
        }
    }

    private static double dot(double[] u, double[] v) {
        double s = 0;
        for (int i = 0; i < u.length; i++) {
            s += u[i] * v[i];
        }
        return s;
    }

    private static void axpy(double s, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) {
            y[i] += s * x[i];
        }
    }

    private static double l1(double[] v) {
        double s = 0;
        for (double e : v) {
            s += Math.abs(e);
        }
        return s;
    }

    /**
     * The plan {@code T = [Π_{b_jΔ, k}((α − c_j)/γ)]_j} read off a potential {@code α [n]}, with tensor ops
     * (the supports enter as constants, {@link Projections#sparseSimplex}), so differentiable in α, b and C.
     */
    public Tensor planOf(Tensor alpha, Tensor b, Tensor c) {
        Tensor scores = alpha.unsqueeze(1).sub(c).div(b.unsqueeze(0).mul(gamma)).t();
        return Projections.sparseSimplex(scores, 1, k).mul(b.unsqueeze(1)).t();
    }

    /**
     * The optimality condition over {@code x = (α_1..α_{n−1})}, {@code α_n = 0}: the first {@code n − 1}
     * entries of {@code T(α)1 − a}; θ = (a, b, C).
     */
    Condition condition(int n) {
        return (x, th) -> {
            Tensor alpha = Tensor.concat(0, x, Tensor.zeros(x.dtype(), 1));
            return planOf(alpha, th[1], th[2]).sum(1).sub(th[0]).slice(0, 0, n - 1);
        };
    }

    /** The potential {@code α} with {@code α_n = 0}, differentiable in a, b and C by the implicit function theorem. */
    public Tensor potential(Tensor a, Tensor b, Tensor c) {
        new Sinkhorn(1, 1, 1).check(a, b, c);
        int n = a.shape()[0];
        if (n < 2) {
            throw new IllegalArgumentException("sparsity-constrained OT: differentiating needs n >= 2 source points, got " + n);
        }
        InnerSolver run = (x0, th) -> {
            Solution s = solve(th[0], th[1], th[2]);
            if (!s.convergence().converged()) {
                throw new NotConvergedException("sparsity-constrained OT forward solve", s.convergence());
            }
            return s.alpha().slice(0, 0, n - 1);
        };
        Tensor x = Implicit.root(condition(n), run).withLinearSolver(LinearSolver.cg())
                .withName("sparsity-constrained OT potential").withForwardTol(Math.max(1e-8, 10 * tol)).apply(null, a, b, c);
        return Tensor.concat(0, x, Tensor.zeros(x.dtype(), 1));
    }

    /** The k-sparse plan on the implicit potential, differentiable in a, b and C. */
    public Tensor plan(Tensor a, Tensor b, Tensor c) {
        return planOf(potential(a, b, c), b, c);
    }

    /** The transport cost {@code ⟨C, T⟩} of the plan, differentiable (the plan's implicit derivative included). */
    public Tensor linearCost(Tensor a, Tensor b, Tensor c) {
        return c.mul(plan(a, b, c)).sum();
    }
}
