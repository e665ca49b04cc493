package org.reprolab.implicit;

import java.util.Arrays;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Sinkhorn-Newton-Sparse (Tang, Shavlovsky, Rahmanian, Tardini, Thekumparampil, Xiao and Ying,
 * "Accelerating Sinkhorn Algorithm with Sparse Newton Iterations", ICLR 2024, arXiv:2401.12253) for the
 * entropic OT problem of {@link Sinkhorn}. Sinkhorn is alternating maximisation of the concave dual
 * {@code L(f, g) = ⟨a, f⟩ + ⟨b, g⟩ − ε Σ P_ij}, {@code P = exp((f ⊕ g − C)/ε)}, with
 * {@code ∇L = (a − P1, b − Pᵀ1)} and {@code −∇²L = (1/ε)[[diag(P1), P], [Pᵀ, diag(Pᵀ1)]]}. SNS runs:
 *
 * <ol>
 * <li>{@code warmup} log-domain Sinkhorn sweeps (stage 1; the plan concentrates near the optimal face, so
 * the Hessian becomes approximately sparse: the paper's Theorem 1);
 * <li>Newton steps on L (stage 2): keep the diagonal and the {@code ⌈perRow · max(n, m)⌉} largest entries
 * of the off-diagonal block {@code P} (the paper's density {@code λ = perRow / n}; it recommends
 * {@code λ = 2/n} for well-separated problems, smooth 1-D plans need more, see the notes §3.7), solve
 * the sparse system {@code M Δ = ∇L} by conjugate gradients ({@link LinearSolver#cg}) and take the
 * largest step {@code 2^{-k}} that passes Armijo's test on L. Truncation keeps {@code M} symmetric and
 * diagonally dominant, hence positive semi-definite; {@code ∇L ⊥ (1, −1)} (its null direction), so CG
 * is well defined.
 * </ol>
 * Each Newton step costs {@code O(nm)} for the plan plus {@code O(nnz)} per CG product, as one Sinkhorn
 * sweep plus a few sparse products, against Sinkhorn's linear rate that degrades like
 * {@code 1 − e^{−‖C‖∞/ε}}.
 *
 * <p>Both stages run on host arrays here (one implementation of the sweep, shared with
 * {@link #sinkhorn}, so iteration counts and times compare like with like). The stopping rule is the
 * marginal error {@code ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁ ≤ tol} for both. The Armijo test is skipped once the
 * predicted gain {@code ⟨∇L, Δ⟩} is below the float64 resolution of L (otherwise Newton stalls near
 * 1e-9, as the notes record). The result is a {@link Sinkhorn.Transport} with the same gauge-free
 * potentials as {@link Sinkhorn#solve}; differentiate through {@link Sinkhorn#potentials}, whose implicit
 * rule does not depend on which solver found the optimum.
 *
 * @param epsilon regularisation ε
 * @param tol     marginal error target
 * @param warmup  Sinkhorn sweeps before Newton (N₁)
 * @param maxNewton Newton step cap (N₂)
 * @param perRow  average kept off-diagonal entries per row ({@code λ n})
 */
public record SinkhornNewtonSparse(double epsilon, double tol, int warmup, int maxNewton, double perRow)
        implements IterativeSolver<OtProblem> {

    public SinkhornNewtonSparse {
        if (!(epsilon > 0) || !(tol > 0) || warmup < 0 || maxNewton < 0 || !(perRow > 0)) {
            throw new IllegalArgumentException("Sinkhorn-Newton-Sparse: need epsilon > 0, tol > 0, warmup >= 0, maxNewton >= 0,"
                    + " perRow > 0; got " + epsilon + ", " + tol + ", " + warmup + ", " + maxNewton + ", " + perRow);
        }
    }

    /**
     * ε, tolerance 1e-10, 20 warm-up sweeps, at most 200 Newton steps, 30 kept entries per row. The paper's
     * {@code λ = 2/n} ({@code perRow = 2}) suits plans close to a permutation; a smooth plan keeps about
     * {@code 6 sqrt(ε/2)/h} significant entries per row on a grid of spacing {@code h} (≈ 30 for
     * ε = 2e-3, h = 1/150), and with fewer the sparse Newton steps stall (measured: 10 per row stalls at
     * error 6e-3 after 200 steps, 20 needs 176 steps, 30 needs 14).
     */
    public static SinkhornNewtonSparse of(double epsilon) {
        return new SinkhornNewtonSparse(epsilon, 1e-10, 20, 200, 30);
    }

    public SinkhornNewtonSparse withTol(double t) {
        return new SinkhornNewtonSparse(epsilon, t, warmup, maxNewton, perRow);
    }

    public SinkhornNewtonSparse withWarmup(int n) {
        return new SinkhornNewtonSparse(epsilon, tol, n, maxNewton, perRow);
    }

    public SinkhornNewtonSparse withPerRow(double k) {
        return new SinkhornNewtonSparse(epsilon, tol, warmup, maxNewton, k);
    }

    /**
     * A run: the transport, the iterations of each stage, the CG products spent, the marginal error
     * after every iteration (warm-up sweeps first) and the wall time elapsed by then (seconds since the
     * start, error evaluation included), the kept fraction of {@code P} and the total wall time.
     */
    public record Run(Sinkhorn.Transport transport, int sinkhornIterations, int newtonIterations, int cgIterations,
                      double[] errors, double[] times, double keptFraction, double seconds) {
        public int iterations() {
            return sinkhornIterations + newtonIterations;
        }

        /**
         * As an {@link IterativeSolver} reports it: the errors and times, and the counts {@code sweeps},
         * {@code newton_steps}, {@code cg_products}, {@code kept_percent} (of P), {@code cost} and
         * {@code seconds}; the solution is the plan.
         */
        public SolverTrace trace() {
            var scalars = new java.util.LinkedHashMap<String, Double>();
            scalars.put("sweeps", (double) sinkhornIterations);
            scalars.put("newton_steps", (double) newtonIterations);
            scalars.put("cg_products", (double) cgIterations);
            scalars.put("kept_percent", 100 * keptFraction);
            scalars.put("cost", transport.cost());
            scalars.put("seconds", seconds);
            return new SolverTrace(errors, times, transport.convergence().converged(), scalars, transport.plan().toDoubleArray());
        }
    }

    /** {@link #solve} on {@code p}, as an {@link IterativeSolver}. */
    @Override
    public SolverTrace trace(OtProblem p) {
        return solve(p.a(), p.b(), p.cost()).trace();
    }

    /** SNS: warm-up sweeps, then sparse Newton steps until {@code tol} or the cap. */
    public Run solve(Tensor a, Tensor b, Tensor c) {
        return new Loop(a, b, c).run(warmup, maxNewton, "Sinkhorn-Newton-Sparse");
    }

    /**
     * Plain log-domain Sinkhorn on the same arrays and stopping rule, at most {@code maxIter} sweeps: the
     * baseline SNS is measured against (same values as {@link Sinkhorn#solve}, faster on the host).
     */
    public Run sinkhorn(Tensor a, Tensor b, Tensor c, int maxIter) {
        return new Loop(a, b, c).run(maxIter, 0, "Sinkhorn (host)");
    }

    /** The state and steps of one solve; plain arrays, row-major {@code C}. */
    private final class Loop {
        final int n;
        final int m;
        final double[] a;
        final double[] b;
        final double[] cost;
        final double[] f;
        final double[] g;
        final double[] p;
        final double[] rows;
        final double[] cols;
        final double[] logA;
        final double[] logB;
        final double[] work;

        Loop(Tensor at, Tensor bt, Tensor ct) {
            new Sinkhorn(epsilon, tol, 1).check(at, bt, ct);
            try (var _ = Autodiff.noGrad()) {
                a = at.toDoubleArray();
                b = bt.toDoubleArray();
                cost = ct.contiguous().toDoubleArray();
            }
            n = a.length;
            m = b.length;
            f = new double[n];
            g = new double[m];
            p = new double[n * m];
            rows = new double[n];
            cols = new double[m];
            logA = new double[n];
            logB = new double[m];
            for (int i = 0; i < n; i++) {
                logA[i] = Math.log(a[i]);
            }
            for (int j = 0; j < m; j++) {
                logB[j] = Math.log(b[j]);
            }
            work = new double[Math.max(n, m)];
        }

        /** One Sinkhorn sweep: f then g by stabilised log-sum-exp. */
        void sweep() {
            for (int i = 0; i < n; i++) {
                double mx = Double.NEGATIVE_INFINITY;
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    mx = Math.max(mx, g[j] - cost[o + j]);
                }
                double s = 0;
                for (int j = 0; j < m; j++) {
                    s += Math.exp((g[j] - cost[o + j] - mx) / epsilon);
                }
                f[i] = epsilon * logA[i] - mx - epsilon * Math.log(s);
            }
            Arrays.fill(work, 0, m, Double.NEGATIVE_INFINITY);
            for (int i = 0; i < n; i++) {
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    work[j] = Math.max(work[j], f[i] - cost[o + j]);
                }
            }
            double[] s = new double[m];
            for (int i = 0; i < n; i++) {
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    s[j] += Math.exp((f[i] - cost[o + j] - work[j]) / epsilon);
                }
            }
            for (int j = 0; j < m; j++) {
                g[j] = epsilon * logB[j] - work[j] - epsilon * Math.log(s[j]);
            }
        }

        /** P, its marginals, and the error ‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁. */
        double plan() {
            Arrays.fill(rows, 0);
            Arrays.fill(cols, 0);
            for (int i = 0; i < n; i++) {
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    double v = Math.exp((f[i] + g[j] - cost[o + j]) / epsilon);
                    p[o + j] = v;
                    rows[i] += v;
                    cols[j] += v;
                }
            }
            double e = 0;
            for (int i = 0; i < n; i++) {
                e += Math.abs(rows[i] - a[i]);
            }
            for (int j = 0; j < m; j++) {
                e += Math.abs(cols[j] - b[j]);
            }
            return e;
        }

        /** L at (f + t df, g + t dg); −∞ on overflow. */
        double dual(double[] df, double[] dg, double t) {
            double s = 0;
            double lin = 0;
            for (int i = 0; i < n; i++) {
                double fi = f[i] + t * df[i];
                lin += a[i] * fi;
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    s += Math.exp((fi + g[j] + t * dg[j] - cost[o + j]) / epsilon);
                }
            }
            for (int j = 0; j < m; j++) {
                lin += b[j] * (g[j] + t * dg[j]);
            }
            double v = lin - epsilon * s;
            return Double.isFinite(v) ? v : Double.NEGATIVE_INFINITY;
        }

        /** The kept off-diagonal entries as CSR, the ⌈perRow·max(n, m)⌉ largest of P. */
        Sparse sparsify() {
            int keep = (int) Math.min((long) n * m, (long) Math.ceil(perRow * Math.max(n, m)));
            double rho = kthLargest(p.clone(), keep);
            int[] start = new int[n + 1];
            int nnz = 0;
            for (int k = 0; k < n * m; k++) {
                if (p[k] >= rho) {
                    nnz++;
                }
            }
            int[] col = new int[nnz];
            double[] val = new double[nnz];
            int k = 0;
            for (int i = 0; i < n; i++) {
                start[i] = k;
                int o = i * m;
                for (int j = 0; j < m; j++) {
                    if (p[o + j] >= rho) {
                        col[k] = j;
                        val[k++] = p[o + j];
                    }
                }
            }
            start[n] = k;
            return new Sparse(start, col, val);
        }

        Run run(int sweeps, int newtonCap, String method) {
            long t0 = System.nanoTime();
            double[] errs = new double[sweeps + newtonCap + 1];
            double[] times = new double[errs.length];
            int count = 0;
            double err = Double.POSITIVE_INFINITY;
            int its = 0;
            while (its < sweeps) {
                Dense.checkInterrupt(method);
                sweep();
                its++;
                err = plan();
                times[count] = (System.nanoTime() - t0) * 1e-9;
                errs[count++] = err;
                if (err <= tol || !Double.isFinite(err)) {
                    break;
                }
            }
            if (its == 0) {
                err = plan();
            }
            int newton = 0;
            int cgTotal = 0;
            double kept = 0;
            String reason = null;
            while (err > tol && newton < newtonCap && Double.isFinite(err)) {
                Dense.checkInterrupt(method);
                Sparse s = sparsify();
                kept = s.val.length / (double) (n * m);
                double[] grad = new double[n + m];
                for (int i = 0; i < n; i++) {
                    grad[i] = a[i] - rows[i];
                }
                for (int j = 0; j < m; j++) {
                    grad[n + j] = b[j] - cols[j];
                }
                double gnorm = 0;
                for (double v : grad) {
                    gnorm += v * v;
                }
                gnorm = Math.sqrt(gnorm);
                // inexact Newton (Dembo, Eisenstat and Steihaug 1982): forcing term min(0.1, sqrt‖∇L‖)
                double forcing = Math.min(0.1, Math.sqrt(gnorm));
                Result cg = LinearSolver.cg().withRtol(Math.max(forcing, 1e-12)).withMaxIter(10 * (n + m))
                        .trySolve(v -> Tensor.of(s.apply(v.toDoubleArray(), rows, cols, n, m, epsilon)), Tensor.of(grad), null);
                cgTotal += cg.iterations();
                double[] d = cg.x().toDoubleArray();
                double slope = 0;
                for (int k = 0; k < n + m; k++) {
                    slope += grad[k] * d[k];
                }
                if (!(slope > 0)) {
                    reason = "the sparse Newton system gave no ascent direction (" + cg.convergence().describe() + ")";
                    break;
                }
                double[] df = Arrays.copyOfRange(d, 0, n);
                double[] dg = Arrays.copyOfRange(d, n, n + m);
                double l0 = dual(df, dg, 0);
                double t = 1;
                boolean resolved = slope > 1e-15 * Math.abs(l0);
                while (resolved && dual(df, dg, t) < l0 + 1e-4 * t * slope && t > 1e-10) {
                    t /= 2;
                }
                for (int i = 0; i < n; i++) {
                    f[i] += t * df[i];
                }
                for (int j = 0; j < m; j++) {
                    g[j] += t * dg[j];
                }
                newton++;
                err = plan();
                times[count] = (System.nanoTime() - t0) * 1e-9;
                errs[count++] = err;
            }
            double seconds = (System.nanoTime() - t0) * 1e-9;
            boolean ok = err <= tol;
            if (!ok && reason == null) {
                reason = Double.isFinite(err) ? "iteration cap reached (" + its + " sweeps, " + newton + " Newton steps)"
                        : "non-finite potentials (ε too small for the cost scale?)";
            }
            double lin = 0;
            double total = 0;
            for (int i = 0; i < n; i++) {
                lin += a[i] * f[i];
            }
            for (int j = 0; j < m; j++) {
                lin += b[j] * g[j];
            }
            for (double v : p) {
                total += v;
            }
            Sinkhorn.Transport tr = new Sinkhorn.Transport(Tensor.of(f.clone()), Tensor.of(g.clone()),
                    Tensor.of(p.clone(), n, m), lin - epsilon * total,
                    new Convergence(method + "(ε = " + epsilon + ")", ok, its + newton, err, tol, "‖P1 − a‖₁ + ‖Pᵀ1 − b‖₁",
                            ok ? null : reason));
            return new Run(tr, its, newton, cgTotal, Arrays.copyOf(errs, count), Arrays.copyOf(times, count), kept, seconds);
        }
    }

    /** CSR rows of the kept block P̃; {@link #apply} is {@code M v} for {@code M = (1/ε)[[diag(r), P̃], [P̃ᵀ, diag(c)]]}. */
    private record Sparse(int[] start, int[] col, double[] val) {
        double[] apply(double[] v, double[] r, double[] c, int n, int m, double eps) {
            double[] out = new double[n + m];
            for (int i = 0; i < n; i++) {
                double s = r[i] * v[i];
                double vi = v[i];
                for (int k = start[i]; k < start[i + 1]; k++) {
                    int j = col[k];
                    s += val[k] * v[n + j];
                    out[n + j] += val[k] * vi;
                }
                out[i] = s / eps;
            }
            for (int j = 0; j < m; j++) {
                out[n + j] = (out[n + j] + c[j] * v[n + j]) / eps;
            }
            return out;
        }
    }

    /** The k-th largest value (1-based) of {@code v}, which is reordered; Hoare's quickselect. */
    static double kthLargest(double[] v, int k) {
        int lo = 0;
        int hi = v.length - 1;
        int target = k - 1;
        java.util.SplittableRandom rnd = new java.util.SplittableRandom(17);
        while (lo < hi) {
            double pivot = v[lo + rnd.nextInt(hi - lo + 1)];
            int i = lo;
            int j = hi;
            while (i <= j) {
                while (v[i] > pivot) {
                    i++;
                }
                while (v[j] < pivot) {
                    j--;
                }
                if (i <= j) {
                    double t = v[i];
                    v[i] = v[j];
                    v[j] = t;
                    i++;
                    j--;
                }
            }
            if (target <= j) {
                hi = j;
            } else if (target >= i) {
                lo = i;
            } else {
                return v[target];
            }
        }
        return v[target];
    }
}
