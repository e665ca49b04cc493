package org.reprolab.implicit;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/** The Krylov loops behind {@link LinearSolver}, run under no-grad; see there for the references. */
final class Krylov {
    private Krylov() {}

    static UnaryOperator<Tensor> withRidge(UnaryOperator<Tensor> a, double ridge) {
        return ridge == 0 ? a : v -> a.apply(v).add(v.mul(ridge));
    }

    /** {@code w -> Aᵀ w} by reverse-mode autodiff of the linear function {@code a} at zero. */
    static UnaryOperator<Tensor> transposeOf(UnaryOperator<Tensor> a, Tensor like) {
        Tensor zero = Tensor.zerosLike(like);
        return w -> Autodiff.vjp(a::apply, zero, w).vjp();
    }

    private static UnaryOperator<Tensor> precond(LinearSolver.Options o) {
        return o.preconditioner() == null ? v -> v : o.preconditioner();
    }

    private static Result end(UnaryOperator<Tensor> a, Tensor b, Tensor x, String name, int it, double target,
                                      boolean converged, double rn, String reason) {
        double res = converged ? rn : Dense.norm(b.sub(a.apply(x)));
        boolean ok = converged || res <= target;
        return new Result(x, new Convergence(name, ok, it, res, target, "‖b − Ax‖₂", ok ? null : reason));
    }

    private static String nonFinite(double v) {
        return Double.isFinite(v) ? null : "a non-finite value appeared (NaN or Inf in A or b)";
    }

    /**
     * Where CG and BiCGStab begin: the iteration cap, the preconditioner, the stopping target
     * {@code max(rtol ‖b‖₂, atol)}, the first iterate and its residual.
     */
    private record Start(int cap, UnaryOperator<Tensor> m, double target, Tensor x, Tensor r, double rn) {
        static Start of(UnaryOperator<Tensor> a, Tensor b, Tensor x0, LinearSolver.Options o) {
            int cap = o.cap(b.numel());
            UnaryOperator<Tensor> m = precond(o);
            double target = Math.max(o.rtol() * Dense.norm(b), o.atol());
            Tensor x = x0 == null ? Tensor.zerosLike(b) : x0.detach();
            Tensor r = x0 == null ? b : b.sub(a.apply(x));
            return new Start(cap, m, target, x, r, Dense.norm(r));
        }
    }

    static Result cg(UnaryOperator<Tensor> a, Tensor b, Tensor x0, LinearSolver.Options o, String name) {
        try (var _ = Autodiff.noGrad()) {
            Start start = Start.of(a, b, x0, o);
            if (start.rn() <= start.target()) {
                return end(a, b, start.x(), name, 0, start.target(), true, start.rn(), null);
            }
            Tensor x = start.x();
            Tensor r = start.r();
            double rn = start.rn();
            Tensor z = start.m().apply(r);
            Tensor p = z;
            double rz = Dense.dot(r, z);
            int it = 0;
            String reason = nonFinite(rn);
            boolean converged = false;
            while (reason == null && it < start.cap()) {
                Dense.checkInterrupt(name);
                Tensor ap = a.apply(p);
                double pap = Dense.dot(p, ap);
                if (!(pap > 0)) {
                    reason = Double.isFinite(pap) ? "the operator is not positive definite (pᵀAp = " + pap
                            + "); use GMRES, BiCGStab or normal-equation CG" : nonFinite(pap);
                    break;
                }
                double alpha = rz / pap;
                x = x.add(p.mul(alpha));
                r = r.sub(ap.mul(alpha));
                it++;
                rn = Dense.norm(r);
                if ((reason = nonFinite(rn)) != null) {
                    break;
                }
                if (rn <= start.target()) {
                    Tensor rt = b.sub(a.apply(x));
                    double tn = Dense.norm(rt);
                    if (tn <= start.target()) {
                        rn = tn;
                        converged = true;
                        break;
                    }
                    r = rt; // the recurrence drifted: restart from the true residual
                    rn = tn;
                    z = start.m().apply(r);
                    p = z;
                    rz = Dense.dot(r, z);
                    continue;
                }
                z = start.m().apply(r);
                double rz2 = Dense.dot(r, z);
                p = z.add(p.mul(rz2 / rz));
                rz = rz2;
            }
            return end(a, b, x, name, it, start.target(), converged, rn, reason == null ? "iteration cap " + start.cap() + " reached" : reason);
        }
    }

