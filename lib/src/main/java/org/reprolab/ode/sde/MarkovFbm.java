package org.reprolab.ode.sde;

import java.util.Arrays;
import java.util.function.DoubleFunction;
import java.util.function.DoubleUnaryOperator;
import org.reprolab.linalg.Cholesky;
import org.reprolab.ode.solvers.OdeSystem;

/**
 * Markov-approximate fractional Brownian motion (Daems, Opper, Crevecoeur and Birdal, <i>Variational Inference for
 * SDEs Driven by Fractional Noise</i>, ICLR 2024, §3): type-II fBM ({@link FractionalBrownian}) is not Markov, but
 * its kernel is a mixture of exponentials, {@code (t−s)^{H−½} ∝ ∫_0^∞ γ^{−(H+½)} e^{−γ(t−s)} dγ}, so
 * {@code B^H(t) ≈ Σ_k ω_k Y_k(t)} with Ornstein–Uhlenbeck processes {@code dY_k = −γ_k Y_k dt + dW}, all driven by
 * the <b>same</b> Wiener process W and started at 0. An SDE {@code dX = f(t, X) dt + σ dB^H} then becomes a Markov
 * SDE in (X, Y_1..Y_K):
 * <pre>dX = (f(t, X) − σ Σ_k ω_k γ_k Y_k) dt + σ (Σ_k ω_k) dW,</pre>
 * which our Itô solvers integrate ({@link #problem}) and whose likelihood Girsanov gives ({@link #logLikelihood}).
 *
 * <p>The speeds γ_k lie on a geometric grid (the paper's {@code γ_k = r^{k − (K+1)/2}}); the weights ω are the
 * paper's optimum: they minimise {@code ∫_0^T E(B^H(t) − Σ ω_k Y_k(t))² dt}, a quadratic in ω with
 * {@code A ω = b},
 * <pre>A_ij = T/(γ_i+γ_j) − (1 − e^{−(γ_i+γ_j)T})/(γ_i+γ_j)²,   b_k = γ_k^{−a} (T P(a, γ_k T) − (a/γ_k) P(a+1, γ_k T)),</pre>
 * a = H + ½, P the regularized lower incomplete Gamma function ({@code E[B^H(t) Y_k(t)] = γ_k^{−a} P(a, γ_k t)}).
 *
 * @param hurst   the Hurst index H the weights were fitted for
 * @param horizon the time horizon T of the fit
 * @param gammas  the OU speeds γ_k ≥ 0 (γ = 0 is a plain Brownian motion)
 * @param weights the weights ω_k
 */
public record MarkovFbm(double hurst, double horizon, double[] gammas, double[] weights) {

    public MarkovFbm {
        FractionalBrownian.checkHurst(hurst);
        if (!(horizon > 0) || Double.isInfinite(horizon)) throw new IllegalArgumentException("horizon must be finite and > 0, got " + horizon);
        if (gammas.length == 0 || gammas.length != weights.length)
            throw new IllegalArgumentException("need as many weights as OU speeds (at least one), got " + gammas.length + " speeds and " + weights.length + " weights");
        for (int k = 0; k < gammas.length; k++)
            if (!(gammas[k] >= 0) || Double.isInfinite(gammas[k]) || !Double.isFinite(weights[k]))
                throw new IllegalArgumentException("OU speed " + k + " must be finite and >= 0 and its weight finite, got γ=" + gammas[k] + ", ω=" + weights[k]);
        gammas = gammas.clone();
        weights = weights.clone();
        if (Math.abs(brownianWeight(weights)) < 1e-12)
            throw new IllegalArgumentException("the weights sum to " + brownianWeight(weights) + ": the Brownian part σΣω_k must not vanish");
    }

