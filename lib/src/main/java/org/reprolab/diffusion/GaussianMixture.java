package org.reprolab.diffusion;

import java.util.function.BiFunction;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Tensor;

/**
 * A Gaussian mixture {@code p₀ = Σ_k w_k N(μ_k, Σ_k)} as a diffusion target with exact scores: under
 * {@code x_t = α x₀ + σ ε} the marginal is {@code p_t = Σ_k w_k N(α μ_k, C_k)}, {@code C_k = α²Σ_k + σ²I},
 * so with responsibilities {@code γ_k(x)} and {@code r_k = C_k⁻¹(x − αμ_k)}:
 * score {@code = −Σγ_k r_k}, {@code ε̂ = σ Σγ_k r_k}, {@code x̂₀ = E[x₀|x] = Σγ_k(μ_k + αΣ_k r_k)}.
 * With this "network" every sampler error is pure discretisation error (the setup of the reference bars in
 * {@code shared/reference/diffusion.md} §5).
 *
 * @param weights mixture weights (normalised on construction)
 * @param means   {@code K × d}
 * @param covs    {@code K × d × d}, symmetric positive definite
 */
public record GaussianMixture(double[] weights, double[][] means, double[][][] covs) {

    public GaussianMixture {
        int k = weights.length;
        if (k == 0 || means.length != k || covs.length != k) throw new IllegalArgumentException("mixture needs K weights, means and covariances, got " + weights.length + ", " + means.length + ", " + covs.length);
        int d = means[0].length;
        double sum = 0;
        weights = weights.clone();
        for (int i = 0; i < k; i++) {
            if (!(weights[i] > 0)) throw new IllegalArgumentException("mixture weight " + i + " must be > 0, got " + weights[i]);
            if (means[i].length != d || covs[i].length != d) throw new IllegalArgumentException("component " + i + " is not " + d + "-dimensional");
            cholesky(covs[i]); // throws if not SPD
            sum += weights[i];
        }
        for (int i = 0; i < k; i++) weights[i] /= sum;
    }

