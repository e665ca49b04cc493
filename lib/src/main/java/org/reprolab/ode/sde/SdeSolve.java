package org.reprolab.ode.sde;

import java.util.Locale;
import org.reprolab.ode.OdeException;
import org.reprolab.ode.Solution;
import org.reprolab.ode.SolverStats;
import org.reprolab.ode.solvers.SdeScheme;

/**
 * The fixed-step loop of the SDE schemes ({@link SdeScheme}) for Itô SDEs with diagonal noise, driven by a
 * queryable {@link BrownianPath} (Kloeden and Platen, <i>Numerical Solution of Stochastic Differential
 * Equations</i>, 1992, §10.2 and §10.3):
 * <ul>
 *   <li>Euler–Maruyama: {@code y += f·h + g·ΔW}; strong order 1/2;</li>
 *   <li>Milstein (Itô, diagonal noise): adds {@code ½·g·∂g/∂y·(ΔW² − h)}; strong order 1.</li>
 * </ul>
 * Increments come from {@code W(t_{n+1}) − W(t_n)} of the path, so the same path can be re-solved at another
 * step size (the convergence tests do exactly that).
 */
final class SdeSolve {
    private SdeSolve() {}

    /** {@code steps} uniform steps from t0 to t1; the statistics count drift (nfev) and diffusion (ngev) evaluations. */
    static Solution<double[]> solve(SdeSystem sys, SdeScheme scheme, double t0, double t1, double[] y0, int steps, BrownianPath w) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (w.dim() != y0.length) throw new IllegalArgumentException("Brownian path has dim " + w.dim() + " but the state has " + y0.length);
        if (t0 < w.t0() || t1 > w.t1() || !(t1 > t0))
            throw new IllegalArgumentException("[" + t0 + ", " + t1 + "] must be increasing and inside the Brownian path's [" + w.t0() + ", " + w.t1() + "]");
        String name = scheme.name();
        boolean milstein = scheme.milstein();
        int n = y0.length;
        double[] ts = new double[steps + 1];
        double[][] ys = new double[steps + 1][];
        double[] y = y0.clone(), f = new double[n], g = new double[n], dg = new double[n], wPrev = new double[n], wNext = new double[n];
        w.value(t0, wPrev);
        ts[0] = t0;
        ys[0] = y.clone();
        long nf = 0, ng = 0;
        for (int k = 0; k < steps; k++) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new OdeException(OdeException.Reason.INTERRUPTED, name, ts[k], (t1 - t0) / steps, "interrupted");
            }
            double t = ts[k], tn = k + 1 == steps ? t1 : t0 + (t1 - t0) * (k + 1) / steps, h = tn - t;
            w.value(tn, wNext);
            sys.drift(t, y, f);
            sys.diffusion(t, y, g);
            nf++;
            ng++;
            if (milstein) {
                sys.diffusionDerivative(t, y, dg);
                ng++;
            }
            for (int i = 0; i < n; i++) {
                double dw = wNext[i] - wPrev[i];
                double yi = y[i] + f[i] * h + g[i] * dw;
                if (milstein) yi += 0.5 * g[i] * dg[i] * (dw * dw - h);
                y[i] = yi;
                if (!Double.isFinite(yi))
                    throw new OdeException(OdeException.Reason.NON_FINITE, name, t, h,
                            String.format(Locale.ROOT, "component %d became %s", i, yi));
            }
            double[] tmp = wPrev;
            wPrev = wNext;
            wNext = tmp;
            ts[k + 1] = tn;
            ys[k + 1] = y.clone();
        }
        return Solution.onGrid(name, ts, i -> ys[i].clone(), new SolverStats(nf, ng, 0, 0, steps, 0, Double.NaN, Double.NaN));
    }
}
