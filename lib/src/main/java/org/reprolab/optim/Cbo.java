package org.reprolab.optim;

import java.util.Arrays;
import java.util.function.ToDoubleFunction;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * Consensus-based optimization (CBO): a derivative-free global minimiser that moves a swarm of
 * particles toward a weighted average of them and shakes each in proportion to its distance from it.
 * Pinnau, Totzeck, Tse, Martin, "A consensus-based model for global optimization and its mean-field
 * limit", M3AS 27 (2017); anisotropic noise from Carrillo, Jin, Li, Zhu, "A consensus-based global
 * optimization method for high dimensional machine learning problems" (ESAIM: COCV, 2021); the
 * "stochastic relaxation of gradient descent" reading from Riedl, Klock, Geldhauser, Fornasier,
 * "Gradient is all you need?" (2023). The update follows PdIPS/CBXpy ({@code README.md}: the CBO
 * update and consensus point), one Euler–Maruyama step of size {@code dt}:
 *
 * <pre>
 *   c = Σ_i x_i exp(−α f(x_i)) / Σ_i exp(−α f(x_i))
 *   x_i ← x_i − λ dt (x_i − c) + σ √dt D(x_i − c) ξ_i,   ξ_i ~ N(0, I)
 * </pre>
 *
 * with {@code D(u) = ‖u‖ I} (isotropic) or {@code diag(u)} (anisotropic, which keeps working in
 * high dimension). The weights are computed after subtracting {@code min_i f(x_i)}, so large α does
 * not underflow; α → ∞ makes c the best particle, α → 0 the plain mean.
 *
 * @param alpha       the inverse temperature α of the Gibbs weights (> 0)
 * @param lambda      the drift rate λ toward the consensus point (>= 0)
 * @param sigma       the noise scale σ (>= 0)
 * @param dt          the time step (> 0)
 * @param anisotropic coordinate-wise noise diag(x − c) rather than ‖x − c‖
 */
public record Cbo(double alpha, double lambda, double sigma, double dt, boolean anisotropic) {

    public Cbo {
        if (!(alpha > 0) || !(lambda >= 0) || !(sigma >= 0) || !(dt > 0) || Double.isInfinite(alpha)) {
            throw new IllegalArgumentException("Cbo: need alpha > 0 (finite), lambda >= 0, sigma >= 0, dt > 0; got alpha=" + alpha
                    + ", lambda=" + lambda + ", sigma=" + sigma + ", dt=" + dt);
        }
    }

    /** A run: the consensus point and its objective value after each step (index 0: before the first). */
    public record Result(double[][] consensus, double[] values) {
        public double[] last() {
            return consensus[consensus.length - 1].clone();
        }
    }

    /** The consensus point of particles {@code x} [N][d] with objective values {@code f} [N]. */
    public double[] consensus(double[][] x, double[] f) {
        if (x.length == 0 || x.length != f.length) throw new IllegalArgumentException("Cbo.consensus: " + x.length + " particles, " + f.length + " values");
        double min = Arrays.stream(f).min().getAsDouble();
        if (!Double.isFinite(min)) throw new IllegalArgumentException("Cbo.consensus: an objective value is " + min);
        int d = x[0].length;
        double[] c = new double[d];
        double total = 0;
        for (int i = 0; i < x.length; i++) {
            double w = Math.exp(-alpha * (f[i] - min));
            total += w;
            for (int k = 0; k < d; k++) c[k] += w * x[i][k];
        }
        for (int k = 0; k < d; k++) c[k] /= total;
        return c;
    }

    /** One step: particles {@code x} moved in place toward consensus {@code c}, with standard normal draws {@code xi} [N][d]. */
    public void step(double[][] x, double[] c, double[][] xi) {
        double rootDt = Math.sqrt(dt);
        for (int i = 0; i < x.length; i++) {
            double norm = 0;
            for (int k = 0; k < c.length; k++) norm += (x[i][k] - c[k]) * (x[i][k] - c[k]);
            norm = Math.sqrt(norm);
            for (int k = 0; k < c.length; k++) {
                double u = x[i][k] - c[k];
                x[i][k] += -lambda * dt * u + sigma * rootDt * (anisotropic ? u : norm) * xi[i][k];
            }
        }
    }

    /**
     * Minimises {@code f} from the particles {@code initial} [N][d] (copied) for {@code steps} steps;
     * the noise of step t, particle i comes from {@code key}'s normal Philox stream at offset
     * {@code (t N + i) d}, so a key reproduces a run exactly.
     */
    public Result minimize(ToDoubleFunction<double[]> f, double[][] initial, int steps, RngKey key) {
        if (initial.length == 0 || steps < 0) throw new IllegalArgumentException("Cbo.minimize: need particles and steps >= 0");
        int n = initial.length, d = initial[0].length;
        double[][] x = new double[n][];
        for (int i = 0; i < n; i++) {
            if (initial[i].length != d) throw new IllegalArgumentException("Cbo.minimize: particle " + i + " has " + initial[i].length + " coordinates, particle 0 has " + d);
            x[i] = initial[i].clone();
        }
        double[][] path = new double[steps + 1][];
        double[] values = new double[steps + 1], fx = new double[n];
        double[][] xi = new double[n][d];
        for (int t = 0; ; t++) {
            for (int i = 0; i < n; i++) fx[i] = f.applyAsDouble(x[i]);
            path[t] = consensus(x, fx);
            values[t] = f.applyAsDouble(path[t]);
            if (t == steps) break;
            for (int i = 0; i < n; i++) Philox.fill(key, true, ((long) t * n + i) * d, xi[i], 0, d);
            step(x, path[t], xi);
        }
        return new Result(path, values);
    }

    /** N particles drawn from N(center, spread² I) with {@code key}: the usual start around a point. */
    public static double[][] around(double[] center, double spread, int particles, RngKey key) {
        double[][] x = new double[particles][center.length];
        for (int i = 0; i < particles; i++) {
            Philox.fill(key, true, (long) i * center.length, x[i], 0, center.length);
            for (int k = 0; k < center.length; k++) x[i][k] = center[k] + spread * x[i][k];
        }
        return x;
    }
}