    /** {@code k} equal Gaussians of standard deviation {@code std} at angles 2πi/k on a circle of radius {@code radius} (the reference's ring8 is {@code ring(8, 1, 0.08)}). */
    public static GaussianMixture ring(int k, double radius, double std) {
        double[] w = new double[k];
        double[][] mu = new double[k][];
        double[][][] cov = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = 1;
            double a = 2 * Math.PI * i / k;
            mu[i] = new double[] {radius * Math.cos(a), radius * Math.sin(a)};
            cov[i] = new double[][] {{std * std, 0}, {0, std * std}};
        }
        return new GaussianMixture(w, mu, cov);
    }

    /** Two unequal clusters (0.8/0.2) with correlated anisotropic covariances: modes of different size and shape. */
    public static GaussianMixture twoClusters() {
        return new GaussianMixture(new double[] {0.8, 0.2},
                new double[][] {{-0.6, -0.3}, {1.0, 0.7}},
                new double[][][] {{{0.09, 0.06}, {0.06, 0.08}}, {{0.01, -0.006}, {-0.006, 0.02}}});
    }

    /** The mixture of the given components only (weights renormalised): a class-conditional target. */
    public GaussianMixture select(int... components) {
        double[] w = new double[components.length];
        double[][] mu = new double[components.length][];
        double[][][] cov = new double[components.length][][];
        for (int i = 0; i < components.length; i++) {
            w[i] = weights[components[i]];
            mu[i] = means[components[i]];
            cov[i] = covs[components[i]];
        }
        return new GaussianMixture(w, mu, cov);
    }

    public int components() {
        return weights.length;
    }

    public int dim() {
        return means[0].length;
    }

    /** {@code n} exact samples of p₀: component by a uniform of {@code key.foldIn(0)}, offsets from normals of {@code key.foldIn(1)}. */
    public Batch sample(int n, RngKey key) {
        int d = dim(), k = components();
        double[] u = new double[n], z = new double[n * d], out = new double[n * d];
        Philox.fill(key.foldIn(0), false, 0, u, 0, n);
        Philox.fill(key.foldIn(1), true, 0, z, 0, n * d);
        double[][][] ls = new double[k][][];
        for (int c = 0; c < k; c++) ls[c] = cholesky(covs[c]);
        for (int i = 0; i < n; i++) {
            int c = 0;
            double acc = weights[0];
            while (c < k - 1 && u[i] >= acc) acc += weights[++c];
            for (int a = 0; a < d; a++) {
                double v = means[c][a];
                for (int b = 0; b <= a; b++) v += ls[c][a][b] * z[i * d + b];
                out[i * d + a] = v;
            }
        }
        return new Batch(n, d, out);
    }

    /** {@code n} exact samples of the marginal p_t: {@code α_t x₀ + σ_t z} with x₀ from {@code key.foldIn(0)} and z from {@code key.foldIn(1)}. */
    public Batch sampleMarginal(NoiseSchedule s, double t, int n, RngKey key) {
        Batch x0 = sample(n, key.foldIn(0));
        Batch z = Batch.normal(n, dim(), key.foldIn(1));
        double a = s.alpha(t), sg = s.sigma(t);
        double[] v = x0.data();
        for (int i = 0; i < v.length; i++) v[i] = a * v[i] + sg * z.data()[i];
        return x0;
    }

    /** The exact noise prediction ε̂ of the mixture diffused by {@code schedule}. */
    public DiffusionModel model(NoiseSchedule schedule) {
        return DiffusionModel.of(schedule, Prediction.NOISE, (x, t, out) -> posterior(x, schedule.alpha(t), schedule.sigma(t), out, null));
    }

    /**
     * The exact ε̂ written in tensor ops with the component means given as a tensor {@code [K, d]}, so that autodiff
     * reaches both the point {@code x [n, d]} and the means: a conditioning parameter of an exact-score model that a
     * loss on generated samples can tune through the sampler (Pan et al., <i>AdjointDPM</i>, ICLR 2024, who tune
     * conditioning embeddings that way). The weights and covariances are this mixture's; the same formula as
     * {@link #model} ({@code ε̂ = σ Σγ_k C_k⁻¹(x − αμ_k)}).
     */
    public BiFunction<Tensor, Double, Tensor> noise(NoiseSchedule schedule, Tensor means) {
        int d = dim(), k = components();
        if (means.rank() != 2 || means.size(0) != k || means.size(1) != d)
            throw new IllegalArgumentException("means must be [" + k + ", " + d + "] for this mixture, got " + java.util.Arrays.toString(means.shape()));
        return (x, t) -> {
            if (x.rank() != 2 || x.size(1) != d)
                throw new IllegalArgumentException("mixture is " + d + "-dimensional, x has shape " + java.util.Arrays.toString(x.shape()));
            double a = schedule.alpha(t), sg = schedule.sigma(t);
            double[][][] inv = new double[k][][];
            double[] logNorm = new double[k];
            prepare(a, sg, inv, logNorm);
            Tensor[] r = new Tensor[k], lp = new Tensor[k];
            for (int c = 0; c < k; c++) {
                Tensor diff = x.sub(means.select(0, c).mul(a));
                r[c] = diff.matmul(Tensor.of(inv[c]));
                lp[c] = diff.mul(r[c]).sum(1).mul(-0.5).add(logNorm[c]);
            }
            Tensor gamma = Tensor.stack(1, lp).softmax(1);
            Tensor er = null;
            for (int c = 0; c < k; c++) {
                Tensor term = r[c].mul(gamma.narrow(1, c, 1));
                er = er == null ? term : er.add(term);
            }
            return er.mul(sg);
        };
    }

    /** The exact denoiser x̂₀ = E[x₀ | x_t] (data prediction). */
    public DiffusionModel denoiser(NoiseSchedule schedule) {
        return DiffusionModel.of(schedule, Prediction.DATA, (x, t, out) -> posterior(x, schedule.alpha(t), schedule.sigma(t), null, out));
    }

    /** The exact score ∇ log p_t at {@code x}. */
    public double[] score(NoiseSchedule s, Batch x, double t) {
        double sg = s.sigma(t);
        double[] eps = new double[x.data().length];
        posterior(x, s.alpha(t), sg, eps, null);
        for (int i = 0; i < eps.length; i++) eps[i] /= -sg;
        return eps;
    }

    /** log p_t(x) of each point. */
    public double[] logDensity(NoiseSchedule s, Batch x, double t) {
        int d = dim(), k = components(), n = x.n();
        double a = s.alpha(t), sg = s.sigma(t);
        double[][][] inv = new double[k][][];
        double[] logNorm = new double[k];
        prepare(a, sg, inv, logNorm);
        double[] out = new double[n], diff = new double[d], lp = new double[k];
        for (int i = 0; i < n; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) diff[j] = x.data()[i * d + j] - a * means[c][j];
                lp[c] = logNorm[c] - 0.5 * quad(inv[c], diff);
                max = Math.max(max, lp[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) sum += Math.exp(lp[c] - max);
            out[i] = max + Math.log(sum);
        }
        return out;
    }

    /** Per component: C⁻¹ and log w − ½ log det(2πC). */
    private void prepare(double a, double sg, double[][][] inv, double[] logNorm) {
        int d = dim();
        for (int c = 0; c < components(); c++) {
            double[][] m = new double[d][d];
            for (int i = 0; i < d; i++) {
                for (int j = 0; j < d; j++) m[i][j] = a * a * covs[c][i][j];
                m[i][i] += sg * sg;
            }
            double[][] l = cholesky(m);
            double logDet = 0;
            for (int i = 0; i < d; i++) logDet += 2 * Math.log(l[i][i]);
            inv[c] = inverseFromCholesky(l);
            logNorm[c] = Math.log(weights[c]) - 0.5 * (logDet + d * Math.log(2 * Math.PI));
        }
    }

    /** Writes ε̂ into eps and/or x̂₀ into x0 (either may be null); rows in parallel chunks of 2048 (each row independent, so deterministic). */
    private void posterior(Batch x, double a, double sg, double[] eps, double[] x0) {
        int d = dim(), k = components(), n = x.n();
        if (x.dim() != d) throw new IllegalArgumentException("mixture is " + d + "-dimensional, batch is " + x);
        double[][][] inv = new double[k][][];
        double[] logNorm = new double[k];
        prepare(a, sg, inv, logNorm);
        int chunk = 2048, chunks = (n + chunk - 1) / chunk;
        if (chunks <= 1) posteriorRows(x.data(), 0, n, a, sg, inv, logNorm, eps, x0);
        else java.util.stream.IntStream.range(0, chunks).parallel()
                .forEach(c -> posteriorRows(x.data(), c * chunk, Math.min(n, (c + 1) * chunk), a, sg, inv, logNorm, eps, x0));
    }

    private void posteriorRows(double[] xs, int from, int to, double a, double sg, double[][][] inv, double[] logNorm, double[] eps, double[] x0) {
        int d = dim(), k = components();
        double[] diff = new double[d], lp = new double[k];
        double[][] r = new double[k][d];
        double[] er = new double[d], ex = new double[d];
        for (int i = from; i < to; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) diff[j] = xs[i * d + j] - a * means[c][j];
                double q = 0;
                for (int p = 0; p < d; p++) {
                    double v = 0;
                    for (int j = 0; j < d; j++) v += inv[c][p][j] * diff[j];
                    r[c][p] = v;
                    q += diff[p] * v;
                }
                lp[c] = logNorm[c] - 0.5 * q;
                max = Math.max(max, lp[c]);
            }
            double sum = 0;
            for (int c = 0; c < k; c++) { lp[c] = Math.exp(lp[c] - max); sum += lp[c]; }
            java.util.Arrays.fill(er, 0);
            java.util.Arrays.fill(ex, 0);
            for (int c = 0; c < k; c++) {
                double g = lp[c] / sum;
                for (int p = 0; p < d; p++) {
                    er[p] += g * r[c][p];
                    if (x0 != null) {
                        double v = means[c][p];
                        for (int j = 0; j < d; j++) v += a * covs[c][p][j] * r[c][j];
                        ex[p] += g * v;
                    }
                }
            }
            for (int p = 0; p < d; p++) {
                if (eps != null) eps[i * d + p] = sg * er[p];
                if (x0 != null) x0[i * d + p] = ex[p];
            }
        }
    }

    private static double quad(double[][] m, double[] v) {
        double q = 0;
        for (int i = 0; i < v.length; i++) for (int j = 0; j < v.length; j++) q += v[i] * m[i][j] * v[j];
        return q;
    }

    static double[][] cholesky(double[][] m) {
        int d = m.length;
        double[][] l = new double[d][d];
        for (int i = 0; i < d; i++) {
            if (m[i].length != d) throw new IllegalArgumentException("covariance is not square");
            for (int j = 0; j <= i; j++) {
                if (Math.abs(m[i][j] - m[j][i]) > 1e-12 * (Math.abs(m[i][j]) + 1)) throw new IllegalArgumentException("covariance is not symmetric");
                double s = m[i][j];
                for (int p = 0; p < j; p++) s -= l[i][p] * l[j][p];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("covariance is not positive definite");
                    l[i][i] = Math.sqrt(s);
                } else l[i][j] = s / l[j][j];
            }
        }
        return l;
    }

    private static double[][] inverseFromCholesky(double[][] l) {
        int d = l.length;
        double[][] linv = new double[d][d];
        for (int i = 0; i < d; i++) {
            linv[i][i] = 1 / l[i][i];
            for (int j = 0; j < i; j++) {
                double s = 0;
                for (int p = j; p < i; p++) s -= l[i][p] * linv[p][j];
                linv[i][j] = s / l[i][i];
            }
        }
        double[][] inv = new double[d][d];
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) {
            double s = 0;
            for (int p = Math.max(i, j); p < d; p++) s += linv[p][i] * linv[p][j];
            inv[i][j] = s;
        }
        return inv;
    }
}