    static Result gmres(UnaryOperator<Tensor> a, Tensor b, Tensor x0, LinearSolver.Options o, int restart) {
        String name = "GMRES(" + restart + ")";
        try (var _ = Autodiff.noGrad()) {
            int cap = o.cap(b.numel());
            UnaryOperator<Tensor> m = precond(o);
            double target = Math.max(o.rtol() * Dense.norm(b), o.atol());
            Tensor x = x0 == null ? Tensor.zerosLike(b) : x0.detach();
            int it = 0;
            String reason = null;
            double best = Double.POSITIVE_INFINITY;
            int stalled = 0;
            while (true) {
                Tensor r = it == 0 && x0 == null ? b : b.sub(a.apply(x));
                double beta = Dense.norm(r);
                if ((reason = nonFinite(beta)) != null) {
                    break;
                }
                if (beta <= target) {
                    return end(a, b, x, name, it, target, true, beta, null);
                }
                if (it >= cap) {
                    reason = "iteration cap " + cap + " reached";
                    break;
                }
                if (beta < best * (1 - 1e-3)) {
                    best = beta;
                    stalled = 0;
                } else if (++stalled >= 20) {
                    reason = "stagnated for 20 restarts (singular or badly conditioned operator?)";
                    break;
                }
                int mm = restart;
                double[][] h = new double[mm + 1][mm];
                double[] cs = new double[mm];
                double[] sn = new double[mm];
                double[] g = new double[mm + 1];
                g[0] = beta;
                List<Tensor> v = new ArrayList<>();
                v.add(r.div(beta));
                int k = 0;
                for (int j = 0; j < mm && it < cap; j++) {
                    Dense.checkInterrupt(name);
                    Tensor w = a.apply(m.apply(v.get(j)));
                    for (int i = 0; i <= j; i++) {
                        h[i][j] = Dense.dot(w, v.get(i));
                        w = w.sub(v.get(i).mul(h[i][j]));
                    }
                    h[j + 1][j] = Dense.norm(w);
                    for (int i = 0; i < j; i++) {
                        double t = cs[i] * h[i][j] + sn[i] * h[i + 1][j];
                        h[i + 1][j] = -sn[i] * h[i][j] + cs[i] * h[i + 1][j];
                        h[i][j] = t;
                    }
                    double den = Math.hypot(h[j][j], h[j + 1][j]);
                    double hj1 = h[j + 1][j];
                    cs[j] = den == 0 ? 1 : h[j][j] / den;
                    sn[j] = den == 0 ? 0 : hj1 / den;
                    h[j][j] = den;
                    h[j + 1][j] = 0;
                    g[j + 1] = -sn[j] * g[j];
                    g[j] = cs[j] * g[j];
                    it++;
                    k = j + 1;
                    if (!Double.isFinite(g[j + 1]) || Math.abs(g[j + 1]) <= target || hj1 <= 1e-300) {
                        break;
                    }
                    v.add(w.div(hj1));
                }
                double[] y = new double[k];
                for (int i = k - 1; i >= 0; i--) {
                    double s = g[i];
                    for (int l = i + 1; l < k; l++) {
                        s -= h[i][l] * y[l];
                    }
                    y[i] = h[i][i] == 0 ? 0 : s / h[i][i];
                }
                Tensor upd = Tensor.zerosLike(b);
                for (int i = 0; i < k; i++) {
                    upd = upd.add(v.get(i).mul(y[i]));
                }
                x = x.add(m.apply(upd));
            }
            return end(a, b, x, name, it, target, false, 0, reason);
        }
    }

