package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.reprolab.random.RngKey;

/**
 * A stochastic interpolant {@code x_t = α(t)x₀ + β(t)x₁ + γ(t)z} between Gaussian mixtures, with its velocity and
 * score in closed form (Albergo, Boffi &amp; Vanden-Eijnden 2023, the Gaussian-mixture examples of §6; their
 * {@code interflow/gmm.py}). The coupling of (x₀, x₁) is a mixture of joint Gaussians — independent (every pair of
 * components), mirror (x₀ = x₁) or one-sided (x₀ ~ N(0, I)) — so each component k makes x_t Gaussian with mean
 * {@code m_k = αμ₀ + βμ₁} and covariance {@code C_k = α²Σ₀₀ + β²Σ₁₁ + αβ(Σ₀₁ + Σ₁₀) + γ²I}, and with
 * responsibilities {@code r_k(x)} and {@code v_k = C_k⁻¹(x − m_k)}:
 * <ul>
 *   <li>score {@code s = ∇log ρ_t = −Σ r_k v_k}, denoiser {@code η = E[z | x_t] = −γ s};</li>
 *   <li>velocity {@code b = Σ r_k (α̇μ₀ + β̇μ₁ + K_k v_k)}, {@code K_k = Cov(α̇x₀ + β̇x₁ + γ̇z, x_t)
 *       = α̇αΣ₀₀ + β̇βΣ₁₁ + α̇βΣ₀₁ + β̇αΣ₁₀ + ½(γ²)'I} (Gaussian conditioning per component).</li>
 * </ul>
 * Both stay finite at t = 0 and 1 (the components' covariances are positive definite), so samplers can run the
 * whole interval. The marginal of x_t is itself a {@link GaussianMixture} ({@link #marginal}), which gives exact
 * samples and moments of every ρ_t to compare sampled marginals with.
 */
public final class MixtureInterpolant implements InterpolantModel {
    private final StochasticInterpolant interpolant;
    private final String coupling;
    private final int dim;
    private final List<Joint> joints;
    private static final String ONE_SIDED = "one-sided";

    /** One Gaussian component of the coupling of (x₀, x₁): weight, means, covariance blocks ({@code s01 = Cov(x₀, x₁)}). */
    private record Joint(double weight, double[] mu0, double[] mu1, double[][] s00, double[][] s11, double[][] s01) {}

    private MixtureInterpolant(StochasticInterpolant interpolant, String coupling, List<Joint> joints) {
        if (interpolant == null) throw new IllegalArgumentException("interpolant must not be null");
        this.interpolant = interpolant;
        this.coupling = coupling;
        this.joints = List.copyOf(joints);
        this.dim = joints.getFirst().mu0().length;
    }

    /** x₀ ~ ρ₀ and x₁ ~ ρ₁ independent (the paper's default coupling): one joint component per pair of components. */
    public static MixtureInterpolant independent(StochasticInterpolant interpolant, GaussianMixture rho0, GaussianMixture rho1) {
        if (rho0.dim() != rho1.dim()) throw new IllegalArgumentException("ρ₀ is " + rho0.dim() + "-dimensional, ρ₁ " + rho1.dim() + "-dimensional");
        int d = rho0.dim();
        List<Joint> js = new ArrayList<>();
        for (int i = 0; i < rho0.components(); i++)
            for (int j = 0; j < rho1.components(); j++)
                js.add(new Joint(rho0.weights()[i] * rho1.weights()[j], rho0.means()[i], rho1.means()[j], rho0.covs()[i], rho1.covs()[j], new double[d][d]));
        return new MixtureInterpolant(interpolant, "independent", js);
    }

    /**
     * The one-sided interpolant: x₀ ~ N(0, I) independent of x₁ ~ ρ₁ (the paper's §3.4; with
     * {@link StochasticInterpolant#oneSidedTrigonometric} it is the variance-preserving diffusion, with
     * {@link StochasticInterpolant#oneSidedLinear} rectified flow's path).
     */
    public static MixtureInterpolant oneSided(StochasticInterpolant interpolant, GaussianMixture rho1) {
        int d = rho1.dim();
        double[][] eye = new double[d][d];
        for (int i = 0; i < d; i++) eye[i][i] = 1;
        var independent = independent(interpolant, new GaussianMixture(new double[] {1}, new double[][] {new double[d]}, new double[][][] {eye}), rho1);
        return new MixtureInterpolant(interpolant, ONE_SIDED, independent.joints);
    }