    /** The optimal weights for {@code k} speeds geometric in [gammaMin, gammaMax] (the paper: K = 5, [1e-2, 1e2]). */
    public static MarkovFbm of(double hurst, int k, double gammaMin, double gammaMax, double horizon) {
        if (k < 1) throw new IllegalArgumentException("need at least one OU component, got " + k);
        if (!(gammaMin > 0) || !(gammaMax >= gammaMin) || Double.isInfinite(gammaMax))
            throw new IllegalArgumentException("need 0 < gammaMin <= gammaMax < inf, got [" + gammaMin + ", " + gammaMax + "]");
        double[] g = new double[k];
        for (int i = 0; i < k; i++) g[i] = k == 1 ? Math.sqrt(gammaMin * gammaMax) : gammaMin * Math.pow(gammaMax / gammaMin, i / (k - 1.0));
        return of(hurst, g, horizon);
    }

    /** The optimal weights for the given speeds (all > 0). */
    public static MarkovFbm of(double hurst, double[] gammas, double horizon) {
        FractionalBrownian.checkHurst(hurst);
        for (double g : gammas) if (!(g > 0) || Double.isInfinite(g)) throw new IllegalArgumentException("optimal weights need finite speeds > 0, got " + g);
        double[][] a = gram(gammas, horizon);
        double[] b = crossMoments(hurst, gammas, horizon);
        int n = gammas.length;
        // A is a Gram matrix of exponentials: for many speeds it is numerically singular. Scale it to unit diagonal
        // and, only where Cholesky then fails, add the smallest ridge that lets it through (1e-15, 1e-14, ...).
        double[] scale = new double[n];
        for (int i = 0; i < n; i++) scale[i] = 1 / Math.sqrt(a[i][i]);
        double[][] unit = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) unit[i][j] = a[i][j] * scale[i] * scale[j];
        double[][] l = null;
        for (double ridge = 0; l == null; ridge = ridge == 0 ? 1e-15 : ridge * 10) {
            if (ridge > 1e-6) throw new IllegalArgumentException("the OU speeds " + Arrays.toString(gammas) + " are too close to fit weights");
            for (int i = 0; i < n; i++) unit[i][i] = 1 + ridge;
            try {
                l = Cholesky.lower(unit);
            } catch (IllegalArgumentException notPositive) {
                l = null;
            }
        }
        double[] w = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i] * scale[i];
            for (int j = 0; j < i; j++) s -= l[i][j] * w[j];
            w[i] = s / l[i][i];
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = w[i];
            for (int j = i + 1; j < n; j++) s -= l[j][i] * w[j];
            w[i] = s / l[i][i];
        }
        for (int i = 0; i < n; i++) w[i] *= scale[i];
        return new MarkovFbm(hurst, horizon, gammas, w);
    }

    /** Standard Brownian motion in this form (one component, γ = 0, ω = 1): the model that ignores the memory. */
    public static MarkovFbm brownian(double horizon) {
        return new MarkovFbm(0.5, horizon, new double[] {0}, new double[] {1});
    }

    public int components() {
        return gammas.length;
    }

    @Override public double[] gammas() { return gammas.clone(); }

    @Override public double[] weights() { return weights.clone(); }

    /** Readable in a notebook (a record's own toString would print the arrays' identities). */
    @Override
    public String toString() {
        return "MarkovFbm[H=" + hurst + ", T=" + horizon + ", gammas=" + Arrays.toString(gammas) + ", weights=" + Arrays.toString(weights) + "]";
    }

    /** {@code (1 − e^{−rate·t})/rate}, equal to t at rate 0: E[Y_i(t) Y_j(t)] for rate γ_i + γ_j. */
    private static double decayed(double rate, double t) {
        return rate == 0 ? t : -Math.expm1(-rate * t) / rate;
    }

    private static double[][] gram(double[] g, double horizon) {
        int n = g.length;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double r = g[i] + g[j];
                a[i][j] = (horizon - decayed(r, horizon)) / r;
            }
        return a;
    }

    private static double[] crossMoments(double hurst, double[] g, double horizon) {
        double a = hurst + 0.5;
        double[] b = new double[g.length];
        for (int k = 0; k < g.length; k++)
            b[k] = Math.pow(g[k], -a) * (horizon * GammaFunction.lowerRegularized(a, g[k] * horizon) - a / g[k] * GammaFunction.lowerRegularized(a + 1, g[k] * horizon));
        return b;
    }

    private static double brownianWeight(double[] w) {
        return Arrays.stream(w).sum();
    }

    /** {@code Var Σ_k ω_k Y_k(t) = Σ_ij ω_i ω_j (1 − e^{−(γ_i+γ_j)t})/(γ_i+γ_j)}: compare with {@link FractionalBrownian#variance}. */
    public double variance(double t) {
        if (!(t >= 0)) throw new IllegalArgumentException("time must be >= 0, got " + t);
        double v = 0;
        for (int i = 0; i < gammas.length; i++)
            for (int j = 0; j < gammas.length; j++) v += weights[i] * weights[j] * decayed(gammas[i] + gammas[j], t);
        return v;
    }

    /**
     * The paper's objective at these weights relative to the size of fBM on [0, T]:
     * {@code ∫_0^T E(B^H − Σ ω_k Y_k)² dt / ∫_0^T Var B^H dt}, with {@code ∫_0^T Var B^H = T^{2H+1}/((2H+1) 2H Γ(H+½)²)}.
     */
    public double relativeError() {
        for (double g : gammas) if (!(g > 0)) throw new IllegalStateException("the approximation error is defined for speeds > 0 only");
        double[][] a = gram(gammas, horizon);
        double[] b = crossMoments(hurst, gammas, horizon);
        double size = FractionalBrownian.variance(hurst, horizon) * horizon / (2 * hurst + 1), err = size;
        for (int i = 0; i < gammas.length; i++) {
            err -= 2 * weights[i] * b[i];
            for (int j = 0; j < gammas.length; j++) err += weights[i] * a[i][j] * weights[j];
        }
        return err / size;
    }

    /**
     * The Markov SDE of {@code dX = f(t, X) dt + σ dB^H} for {@code x0.length} independent paths at once: the state
     * is {@code [X_0..X_{M−1}, Y_{0,0}..Y_{0,K−1}, Y_{1,0}, …]} (M·(K+1) components, the Y's start at 0), the drift
     * {@code f} is evaluated on the M X's together (a vectorised drift, as {@link SdeSystem#additive}), and path p's
     * X and Y's are all driven by component p of {@code w} (an M-dimensional Brownian path on [t0, t1]). With
     * f = 0, σ = 1 and x0 = 0 the X's are samples of the approximate fBM itself.
     */
    public SdeProblem problem(OdeSystem drift, double sigma, double[] x0, BrownianPath w) {
        java.util.Objects.requireNonNull(drift, "drift");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("sigma must be finite and >= 0, got " + sigma);
        int m = x0.length, k = gammas.length;
        if (w.dim() != m) throw new IllegalArgumentException("the Brownian path has dim " + w.dim() + " but there are " + m + " paths");
        double brownian = sigma * brownianWeight(weights);
        SdeSystem system = new SdeSystem() {
            @Override
            public void drift(double t, double[] y, double[] out) {
                double[] x = Arrays.copyOf(y, m), f = new double[m];
                drift.eval(t, x, f);
                for (int p = 0; p < m; p++) {
                    double memory = 0;
                    for (int j = 0; j < k; j++) {
                        double yj = y[m + p * k + j];
                        memory += weights[j] * gammas[j] * yj;
                        out[m + p * k + j] = -gammas[j] * yj;
                    }
                    out[p] = f[p] - sigma * memory;
                }
            }

            @Override
            public void diffusion(double t, double[] y, double[] out) {
                Arrays.fill(out, 0, m, brownian);
                Arrays.fill(out, m, out.length, 1);
            }

            @Override
            public void diffusionDerivative(double t, double[] y, double[] out) {
                Arrays.fill(out, 0);
            }
        };
        return SdeProblem.of(system, w.t0(), w.t1(), Arrays.copyOf(x0, m * (k + 1)), new SharedNoise(w, m, k));
    }

    /** Path p's X and its K OU components all read component p of the underlying path. */
    private record SharedNoise(BrownianPath w, int paths, int k) implements BrownianPath {
        @Override public int dim() { return paths * (k + 1); }

        @Override public double t0() { return w.t0(); }

        @Override public double t1() { return w.t1(); }

        @Override
        public void value(double t, double[] out) {
            double[] v = new double[paths];
            w.value(t, v);
            System.arraycopy(v, 0, out, 0, paths);
            for (int p = 0; p < paths; p++) Arrays.fill(out, paths + p * k, paths + (p + 1) * k, v[p]);
        }
    }

    /**
     * The exact log-likelihood of one path {@code x_0, x_1, …} observed every {@code h} from t = 0 under the
     * Euler–Maruyama discretisation of the Markov SDE of {@code dX = f(X) dt + σ dB^H} (the Y's start at 0). The
     * path determines the driving increments: {@code ΔW_n = (x_{n+1} − x_n − (f(x_n) − σΣω_kγ_kY_k)h)/(σΣω_k)},
     * which then update the Y's, so the likelihood is the Gaussian density of those innovations. This is the
     * paper's ELBO in the limit of dense noise-free observations, where the posterior over W is a point mass
     * (the Girsanov term then measures exactly this drift mismatch).
     */
    public double logLikelihood(double[] path, double h, DoubleUnaryOperator drift, double sigma) {
        if (path.length < 2) throw new IllegalArgumentException("a path needs at least two observations, got " + path.length);
        if (!(h > 0) || !(sigma > 0)) throw new IllegalArgumentException("need h > 0 and sigma > 0, got h=" + h + ", sigma=" + sigma);
        int k = gammas.length;
        double scale = sigma * brownianWeight(weights), var = scale * scale * h, logNorm = -0.5 * Math.log(2 * Math.PI * var), ll = 0;
        double[] y = new double[k];
        for (int n = 0; n + 1 < path.length; n++) {
            double memory = 0;
            for (int j = 0; j < k; j++) memory += weights[j] * gammas[j] * y[j];
            double r = path[n + 1] - path[n] - (drift.applyAsDouble(path[n]) - sigma * memory) * h, dw = r / scale;
            ll += logNorm - r * r / (2 * var);
            for (int j = 0; j < k; j++) y[j] += -gammas[j] * y[j] * h + dw;
        }
        return ll;
    }

    /**
     * The maximum-likelihood parameter θ in [lo, hi] of a drift family {@code θ ↦ f_θ} from several observed paths
     * (the sum of their {@link #logLikelihood}s), by golden-section search to 1e-6 of the bracket (the likelihood
     * is assumed unimodal in θ there; for a drift linear in θ it is a concave parabola).
     */
    public double fitDrift(double[][] paths, double h, DoubleFunction<DoubleUnaryOperator> family, double sigma, double lo, double hi) {
        if (!(lo < hi)) throw new IllegalArgumentException("need lo < hi, got [" + lo + ", " + hi + "]");
        DoubleUnaryOperator negLl = theta -> {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while fitting the drift");
            }
            DoubleUnaryOperator f = family.apply(theta);
            return -Arrays.stream(paths).mapToDouble(p -> logLikelihood(p, h, f, sigma)).sum();
        };
        double ratio = (Math.sqrt(5) - 1) / 2, a = lo, b = hi, c = b - ratio * (b - a), d = a + ratio * (b - a);
        double fc = negLl.applyAsDouble(c), fd = negLl.applyAsDouble(d);
        while (b - a > 1e-6 * (hi - lo)) {
            if (fc < fd) {
                b = d;
                d = c;
                fd = fc;
                c = b - ratio * (b - a);
                fc = negLl.applyAsDouble(c);
            } else {
                a = c;
                c = d;
                fc = fd;
                d = a + ratio * (b - a);
                fd = negLl.applyAsDouble(d);
            }
        }
        return (a + b) / 2;
    }
}