    static Result biCgStab(UnaryOperator<Tensor> a, Tensor b, Tensor x0, LinearSolver.Options o) {
        String name = "BiCGStab";
        try (var _ = Autodiff.noGrad()) {
            Start start = Start.of(a, b, x0, o);
            if (start.rn() <= start.target()) {
                return end(a, b, start.x(), name, 0, start.target(), true, start.rn(), null);
            }
            Tensor x = start.x();
            Tensor r = start.r();
            double rn = start.rn();
            Tensor rhat = r;
            double rho = 1;
            double alpha = 1;
            double omega = 1;
            Tensor v = Tensor.zerosLike(b);
            Tensor p = Tensor.zerosLike(b);
            int it = 0;
            String reason = nonFinite(rn);
            boolean converged = false;
            double tiny = 1e-300;
            while (reason == null && it < start.cap()) {
                Dense.checkInterrupt(name);
                double rho2 = Dense.dot(rhat, r);
                if (Math.abs(rho2) <= tiny || Math.abs(rho2) <= 1e-30 * rn * Dense.norm(rhat)) {
                    // breakdown of the bi-orthogonality: restart the shadow residual once it is the true one
                    rhat = r;
                    rho2 = Dense.dot(r, r);
                    p = Tensor.zerosLike(b);
                    v = Tensor.zerosLike(b);
                    rho = alpha = omega = 1;
                    if (!(rho2 > tiny)) {
                        reason = "breakdown: r̂ᵀr = 0";
                        break;
                    }
                }
                double beta = (rho2 / rho) * (alpha / omega);
                p = r.add(p.sub(v.mul(omega)).mul(beta));
                Tensor ph = start.m().apply(p);
                v = a.apply(ph);
                double rv = Dense.dot(rhat, v);
                if (!(Math.abs(rv) > tiny)) {
                    reason = Double.isFinite(rv) ? "breakdown: r̂ᵀAp = 0" : nonFinite(rv);
                    break;
                }
                alpha = rho2 / rv;
                Tensor s = r.sub(v.mul(alpha));
                it++;
                double sn = Dense.norm(s);
                if (sn <= start.target()) {
                    x = x.add(ph.mul(alpha));
                    double tn = Dense.norm(b.sub(a.apply(x)));
                    if (tn <= start.target()) {
                        rn = tn;
                        converged = true;
                        break;
                    }
                    r = b.sub(a.apply(x));
                    rn = tn;
                    rhat = r;
                    rho = alpha = omega = 1;
                    p = Tensor.zerosLike(b);
                    v = Tensor.zerosLike(b);
                    continue;
                }
                Tensor sh = start.m().apply(s);
                Tensor t = a.apply(sh);
                double tt = Dense.dot(t, t);
                if (!(tt > tiny)) {
                    reason = Double.isFinite(tt) ? "breakdown: As = 0" : nonFinite(tt);
                    x = x.add(ph.mul(alpha));
                    break;
                }
                omega = Dense.dot(t, s) / tt;
                x = x.add(ph.mul(alpha)).add(sh.mul(omega));
                r = s.sub(t.mul(omega));
                rho = rho2;
                rn = Dense.norm(r);
                if ((reason = nonFinite(rn)) != null) {
                    break;
                }
                if (rn <= start.target()) {
                    double tn = Dense.norm(b.sub(a.apply(x)));
                    if (tn <= start.target()) {
                        rn = tn;
                        converged = true;
                        break;
                    }
                }
                if (omega == 0) {
                    reason = "breakdown: ω = 0";
                    break;
                }
            }
            return end(a, b, x, name, it, start.target(), converged, rn, reason == null ? "iteration cap " + start.cap() + " reached" : reason);
        }
    }

    static Result direct(UnaryOperator<Tensor> a, Tensor b, LinearSolver.Options o) {
        String name = "direct LU";
        try (var _ = Autodiff.noGrad()) {
            int n = b.numel();
            double[][] mat = new double[n][n];
            for (int j = 0; j < n; j++) {
                double[] e = new double[n];
                e[j] = 1;
                double[] col = a.apply(Dense.like(e, b)).toDoubleArray();
                for (int i = 0; i < n; i++) {
                    mat[i][j] = col[i];
                }
            }
            double[] sol = Dense.solve(mat, b.toDoubleArray());
            double target = Math.max(o.rtol() * Dense.norm(b), o.atol());
            if (sol == null) {
                return new Result(Tensor.zerosLike(b),
                        new Convergence(name, false, 1, Dense.norm(b), target, "‖b − Ax‖₂", "the matrix is singular"));
            }
            Tensor x = Dense.like(sol, b);
            return end(a, b, x, name, 1, target, false, 0, "residual above tolerance (ill-conditioned matrix)");
        }
    }
}