    /**
     * The mirror coupling x₀ = x₁ ~ ρ (the paper's mirror interpolant, with {@link StochasticInterpolant#mirror}:
     * {@code x_t = x₁ + γz}): ρ at both ends, noisier in between; generation goes from data to data.
     */
    public static MixtureInterpolant mirror(StochasticInterpolant interpolant, GaussianMixture rho) {
        List<Joint> js = new ArrayList<>();
        for (int k = 0; k < rho.components(); k++)
            js.add(new Joint(rho.weights()[k], rho.means()[k], rho.means()[k], rho.covs()[k], rho.covs()[k], rho.covs()[k]));
        return new MixtureInterpolant(interpolant, "mirror", js);
    }

    public StochasticInterpolant interpolant() {
        return interpolant;
    }

    @Override
    public int dim() {
        return dim;
    }

    /** The law of x_t, exactly: the mixture of the components' {@code N(m_k, C_k)}. */
    public GaussianMixture marginal(double t) {
        checkTime(t);
        int k = joints.size();
        double[] w = new double[k];
        double[][] m = new double[k][];
        double[][][] c = new double[k][][];
        for (int i = 0; i < k; i++) {
            w[i] = joints.get(i).weight();
            m[i] = mean(joints.get(i), interpolant.alpha().at(t), interpolant.beta().at(t));
            c[i] = covariance(joints.get(i), t, false);
        }
        return new GaussianMixture(w, m, c);
    }

    /** {@code n} exact samples of x_t ({@link GaussianMixture#sample} of {@link #marginal}). */
    public Batch sample(double t, int n, RngKey key) {
        return marginal(t).sample(n, key);
    }

    /** E[x_t] in closed form: {@code Σ w_k m_k}. */
    public double[] mean(double t) {
        GaussianMixture g = marginal(t);
        double[] mu = new double[dim];
        for (int k = 0; k < g.components(); k++) for (int i = 0; i < dim; i++) mu[i] += g.weights()[k] * g.means()[k][i];
        return mu;
    }

    /** Cov[x_t] in closed form: {@code Σ w_k (C_k + m_k m_kᵀ) − E[x_t]E[x_t]ᵀ}. */
    public double[][] covariance(double t) {
        GaussianMixture g = marginal(t);
        double[] mu = mean(t);
        double[][] c = new double[dim][dim];
        for (int k = 0; k < g.components(); k++)
            for (int i = 0; i < dim; i++)
                for (int j = 0; j < dim; j++) c[i][j] += g.weights()[k] * (g.covs()[k][i][j] + g.means()[k][i] * g.means()[k][j]);
        for (int i = 0; i < dim; i++) for (int j = 0; j < dim; j++) c[i][j] -= mu[i] * mu[j];
        return c;
    }

    /** The velocity b(t, x) of every point. */
    public double[] velocity(Batch x, double t) {
        double[] b = new double[x.data().length];
        eval(x, t, b, null);
        return b;
    }

    /** The score ∇log ρ_t(x) of every point. */
    public double[] score(Batch x, double t) {
        double[] s = new double[x.data().length];
        eval(x, t, null, s);
        return s;
    }

    /**
     * The denoiser the paper learns in place of the score (its §3.4, the official README): for a two-sided
     * interpolant {@code η = E[z | x_t = x] = −γ(t) s(t, x)}; for a one-sided one (x₀ ~ N(0, I), the {@link #oneSided}
     * coupling) {@code η = E[x₀ | x_t = x] = −α(t) s(t, x)}, the noise prediction of diffusion models.
     */
    public double[] denoiser(Batch x, double t) {
        double[] s = score(x, t);
        double g = coupling.equals(ONE_SIDED) ? interpolant.alpha().at(t) : interpolant.gamma(t);
        for (int i = 0; i < s.length; i++) s[i] *= -g;
        return s;
    }

    /** Per component at one time: mean, C⁻¹, log(w/√det 2πC), the velocity's mean {@code α̇μ₀ + β̇μ₁} and K. */
    private record Frozen(double[] m, double[][] cInv, double logNorm, double[] u, double[][] k) {}

