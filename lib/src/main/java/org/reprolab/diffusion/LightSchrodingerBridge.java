package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Light Schrödinger bridge (Korotin, Gushchin, Burnaev, <i>Light Schrödinger Bridge</i>, ICLR 2024; official code
 * ngushchin/LightSB): the Schrödinger bridge with Wiener prior of variance ε between p₀ and p₁ — equivalently the
 * entropic OT plan for the cost ½‖x − y‖² and regulariser ε — with the <i>adjusted Schrödinger potential</i>
 * parameterised as an unnormalised Gaussian mixture
 * <pre>  v_θ(y) = Σ_k α_k N(y | r_k, εS_k).</pre>
 * Everything the bridge needs is then closed form, which is the paper's point:
 * <ul>
 * <li>{@code c_θ(x) = ∫ exp(xᵀy/ε) v_θ(y) dy = Σ_k α_k exp((xᵀS_k x + 2r_kᵀx)/(2ε))};</li>
 * <li>the conditional plan {@code π_θ(y | x) = exp(xᵀy/ε) v_θ(y)/c_θ(x)} is the Gaussian mixture with logits
 *     {@code log α_k + (xᵀS_k x + 2r_kᵀx)/(2ε)}, means {@code r_k + S_k x} and covariances {@code εS_k}
 *     ({@link #conditional}, {@link #sample});</li>
 * <li>the training objective {@code L(θ) = E_{p₀}[log c_θ(x₀)] − E_{p₁}[log v_θ(x₁)]} ({@link #loss}) equals
 *     {@code KL(π* ‖ π_θ)} up to a constant (the paper's main proposition), so plain minibatch Adam on samples of p₀ and
 *     p₁ fits it: no simulation, no inner loop, no network.</li>
 * </ul>
 * Parameters, as in the official code: {@code log_alpha} stores {@code ε·log α_k} (so the logits, which divide the
 * quadratic terms by ε, see all parameters on one scale), {@code r} the K×D means, and S_k through its Cholesky
 * factor, {@code S_k = L_k L_kᵀ} with {@code L_k = diag(exp(log_diag_k)) + strictly-lower(lower_k)} — the full
 * covariance variant (the official code rotates a diagonal by geotorch's orthogonal matrices; a Cholesky factor
 * spans the same matrices and needs no manifold optimiser). A single component represents the Gaussian-to-Gaussian
 * plan exactly ({@link GaussianEntropicOt#bridge()}). All computations are log-sum-exp: {@code xᵀSx/(2ε)} overflows
 * {@code exp} for small ε.
 */
public final class LightSchrodingerBridge {
    private final int dim, components;
    private final double epsilon;
    private final Tensor logAlpha, means, logDiag, lower, strictlyLower, identity;

    private LightSchrodingerBridge(double epsilon, double[] logAlpha, double[][] means, double[][] logDiag, double[][][] lower) {
        if (!(epsilon > 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("light Schrödinger bridge needs a finite epsilon > 0, got " + epsilon);
        this.components = means.length;
        this.dim = means[0].length;
        this.epsilon = epsilon;
        double[] scaledLogAlpha = logAlpha.clone();
        for (int k = 0; k < components; k++) scaledLogAlpha[k] *= epsilon;
        this.logAlpha = Tensor.of(scaledLogAlpha, components).requiresGrad(true);
        this.means = Tensor.of(means).requiresGrad(true);
        this.logDiag = Tensor.of(logDiag).requiresGrad(true);
        double[] low = new double[components * dim * dim], mask = new double[dim * dim], eye = new double[dim * dim];
        for (int k = 0; k < components; k++) for (int i = 0; i < dim; i++) for (int j = 0; j < i; j++) low[(k * dim + i) * dim + j] = lower[k][i][j];
        for (int i = 0; i < dim; i++) {
            eye[i * dim + i] = 1;
            for (int j = 0; j < i; j++) mask[i * dim + j] = 1;
        }
        this.lower = Tensor.of(low, components, dim, dim).requiresGrad(true);
        this.strictlyLower = Tensor.of(mask, dim, dim);
        this.identity = Tensor.of(eye, dim, dim);
    }

    /**
     * An untrained bridge with the official code's initialisation: equal weights α_k = 1/K, S_k = 0.1·I, means
     * r_k ~ N(0, I) from {@code seed} (replace them by target samples with {@link #initMeans}, as the paper does).
     */
    public static LightSchrodingerBridge of(int dim, int components, double epsilon, long seed) {
        if (dim <= 0 || components <= 0) throw new IllegalArgumentException("light Schrödinger bridge needs dim > 0 and components > 0, got dim=" + dim + ", components=" + components);
        double[] logAlpha = new double[components], z = new double[components * dim];
        Philox.fill(RngKey.of(seed), true, 0, z, 0, z.length);
        double[][] r = new double[components][dim], logDiag = new double[components][dim];
        for (int k = 0; k < components; k++) {
            logAlpha[k] = -Math.log(components);
            for (int i = 0; i < dim; i++) {
                r[k][i] = z[k * dim + i];
                logDiag[k][i] = 0.5 * Math.log(0.1);
            }
        }
        return new LightSchrodingerBridge(epsilon, logAlpha, r, logDiag, new double[components][dim][dim]);
    }

    /**
     * A bridge with a given potential {@code v(y) = Σ_k α_k N(y | r_k, εS_k)}: a known plan (the entropic OT benchmark
     * of Gushchin et al., NeurIPS 2023, builds its ground truth this way: p₁ is whatever this plan carries p₀ to).
     *
     * @param alpha positive weights α_k (need not sum to one)
     * @param r     K×D means
     * @param s     K×D×D symmetric positive-definite matrices S_k
     */
    public static LightSchrodingerBridge of(double epsilon, double[] alpha, double[][] r, double[][][] s) {
        int k = alpha.length;
        if (k == 0 || r.length != k || s.length != k) throw new IllegalArgumentException("light Schrödinger bridge needs K weights, means and matrices, got " + alpha.length + ", " + r.length + ", " + s.length);
        int d = r[0].length;
        double[] logAlpha = new double[k];
        double[][] logDiag = new double[k][d];
        double[][][] lower = new double[k][][];
        for (int c = 0; c < k; c++) {
            if (!(alpha[c] > 0) || Double.isInfinite(alpha[c])) throw new IllegalArgumentException("weight alpha[" + c + "] must be finite and > 0, got " + alpha[c]);
            if (r[c].length != d || s[c].length != d) throw new IllegalArgumentException("component " + c + " is not " + d + "-dimensional");
            logAlpha[c] = Math.log(alpha[c]);
            lower[c] = GaussianMixture.cholesky(s[c]);
            for (int i = 0; i < d; i++) logDiag[c][i] = Math.log(lower[c][i][i]);
        }
        return new LightSchrodingerBridge(epsilon, logAlpha, r, logDiag, lower);
    }

    /** Sets the means r_k to the rows of {@code samples} (K of them, typically from p₁: the official {@code init_r_by_samples}). */
    public LightSchrodingerBridge initMeans(Batch samples) {
        if (samples.n() != components || samples.dim() != dim)
            throw new IllegalArgumentException("initMeans needs " + components + " samples of dimension " + dim + ", got " + samples);
        try (var _ = Autodiff.noGrad()) {
            means.assign(samples.toTensor());
        }
        return this;
    }

    /** The trainable tensors, in place: {@code log_alpha} (ε·log α), {@code r}, {@code log_diag}, {@code lower}. */
    public Map<String, Tensor> parameters() {
        var p = new LinkedHashMap<String, Tensor>();
        p.put("log_alpha", logAlpha);
        p.put("r", means);
        p.put("log_diag", logDiag);
        p.put("lower", lower);
        return p;
    }

    public int dim() {
        return dim;
    }

    public int components() {
        return components;
    }

    public double epsilon() {
        return epsilon;
    }

    /** The paper's objective on minibatches: {@code mean log c_θ(x₀) − mean log v_θ(x₁)} for x₀ {@code [n, D]} from p₀, x₁ {@code [m, D]} from p₁. */
    public Tensor loss(Tensor x0, Tensor x1) {
        return logNormalizer(x0).mean().sub(logPotential(x1).mean());
    }

    /** The objective on two batches of samples. */
    public Tensor loss(Batch x0, Batch x1) {
        return loss(x0.toTensor(), x1.toTensor());
    }

    /** {@code log c_θ(x)} for each row of {@code x [n, D]}: {@code logsumexp_k(log α_k + (xᵀS_k x + 2r_kᵀx)/(2ε))}. */
    public Tensor logNormalizer(Tensor x) {
        check(x, "x");
        Tensor quadratic = x.unsqueeze(0).matmul(cholesky()).square().sum(2).t();   // [n, K]: ‖L_kᵀx‖² = xᵀS_k x
        Tensor linear = x.matmul(means.t()).mul(2);                                   // [n, K]: 2 r_kᵀx
        return quadratic.add(linear).div(2 * epsilon).add(logAlpha.div(epsilon)).logsumexp(1, false);
    }

    /** {@code log v_θ(y)} for each row of {@code y [n, D]}: {@code logsumexp_k(log α_k + log N(y | r_k, εS_k))}. */
    public Tensor logPotential(Tensor y) {
        check(y, "y");
        Tensor l = cholesky();
        Tensor u = y.unsqueeze(1).sub(means.unsqueeze(0));                            // [n, K, D]
        List<Tensor> z = new ArrayList<>();                                          // z = L_k⁻¹u by forward substitution
        Tensor quadratic = null;
        for (int i = 0; i < dim; i++) {
            Tensor zi = u.select(2, i);
            for (int j = 0; j < i; j++) zi = zi.sub(z.get(j).mul(l.select(1, i).select(1, j)));
            zi = zi.div(l.select(1, i).select(1, i));
            z.add(zi);
            quadratic = quadratic == null ? zi.square() : quadratic.add(zi.square());
        }
        Tensor halfLogDet = logDiag.sum(1);                                          // ½ log det S_k
        double constant = -0.5 * dim * Math.log(2 * Math.PI * epsilon);
        return quadratic.div(-2 * epsilon).sub(halfLogDet).add(logAlpha.div(epsilon)).add(constant).logsumexp(1, false);
    }

    /** L_k, {@code [K, D, D]}: exp of the diagonal parameters on the diagonal, the strictly lower parameters below. */
    private Tensor cholesky() {
        return lower.mul(strictlyLower).add(logDiag.exp().unsqueeze(2).mul(identity));
    }

    private void check(Tensor x, String name) {
        if (x.rank() != 2 || x.size(1) != dim)
            throw new IllegalArgumentException("light Schrödinger bridge: " + name + " must be [n, " + dim + "], got shape " + java.util.Arrays.toString(x.shape()));
    }

    /** The current parameters as plain arrays: log α_k, r_k, L_k and S_k = L_k L_kᵀ. */
    private record Snapshot(double epsilon, double[] logAlpha, double[][] r, double[][][] l, double[][][] s) {
        /** The logits {@code log α_k + (xᵀS_k x + 2r_kᵀx)/(2ε)} of π(· | x), in {@code out}. */
        void logits(double[] x, double[] out) {
            for (int k = 0; k < logAlpha.length; k++) {
                double q = 0;
                for (int i = 0; i < x.length; i++) {
                    q += 2 * r[k][i] * x[i];
                    for (int j = 0; j < x.length; j++) q += x[i] * s[k][i][j] * x[j];
                }
                out[k] = logAlpha[k] + q / (2 * epsilon);
            }
        }
    }

    private Snapshot snapshot() {
        double[] la, rv, ld, lo;
        try (var _ = Autodiff.noGrad()) {
            la = logAlpha.toDoubleArray();
            rv = means.toDoubleArray();
            ld = logDiag.toDoubleArray();
            lo = lower.toDoubleArray();
        }
        int kk = components, d = dim;
        double[][] r = new double[kk][d];
        double[][][] l = new double[kk][d][d], s = new double[kk][d][d];
        for (int k = 0; k < kk; k++) {
            la[k] /= epsilon;
            for (int i = 0; i < d; i++) {
                r[k][i] = rv[k * d + i];
                l[k][i][i] = Math.exp(ld[k * d + i]);
                for (int j = 0; j < i; j++) l[k][i][j] = lo[(k * d + i) * d + j];
            }
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) for (int p = 0; p <= Math.min(i, j); p++) s[k][i][j] += l[k][i][p] * l[k][j][p];
        }
        return new Snapshot(epsilon, la, r, l, s);
    }

    /**
     * The conditional plan {@code π_θ(· | x)} as a normalised {@link GaussianMixture}: weights ∝ exp(logits), means
     * {@code r_k + S_k x}, covariances {@code εS_k}. Components whose weight underflows to zero are left out.
     */
    public GaussianMixture conditional(double... x) {
        if (x.length != dim) throw new IllegalArgumentException("conditional plan: x has " + x.length + " coordinates, the bridge is " + dim + "-dimensional");
        Snapshot p = snapshot();
        double[] logits = new double[components];
        p.logits(x, logits);
        double max = java.util.Arrays.stream(logits).max().orElseThrow();
        List<double[]> mu = new ArrayList<>();
        List<double[][]> cov = new ArrayList<>();
        List<Double> w = new ArrayList<>();
        for (int k = 0; k < components; k++) {
            double weight = Math.exp(logits[k] - max);
            if (weight == 0) continue;
            double[] m = SpdMatrix.apply(p.s()[k], x);
            double[][] c = new double[dim][dim];
            for (int i = 0; i < dim; i++) {
                m[i] += p.r()[k][i];
                for (int j = 0; j < dim; j++) c[i][j] = epsilon * p.s()[k][i][j];
            }
            w.add(weight);
            mu.add(m);
            cov.add(SpdMatrix.symmetrize(c));
        }
        return new GaussianMixture(w.stream().mapToDouble(Double::doubleValue).toArray(), mu.toArray(double[][]::new), cov.toArray(double[][][]::new));
    }

    /**
     * One draw {@code y ~ π_θ(· | x)} per row of {@code x}: the component from uniforms of {@code key.foldIn(0)} (inverse
     * CDF of the softmax of the logits), then {@code r_k + S_k x + √ε L_k z} with normals z of {@code key.foldIn(1)}.
     * The pairs (x, y) are samples of the learned plan; the y alone of its second marginal.
     */
    public Batch sample(Batch x, RngKey key) {
        if (x.dim() != dim) throw new IllegalArgumentException("light Schrödinger bridge is " + dim + "-dimensional, batch is " + x);
        Snapshot p = snapshot();
        int n = x.n(), d = dim;
        double[] u = new double[n], z = new double[n * d], out = new double[n * d], logits = new double[components], row = new double[d];
        Philox.fill(key.foldIn(0), false, 0, u, 0, n);
        Philox.fill(key.foldIn(1), true, 0, z, 0, n * d);
        double root = Math.sqrt(epsilon);
        for (int i = 0; i < n; i++) {
            if ((i & 1023) == 0) Run.checkInterrupt("light Schrödinger bridge sampling");
            System.arraycopy(x.data(), i * d, row, 0, d);
            p.logits(row, logits);
            int k = pick(logits, u[i]);
            for (int a = 0; a < d; a++) {
                double v = p.r()[k][a];
                for (int b = 0; b < d; b++) v += p.s()[k][a][b] * row[b];
                for (int b = 0; b <= a; b++) v += root * p.l()[k][a][b] * z[i * d + b];
                out[i * d + a] = v;
            }
        }
        return new Batch(n, d, out);
    }

    /**
     * The drift of the bridge process {@code dX_t = g(X_t, t) dt + √ε dW_t}, X₀ ~ p₀, in closed form (the paper's SB drift;
     * the official {@code get_drift}): {@code g = ε∇ₓ log ∫ N(y | x, ε(1 − t)I) exp(‖y‖²/2ε) v_θ(y) dy}, a log-sum-exp
     * over components of Gaussian integrals. With {@code A_k = t/(ε(1 − t)) I + (εS_k)⁻¹} and
     * {@code c_k = x/(ε(1 − t)) + (εS_k)⁻¹r_k} it is {@code (Σ_k w_k A_k⁻¹c_k − x)/(1 − t)}, weights the softmax of
     * {@code log α_k − ½ log det(εS_k A_k) + ½ c_kᵀA_k⁻¹c_k − ½ r_kᵀ(εS_k)⁻¹r_k}; at t = 0 it is {@code E_θ[Y | x] − x}.
     *
     * @param t in [0, 1): the factor 1/(1 − t) is singular at the end
     */
    public Batch drift(Batch x, double t) {
        if (!(t >= 0 && t < 1)) throw new IllegalArgumentException("bridge drift needs 0 <= t < 1, got " + t);
        if (x.dim() != dim) throw new IllegalArgumentException("light Schrödinger bridge is " + dim + "-dimensional, batch is " + x);
        Snapshot p = snapshot();
        int n = x.n(), d = dim, kk = components;
        double[][][] inverse = new double[kk][][];
        double[][] shift = new double[kk][];
        double[] constant = new double[kk];
        for (int k = 0; k < kk; k++) {
            double[][] es = new double[d][d];
            for (int i = 0; i < d; i++) for (int j = 0; j < d; j++) es[i][j] = epsilon * p.s()[k][i][j];
            double[][] esInverse = SpdMatrix.power(SpdMatrix.symmetrize(es), -1, "epsilon S");
            double[][] a = SpdMatrix.symmetrize(esInverse);
            for (int i = 0; i < d; i++) a[i][i] += t / (epsilon * (1 - t));
            inverse[k] = SpdMatrix.power(a, -1, "A_k");
            shift[k] = SpdMatrix.apply(esInverse, p.r()[k]);
            double logDet = 0;
            double[][] ls = GaussianMixture.cholesky(SpdMatrix.symmetrize(SpdMatrix.multiply(es, a)));
            for (int i = 0; i < d; i++) logDet += 2 * Math.log(ls[i][i]);
            double rr = 0;
            for (int i = 0; i < d; i++) rr += p.r()[k][i] * shift[k][i];
            constant[k] = p.logAlpha()[k] - 0.5 * logDet - 0.5 * rr;
        }
        double[] out = new double[n * d], c = new double[d], logits = new double[kk];
        double[][] v = new double[kk][];
        for (int row = 0; row < n; row++) {
            if ((row & 1023) == 0) Run.checkInterrupt("light Schrödinger bridge drift");
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < kk; k++) {
                for (int i = 0; i < d; i++) c[i] = x.data()[row * d + i] / (epsilon * (1 - t)) + shift[k][i];
                v[k] = SpdMatrix.apply(inverse[k], c);
                double q = 0;
                for (int i = 0; i < d; i++) q += c[i] * v[k][i];
                logits[k] = constant[k] + 0.5 * q;
                max = Math.max(max, logits[k]);
            }
            double total = 0;
            for (int k = 0; k < kk; k++) total += logits[k] = Math.exp(logits[k] - max);
            for (int i = 0; i < d; i++) {
                double mean = 0;
                for (int k = 0; k < kk; k++) mean += logits[k] / total * v[k][i];
                out[row * d + i] = (mean - x.data()[row * d + i]) / (1 - t);
            }
        }
        return new Batch(n, d, out);
    }

    /**
     * The bridge process simulated by Euler–Maruyama with the closed-form {@link #drift} on the uniform grid of
     * {@code steps} steps over [0, 1] (the official {@code sample_euler_maruyama}; the last drift is taken at
     * t = 1 − 1/steps, never at the singular end): its end points are samples of the learned plan's second marginal,
     * the same law {@link #sample} draws in one step.
     */
    public Batch simulate(Batch x0, int steps, RngKey key) {
        if (steps <= 0) throw new IllegalArgumentException("bridge simulation needs steps > 0, got " + steps);
        double h = 1.0 / steps, root = Math.sqrt(epsilon * h);
        Batch x = x0.copy();
        double[] z = new double[x.data().length];
        for (int i = 0; i < steps; i++) {
            Batch g = drift(x, i * h);
            Philox.fill(key.foldIn(i), true, 0, z, 0, z.length);
            for (int j = 0; j < z.length; j++) x.data()[j] += h * g.data()[j] + root * z[j];
        }
        return x;
    }

    /** The index drawn by the uniform {@code u} from the softmax of {@code logits} (log-sum-exp stable). */
    private static int pick(double[] logits, double u) {
        double max = Double.NEGATIVE_INFINITY, total = 0;
        for (double v : logits) max = Math.max(max, v);
        for (double v : logits) total += Math.exp(v - max);
        double target = u * total, acc = 0;
        for (int k = 0; k < logits.length - 1; k++) {
            acc += Math.exp(logits[k] - max);
            if (target < acc) return k;
        }
        return logits.length - 1;
    }

    @Override
    public String toString() {
        return "LightSchrodingerBridge[dim=" + dim + ", components=" + components + ", epsilon=" + epsilon + "]";
    }
}
