package org.reprolab.diffusion;

import java.util.Arrays;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * Sample-quality metrics for point clouds: sliced Wasserstein-2 (Rabin et al. 2011; Bonneel et al. 2015),
 * the energy distance (Székely &amp; Rizzo 2013, U-statistic form, can be slightly negative), and the endpoint
 * error against a reference solve from the same noise (the {@code ode_mse} of the reference bars).
 */
public final class Metrics {
    private Metrics() {}

    /** Mean and median of the per-point squared distances ‖a_i − b_i‖². */
    public record EndpointError(double mean, double median, double max) {}

    public static EndpointError endpointError(Batch a, Batch b) {
        same(a, b);
        int n = a.n(), d = a.dim();
        double[] e = new double[n];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int j = 0; j < d; j++) { double v = a.data()[i * d + j] - b.data()[i * d + j]; s += v * v; }
            e[i] = s;
        }
        double mean = Arrays.stream(e).sum() / n;
        double[] sorted = e.clone();
        Arrays.sort(sorted);
        double med = n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
        return new EndpointError(mean, med, sorted[n - 1]);
    }

    /**
     * Sliced W2: {@code sqrt(mean over directions θ of W2²(θ·a, θ·b))}, the 1-D W2² by sorting (equal sizes).
     * In 2-D the directions are the fixed angles {@code πj/L}; in higher dimensions L directions uniform on the
     * sphere from Philox key {@code seed}.
     */
    public static double slicedWasserstein2(Batch a, Batch b, int projections, long seed) {
        same(a, b);
        int n = a.n(), d = a.dim();
        double[][] dirs = new double[projections][d];
        if (d == 2) for (int j = 0; j < projections; j++) { double th = Math.PI * j / projections; dirs[j][0] = Math.cos(th); dirs[j][1] = Math.sin(th); }
        else {
            double[] z = new double[projections * d];
            Philox.fill(RngKey.of(seed), true, 0, z, 0, z.length);
            for (int j = 0; j < projections; j++) {
                double s = 0;
                for (int k = 0; k < d; k++) s += z[j * d + k] * z[j * d + k];
                for (int k = 0; k < d; k++) dirs[j][k] = z[j * d + k] / Math.sqrt(s);
            }
        }
        double[] pa = new double[n], pb = new double[n];
        double total = 0;
        for (double[] th : dirs) {
            Run.checkInterrupt("sliced Wasserstein distance");
            for (int i = 0; i < n; i++) {
                double u = 0, v = 0;
                for (int k = 0; k < d; k++) { u += th[k] * a.data()[i * d + k]; v += th[k] * b.data()[i * d + k]; }
                pa[i] = u;
                pb[i] = v;
            }
            Arrays.sort(pa);
            Arrays.sort(pb);
            double s = 0;
            for (int i = 0; i < n; i++) { double v = pa[i] - pb[i]; s += v * v; }
            total += s / n;
        }
        return Math.sqrt(total / projections);
    }

    /** Sliced W2 with 128 directions. */
    public static double slicedWasserstein2(Batch a, Batch b) {
        return slicedWasserstein2(a, b, 128, 0);
    }

    /**
     * Energy distance {@code 2E‖X−Y‖ − E‖X−X'‖ − E‖Y−Y'‖}, the within-sample terms as U-statistics
     * (diagonal excluded), so it is unbiased and can be slightly negative.
     */
    public static double energyDistance(Batch a, Batch b) {
        if (a.dim() != b.dim()) throw new IllegalArgumentException("energy distance: dimensions differ, " + a + " vs " + b);
        double xy = meanDist(a, b, false), xx = meanDist(a, a, true), yy = meanDist(b, b, true);
        return 2 * xy - xx - yy;
    }

    private static double meanDist(Batch a, Batch b, boolean self) {
        int n = a.n(), m = b.n(), d = a.dim();
        double[] x = a.data(), y = b.data();
        double s = 0;
        for (int i = 0; i < n; i++) {
            if ((i & 63) == 0) Run.checkInterrupt("energy distance");
            double acc = 0;
            for (int j = self ? i + 1 : 0; j < m; j++) {
                double q = 0;
                for (int k = 0; k < d; k++) { double v = x[i * d + k] - y[j * d + k]; q += v * v; }
                acc += Math.sqrt(q);
            }
            s += acc;
        }
        return self ? 2 * s / ((double) n * (n - 1)) : s / ((double) n * m);
    }

    /**
     * The squared 2-Wasserstein distance between two Gaussians (the Bures–Wasserstein distance, Dowson and Landau
     * 1982): {@code ‖m₁ − m₂‖² + tr(C₁ + C₂ − 2(C₁^½ C₂ C₁^½)^½)}. Averaged over x between a learned and the true
     * conditional plan it is the {@code cBW²-UVP} numerator of the entropic OT benchmark (Gushchin et al., NeurIPS 2023).
     */
    public static double buresWasserstein2(double[] mean1, double[][] cov1, double[] mean2, double[][] cov2) {
        int d = mean1.length;
        if (mean2.length != d || cov1.length != d || cov2.length != d)
            throw new IllegalArgumentException("Bures-Wasserstein: dimensions differ, " + mean1.length + "/" + cov1.length + " vs " + mean2.length + "/" + cov2.length);
        double[][] root = SpdMatrix.power(cov1, 0.5, "first covariance");
        double[][] cross = SpdMatrix.power(SpdMatrix.symmetrize(SpdMatrix.multiply(SpdMatrix.multiply(root, cov2), root)), 0.5, "C1^1/2 C2 C1^1/2");
        double s = SpdMatrix.trace(cov1) + SpdMatrix.trace(cov2) - 2 * SpdMatrix.trace(cross);
        for (int i = 0; i < d; i++) s += (mean1[i] - mean2[i]) * (mean1[i] - mean2[i]);
        return Math.max(s, 0);
    }

    private static void same(Batch a, Batch b) {
        if (a.n() != b.n() || a.dim() != b.dim()) throw new IllegalArgumentException("metric needs batches of the same shape, got " + a + " and " + b);
    }
}