    @Override
    public void eval(Batch x, double t, double[] velocity, double[] score) {
        if (x.dim() != dim) throw new IllegalArgumentException("the interpolant is " + dim + "-dimensional, the batch is " + x);
        checkTime(t);
        double a = interpolant.alpha().at(t), b = interpolant.beta().at(t), da = interpolant.alpha().rate(t), db = interpolant.beta().rate(t);
        Frozen[] f = new Frozen[joints.size()];
        for (int c = 0; c < f.length; c++) {
            Joint j = joints.get(c);
            double[][] l = GaussianMixture.cholesky(covariance(j, t, false));
            double logDet = 0;
            for (int i = 0; i < dim; i++) logDet += 2 * Math.log(l[i][i]);
            double[] u = new double[dim];
            for (int i = 0; i < dim; i++) u[i] = da * j.mu0()[i] + db * j.mu1()[i];
            f[c] = new Frozen(mean(j, a, b), GaussianMixture.inverseFromCholesky(l),
                    Math.log(j.weight()) - 0.5 * (logDet + dim * Math.log(2 * Math.PI)), u, covariance(j, t, true));
        }
        int n = x.n(), chunk = 1024, chunks = (n + chunk - 1) / chunk;
        IntStream range = IntStream.range(0, chunks);
        (chunks > 1 ? range.parallel() : range).forEach(c -> rows(x.data(), c * chunk, Math.min(n, (c + 1) * chunk), f, velocity, score));
    }

    private void rows(double[] xs, int from, int to, Frozen[] f, double[] velocity, double[] score) {
        int k = f.length;
        double[] diff = new double[dim], logp = new double[k];
        double[][] v = new double[k][dim];
        for (int i = from; i < to; i++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < k; c++) {
                for (int p = 0; p < dim; p++) diff[p] = xs[i * dim + p] - f[c].m()[p];
                double q = 0;
                for (int p = 0; p < dim; p++) {
                    double s = 0;
                    for (int r = 0; r < dim; r++) s += f[c].cInv()[p][r] * diff[r];
                    v[c][p] = s;
                    q += diff[p] * s;
                }
                logp[c] = f[c].logNorm() - 0.5 * q;
                max = Math.max(max, logp[c]);
            }
            double total = 0;
            for (int c = 0; c < k; c++) total += logp[c] = Math.exp(logp[c] - max);
            for (int p = 0; p < dim; p++) {
                double s = 0, b = 0;
                for (int c = 0; c < k; c++) {
                    double r = logp[c] / total;
                    s -= r * v[c][p];
                    if (velocity != null) {
                        double kv = f[c].u()[p];
                        for (int q = 0; q < dim; q++) kv += f[c].k()[p][q] * v[c][q];
                        b += r * kv;
                    }
                }
                if (score != null) score[i * dim + p] = s;
                if (velocity != null) velocity[i * dim + p] = b;
            }
        }
    }

    private static double[] mean(Joint j, double a, double b) {
        double[] m = new double[j.mu0().length];
        for (int i = 0; i < m.length; i++) m[i] = a * j.mu0()[i] + b * j.mu1()[i];
        return m;
    }

    /**
     * {@code rate = false}: C = Cov(x_t) of the component; {@code rate = true}: K = Cov(ẋ_t, x_t), the same bilinear
     * form with the left coefficients differentiated (α̇ for α, β̇ for β, ½(γ²)' for γ²).
     */
    private double[][] covariance(Joint j, double t, boolean rate) {
        StochasticInterpolant ip = interpolant;
        double a = ip.alpha().at(t), b = ip.beta().at(t);
        double la = rate ? ip.alpha().rate(t) : a, lb = rate ? ip.beta().rate(t) : b;
        double g2 = rate ? 0.5 * ip.gammaSquared().rate(t) : ip.gammaSquared().at(t);
        double[][] c = new double[dim][dim];
        for (int p = 0; p < dim; p++) {
            for (int q = 0; q < dim; q++)
                c[p][q] = la * a * j.s00()[p][q] + lb * b * j.s11()[p][q] + la * b * j.s01()[p][q] + lb * a * j.s01()[q][p];
            c[p][p] += g2;
        }
        if (!rate) for (int p = 0; p < dim; p++) for (int q = 0; q < p; q++) c[p][q] = c[q][p] = 0.5 * (c[p][q] + c[q][p]);
        return c;
    }

    private static void checkTime(double t) {
        if (!(t >= 0 && t <= 1)) throw new IllegalArgumentException("interpolant time must be in [0, 1], got " + t);
    }

    @Override
    public String toString() {
        return interpolant.name() + ", " + coupling + " coupling, " + joints.size() + " components in " + dim + "-D";
    }
}
