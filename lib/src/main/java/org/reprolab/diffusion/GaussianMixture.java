package org.reprolab.diffusion;

import java.util.function.BiFunction;
import org.reprolab.linalg.Cholesky;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.expr.Expr;

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

    /**
     * One Gaussian per label fitted by maximum likelihood (mean, covariance {@code + ridge·I}, weight the label's
     * share): a class-conditional Gaussian model of a data set, e.g. the 8×8 digits as a 64-dimensional target with
     * exact scores and exact posteriors ({@link #posterior}).
     *
     * @param labels one label {@code 0..K−1} per row of {@code x}, every label present
     * @param ridge  added to every covariance's diagonal, &gt; 0 when a class has fewer points than dimensions
     */
    public static GaussianMixture fit(Batch x, int[] labels, double ridge) {
        if (labels.length != x.n()) throw new IllegalArgumentException("fit: " + x.n() + " points but " + labels.length + " labels");
        if (!(ridge >= 0)) throw new IllegalArgumentException("fit: ridge must be >= 0, got " + ridge);
        int k = java.util.Arrays.stream(labels).max().orElse(-1) + 1, d = x.dim();
        double[] w = new double[k];
        double[][] mu = new double[k][d];
        double[][][] cov = new double[k][d][d];
        for (int i = 0; i < x.n(); i++) {
            if (labels[i] < 0) throw new IllegalArgumentException("fit: label " + labels[i] + " is negative");
            w[labels[i]]++;
            for (int j = 0; j < d; j++) mu[labels[i]][j] += x.get(i, j);
        }
        for (int c = 0; c < k; c++) {
            if (w[c] == 0) throw new IllegalArgumentException("fit: label " + c + " has no points");
            for (int j = 0; j < d; j++) mu[c][j] /= w[c];
        }
        for (int i = 0; i < x.n(); i++) {
            int c = labels[i];
            for (int p = 0; p < d; p++) for (int q = 0; q < d; q++) cov[c][p][q] += (x.get(i, p) - mu[c][p]) * (x.get(i, q) - mu[c][q]) / w[c];
        }
        for (int c = 0; c < k; c++) for (int p = 0; p < d; p++) cov[c][p][p] += ridge;
        return new GaussianMixture(w, mu, cov);
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

    /** The mixture's mean {@code Σ_k w_k μ_k}. */
    public double[] mean() {
        double[] m = new double[dim()];
        for (int c = 0; c < components(); c++) for (int i = 0; i < m.length; i++) m[i] += weights[c] * means[c][i];
        return m;
    }

    /** The mixture's covariance by the law of total covariance: {@code Σ_k w_k (Σ_k + μ_k μ_kᵀ) − μ μᵀ}. */
    public double[][] covariance() {
        int d = dim();
        double[] m = mean();
        double[][] c = new double[d][d];
        for (int k = 0; k < components(); k++)
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] += weights[k] * (covs[k][i][j] + means[k][i] * means[k][j]);
        for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) c[i][j] -= m[i] * m[j];
        return c;
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

    /**
     * The exact noise prediction ε̂ of the mixture diffused by {@code schedule}, with the exact vector–Jacobian
     * product of its denoiser ({@link #denoiserVjp}) for samplers that differentiate through it (DPS).
     */
    public DifferentiableModel model(NoiseSchedule schedule) {
        return DifferentiableModel.of(new Exact(this, schedule, Prediction.NOISE), (x, t, v, out) -> denoiserVjp(schedule, x, t, v, out));
    }

    /**
     * {@code (∂x̂₀/∂x)ᵀ v} of the exact denoiser at {@code (x, t)}, row by row: by Tweedie's second-order formula
     * {@code ∂E[x₀|x_t]/∂x_t = (α/σ²) Cov[x₀|x_t]} (symmetric), and for a mixture
     * {@code Cov = Σγ_k(P_k + m_k m_kᵀ) − m mᵀ} with component posteriors {@code m_k = μ_k + αΣ_k r_k},
     * {@code P_k = Σ_k − α²Σ_k C_k⁻¹ Σ_k}.
     */
    public void denoiserVjp(NoiseSchedule s, Batch x, double t, double[] v, double[] out) {
        int d = dim(), k = components(), n = x.n();
        if (x.dim() != d) throw new IllegalArgumentException("mixture is " + d + "-dimensional, batch is " + x);
        if (v.length != x.data().length || out.length != v.length) throw new IllegalArgumentException("denoiserVjp: v and out need " + x.data().length + " values");
        double a = s.alpha(t), sg = s.sigma(t);
        double[][][] inv = new double[k][][], post = new double[k][][];
        double[] logNorm = new double[k];
        prepare(a, sg, inv, logNorm);
        for (int c = 0; c < k; c++) {
            double[][] sc = multiply(covs[c], multiply(inv[c], covs[c]));
            post[c] = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) post[c][i][j] = covs[c][i][j] - a * a * sc[i][j];
        }
        double[] diff = new double[d], lp = new double[k], m = new double[d];
        double[][] mc = new double[k][d];
        double scale = a / (sg * sg);
        for (int i = 0; i < n; i++) {
            Run.checkInterrupt("mixture denoiser VJP");
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) diff[j] = x.data()[i * d + j] - a * means[c][j];
                double[] r = times(inv[c], diff);
                lp[c] = logNorm[c] - 0.5 * dot(diff, r);
                max = Math.max(max, lp[c]);
                double[] sr = times(covs[c], r);
                for (int j = 0; j < d; j++) mc[c][j] = means[c][j] + a * sr[j];
            }
            double sum = 0;
            for (int c = 0; c < k; c++) { lp[c] = Math.exp(lp[c] - max); sum += lp[c]; }
            java.util.Arrays.fill(m, 0);
            double[] vi = java.util.Arrays.copyOfRange(v, i * d, (i + 1) * d), acc = new double[d];
            for (int c = 0; c < k; c++) {
                double g = lp[c] / sum, mv = dot(mc[c], vi);
                double[] pv = times(post[c], vi);
                for (int j = 0; j < d; j++) {
                    m[j] += g * mc[c][j];
                    acc[j] += g * (pv[j] + mc[c][j] * mv);
                }
            }
            double mv = dot(m, vi);
            for (int j = 0; j < d; j++) out[i * d + j] = scale * (acc[j] - m[j] * mv);
        }
    }

    /**
     * The exact posterior {@code p(x | y)} of this prior under the measurement {@code y = A x + σ_y n}: again a
     * Gaussian mixture, component by component the Kalman update {@code S_k = AΣ_kAᵀ + σ_y²I},
     * {@code G_k = Σ_kAᵀS_k⁻¹}, {@code μ'_k = μ_k + G_k(y − Aμ_k)}, {@code Σ'_k = Σ_k − G_kAΣ_k},
     * {@code w'_k ∝ w_k N(y; Aμ_k, S_k)}: the independent reference for posterior samplers (DPS, RED-diff, DDS).
     */
    public GaussianMixture posterior(LinearMeasurement measurement, double[] y) {
        return posteriors(measurement).given(y);
    }

    /** The y-independent part of {@link #posterior} (gains, covariances), to condition on many measurements. */
    Posteriors posteriors(LinearMeasurement measurement) {
        if (measurement.dim() != dim()) throw new IllegalArgumentException("measurement acts on dimension " + measurement.dim() + ", mixture is " + dim() + "-dimensional");
        int k = components(), d = dim(), mRows = measurement.rows();
        double[][] a = measurement.matrix();
        double[][][] gain = new double[k][][], cov = new double[k][][], sInv = new double[k][][];
        double[] logNorm = new double[k];
        for (int c = 0; c < k; c++) {
            double[][] sat = multiply(covs[c], transpose(a));          // Σ Aᵀ, d × m
            double[][] sm = multiply(a, sat);                           // A Σ Aᵀ
            for (int i = 0; i < mRows; i++) sm[i][i] += measurement.noiseStd() * measurement.noiseStd();
            double[][] l = cholesky(symmetrize(sm));
            double logDet = 0;
            for (int i = 0; i < mRows; i++) logDet += 2 * Math.log(l[i][i]);
            sInv[c] = inverseFromCholesky(l);
            gain[c] = multiply(sat, sInv[c]);
            double[][] reduce = multiply(gain[c], transpose(sat));      // G A Σ = Σ Aᵀ S⁻¹ A Σ
            cov[c] = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) cov[c][i][j] = covs[c][i][j] - 0.5 * (reduce[i][j] + reduce[j][i]);
            logNorm[c] = Math.log(weights[c]) - 0.5 * (logDet + mRows * Math.log(2 * Math.PI));
        }
        return new Posteriors(this, measurement, gain, cov, sInv, logNorm);
    }

    /** Conditioning on one measurement vector at a time with the precomputed gains. */
    record Posteriors(GaussianMixture prior, LinearMeasurement measurement, double[][][] gain, double[][][] cov, double[][][] sInv, double[] logNorm) {
        GaussianMixture given(double[] y) {
            if (y.length != measurement.rows()) throw new IllegalArgumentException("measurement has " + measurement.rows() + " values, got " + y.length);
            int k = prior.components(), d = prior.dim();
            double[] lw = new double[k], w = new double[k];
            double[][] mu = new double[k][];
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                double[] r = times(measurement.matrix(), prior.means[c]);
                for (int i = 0; i < r.length; i++) r[i] = y[i] - r[i];
                lw[c] = logNorm[c] - 0.5 * dot(r, times(sInv[c], r));
                max = Math.max(max, lw[c]);
                double[] step = times(gain[c], r);
                mu[c] = new double[d];
                for (int j = 0; j < d; j++) mu[c][j] = prior.means[c][j] + step[j];
            }
            for (int c = 0; c < k; c++) w[c] = Math.max(Math.exp(lw[c] - max), Double.MIN_NORMAL);
            return new GaussianMixture(w, mu, cov);
        }
    }

    private static double[][] multiply(double[][] x, double[][] y) {
        int n = x.length, p = y.length, q = y[0].length;
        double[][] o = new double[n][q];
        for (int i = 0; i < n; i++) for (int l = 0; l < p; l++) {
            double v = x[i][l];
            if (v != 0) for (int j = 0; j < q; j++) o[i][j] += v * y[l][j];
        }
        return o;
    }

    private static double[][] transpose(double[][] x) {
        double[][] o = new double[x[0].length][x.length];
        for (int i = 0; i < x.length; i++) for (int j = 0; j < x[0].length; j++) o[j][i] = x[i][j];
        return o;
    }

    private static double[][] symmetrize(double[][] x) {
        for (int i = 0; i < x.length; i++) for (int j = 0; j < i; j++) x[i][j] = x[j][i] = 0.5 * (x[i][j] + x[j][i]);
        return x;
    }

    private static double[] times(double[][] m, double[] v) {
        double[] o = new double[m.length];
        for (int i = 0; i < m.length; i++) o[i] = dot(m[i], v);
        return o;
    }

    private static double dot(double[] x, double[] y) {
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
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
        return new Exact(this, schedule, Prediction.DATA);
    }

    /**
     * The exact ε̂ ({@link Prediction#NOISE}) or x̂₀ ({@link Prediction#DATA}) of the mixture diffused by
     * {@code schedule}: on the host row by row ({@link #eval}), on a device as one kernel over the batch
     * ({@link PointwiseModel}): the per-component terms, the max-shifted softmax of the responsibilities and their
     * weighted sum unrolled over the K components and d coordinates, in the host's order of operations but for one
     * reciprocal of the softmax's normaliser in place of K divisions (so the two agree to a few ulp). Zero entries of diagonal covariances are left out (adding ±0 changes
     * nothing). Meant for small d (the expression has O(K·d²) nodes).
     */
    record Exact(GaussianMixture mixture, NoiseSchedule schedule, Prediction prediction) implements DiffusionModel, PointwiseModel {
        public void eval(Batch x, double t, double[] out) {
            boolean noise = prediction == Prediction.NOISE;
            mixture.posterior(x, schedule.alpha(t), schedule.sigma(t), noise ? out : null, noise ? null : out);
        }

        public java.util.Optional<PointwiseModel> pointwise() {
            return java.util.Optional.of(this);
        }

        public int dim() {
            return mixture.dim();
        }

        public int params() {
            int n = prediction == Prediction.NOISE ? 1 : 0, d = dim();
            for (int c = 0; c < mixture.components(); c++) {
                int pattern = mixture.diagonal(c) ? d : d * d;
                n += d + pattern + 1 + (prediction == Prediction.DATA ? pattern : 0);
            }
            return n;
        }

        public java.util.List<Expr> prediction(java.util.List<Expr> x, int firstParam) {
            int d = dim(), k = mixture.components();
            int[] next = {firstParam};
            java.util.function.Supplier<Expr> param = () -> Expr.param(next[0]++);
            Expr sg = prediction == Prediction.NOISE ? param.get() : null;
            Expr[] lp = new Expr[k];
            Expr[][] term = new Expr[k][d];
            for (int c = 0; c < k; c++) {
                Expr[] diff = new Expr[d], r = new Expr[d];
                for (int j = 0; j < d; j++) diff[j] = x.get(j).sub(param.get());
                for (int p = 0; p < d; p++) r[p] = mixture.rowTimes(c, p, null, diff, param);
                Expr q = null;
                for (int p = 0; p < d; p++) q = sum(q, diff[p].mul(r[p]));
                lp[c] = param.get().sub(Expr.c(0.5).mul(q));
                for (int p = 0; p < d; p++)
                    term[c][p] = prediction == Prediction.NOISE ? r[p] : mixture.rowTimes(c, p, Expr.c(mixture.means[c][p]), r, param);
            }
            Expr max = lp[0], total = null;
            for (int c = 1; c < k; c++) max = max.max(lp[c]);
            Expr[] e = new Expr[k];
            for (int c = 0; c < k; c++) total = sum(total, e[c] = lp[c].sub(max).exp());
            java.util.List<Expr> out = new java.util.ArrayList<>();
            Expr normaliser = total.recip();
            for (int p = 0; p < d; p++) {
                Expr acc = null;
                for (int c = 0; c < k; c++) acc = sum(acc, e[c].mul(normaliser).mul(term[c][p]));
                out.add(sg == null ? acc : sg.mul(acc));
            }
            return out;
        }

        public void params(double t, double[] out, int offset) {
            double a = schedule.alpha(t), sg = schedule.sigma(t);
            int d = dim(), k = mixture.components(), i = offset;
            double[][][] inv = new double[k][][];
            double[] logNorm = new double[k];
            mixture.prepare(a, sg, inv, logNorm);
            if (prediction == Prediction.NOISE) out[i++] = sg;
            for (int c = 0; c < k; c++) {
                for (int j = 0; j < d; j++) out[i++] = a * mixture.means[c][j];
                i = mixture.pattern(c, inv[c], 1, out, i);
                out[i++] = logNorm[c];
                if (prediction == Prediction.DATA) i = mixture.pattern(c, mixture.covs[c], a, out, i);
            }
        }

        private static Expr sum(Expr acc, Expr term) {
            return acc == null ? term : acc.add(term);
        }
    }

    /** Whether component {@code c}'s covariance is diagonal (then so is every C_k⁻¹ and the off-diagonal terms are exact zeros). */
    private boolean diagonal(int c) {
        for (int i = 0; i < dim(); i++) for (int j = 0; j < dim(); j++) if (i != j && covs[c][i][j] != 0) return false;
        return true;
    }

    /** {@code start + Σ_j P_pj·v_j} in j order (start may be null), P being a d×d matrix of component c's pattern read from params. */
    private Expr rowTimes(int c, int p, Expr start, Expr[] v, java.util.function.Supplier<Expr> param) {
        Expr acc = start;
        for (int j = 0; j < v.length; j++) {
            if (j != p && diagonal(c)) continue;
            Expr term = param.get().mul(v[j]);
            acc = acc == null ? term : acc.add(term);
        }
        return acc;
    }

    /** Writes {@code scale·m} over component c's pattern (row by row, as {@link #rowTimes} reads it); returns the next index. */
    private int pattern(int c, double[][] m, double scale, double[] out, int i) {
        for (int p = 0; p < dim(); p++)
            for (int j = 0; j < dim(); j++) if (j == p || !diagonal(c)) out[i++] = scale * m[p][j];
        return i;
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

    /**
     * The lower Cholesky factor of a covariance ({@link Cholesky#lower}), after checking that it is square and
     * symmetric; an error naming what is wrong otherwise (for a matrix that is not positive definite, the pivot).
     */
    static double[][] cholesky(double[][] m) {
        int d = m.length;
        for (int i = 0; i < d; i++) {
            if (m[i].length != d) throw new IllegalArgumentException("covariance is not square");
            for (int j = 0; j < i; j++)
                if (Math.abs(m[i][j] - m[j][i]) > 1e-12 * (Math.abs(m[i][j]) + 1)) throw new IllegalArgumentException("covariance is not symmetric");
        }
        try {
            return Cholesky.lower(m);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("covariance: " + e.getMessage(), e);
        }
    }

    static double[][] inverseFromCholesky(double[][] l) {
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
