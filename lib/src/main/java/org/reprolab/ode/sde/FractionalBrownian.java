package org.reprolab.ode.sde;

import org.reprolab.linalg.Cholesky;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * Exact type-II (Riemann–Liouville) fractional Brownian motion, {@code B^H(t) = 1/Γ(H + ½) ∫_0^t (t − s)^{H − ½} dW_s}
 * (Lévy 1953; Mandelbrot and Van Ness 1968 call the stationary-increment variant type I): its covariance, exact
 * samples on a grid by Cholesky, and the Hurst exponent read off variances. This is the process the Markov
 * approximation of Daems, Opper, Crevecoeur and Birdal (<i>Variational Inference for SDEs Driven by Fractional
 * Noise</i>, ICLR 2024) targets ({@link MarkovFbm}), so it is the independent reference its tests and notebook
 * compare against. Type II is self-similar, {@code Var B^H(t) = t^{2H} / (2H Γ(H + ½)²)}, but its increments are not
 * stationary; its covariance has no elementary closed form and is computed by quadrature.
 */
public final class FractionalBrownian {
    private FractionalBrownian() {}

    static void checkHurst(double hurst) {
        if (!(hurst > 0 && hurst < 1)) throw new IllegalArgumentException("the Hurst index must lie in (0, 1), got " + hurst);
    }

    /** {@code Var B^H(t) = t^{2H} / (2H Γ(H + ½)²)}. */
    public static double variance(double hurst, double t) {
        checkHurst(hurst);
        if (!(t >= 0)) throw new IllegalArgumentException("time must be >= 0, got " + t);
        return Math.pow(t, 2 * hurst) / (2 * hurst) * Math.exp(-2 * GammaFunction.logGamma(hurst + 0.5));
    }

    /**
     * {@code E[B^H(s) B^H(t)] = 1/Γ(H+½)² ∫_0^{min} (max − min + v)^{H−½} v^{H−½} dv}. The substitution
     * {@code w = v^{H+½}} removes the singularity at v = 0; the w-integral is done by 8-point Gauss–Legendre on
     * pieces that halve towards w = 0 (60 of them: the rest is below 2^{-60} of the range), which resolves the power
     * behaviour there; it agrees with the hypergeometric closed form to better than 1e-9 (FractionalNoiseTest).
     */
    public static double covariance(double hurst, double s, double t) {
        checkHurst(hurst);
        if (!(s >= 0) || !(t >= 0)) throw new IllegalArgumentException("times must be >= 0, got " + s + ", " + t);
        double lo = Math.min(s, t), gap = Math.abs(t - s);
        if (lo == 0) return 0;
        if (gap == 0) return variance(hurst, lo);
        double a = hurst + 0.5, alpha = hurst - 0.5, top = Math.pow(lo, a), sum = 0;
        for (int piece = 0; piece < 60; piece++) {
            double right = top * Math.pow(0.5, piece), left = right / 2, mid = (left + right) / 2, half = (right - left) / 2;
            for (int q = 0; q < GL_NODES.length; q++) {
                double w = mid + half * GL_NODES[q];
                sum += half * GL_WEIGHTS[q] * Math.pow(gap + Math.pow(w, 1 / a), alpha);
            }
        }
        return sum / a * Math.exp(-2 * GammaFunction.logGamma(a));
    }

    private static final double[] GL_NODES = {-0.9602898564975363, -0.7966664774136267, -0.5255324099163290, -0.1834346424956498,
        0.1834346424956498, 0.5255324099163290, 0.7966664774136267, 0.9602898564975363};
    private static final double[] GL_WEIGHTS = {0.1012285362903763, 0.2223810344533745, 0.3137066458778873, 0.3626837833783620,
        0.3626837833783620, 0.3137066458778873, 0.2223810344533745, 0.1012285362903763};

    /**
     * {@code paths} exact samples of (B^H(t_1), …, B^H(t_n)) at strictly increasing times {@code t_i > 0}: the
     * Cholesky factor of the covariance matrix times standard normals (Philox, the normals of {@code key.foldIn(p)}
     * for path p). O(n³) once plus O(n²) per path, so for grids of a few hundred points.
     */
    public static double[][] sample(double hurst, double[] times, int paths, RngKey key) {
        checkHurst(hurst);
        if (paths < 1) throw new IllegalArgumentException("paths must be >= 1, got " + paths);
        int n = times.length;
        for (int i = 0; i < n; i++)
            if (!(times[i] > (i == 0 ? 0 : times[i - 1]))) throw new IllegalArgumentException("times must be positive and strictly increasing, got t[" + i + "] = " + times[i]);
        double[][] cov = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j <= i; j++) cov[i][j] = cov[j][i] = covariance(hurst, times[i], times[j]);
        double[][] l = Cholesky.lower(cov);
        double[][] out = new double[paths][n];
        double[] z = new double[n];
        for (int p = 0; p < paths; p++) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while sampling fractional Brownian paths");
            }
            Philox.fill(key.foldIn(p), true, 0, z, 0, n);
            for (int i = 0; i < n; i++) {
                double v = 0;
                for (int j = 0; j <= i; j++) v += l[i][j] * z[j];
                out[p][i] = v;
            }
        }
        return out;
    }

    /**
     * The Hurst exponent from variances that scale as {@code v(t) ∝ t^{2H}}: half the least-squares slope of
     * log v against log t. For fBM (either type) {@code Var(B(t) − B(0))} scales exactly so; for an approximation
     * the fit says over which times it behaves like fBM.
     */
    public static double hurstFromVariances(double[] times, double[] variances) {
        if (times.length != variances.length || times.length < 2)
            throw new IllegalArgumentException("need at least two times and as many variances, got " + times.length + " and " + variances.length);
        int n = times.length;
        double mx = 0, my = 0;
        for (int i = 0; i < n; i++) {
            if (!(times[i] > 0) || !(variances[i] > 0)) throw new IllegalArgumentException("times and variances must be > 0 (entry " + i + ")");
            mx += Math.log(times[i]) / n;
            my += Math.log(variances[i]) / n;
        }
        double sxy = 0, sxx = 0;
        for (int i = 0; i < n; i++) {
            double dx = Math.log(times[i]) - mx;
            sxy += dx * (Math.log(variances[i]) - my);
            sxx += dx * dx;
        }
        if (sxx == 0) throw new IllegalArgumentException("times must not all be equal");
        return sxy / sxx / 2;
    }
}
