package org.reprolab.diffusion;

/**
 * A Gaussian noise process {@code x_t = α_t x₀ + σ_t ε} in continuous time: the marginal coefficients, the
 * half log-SNR {@code λ_t = log(α_t/σ_t)} and its inverse (what logSNR grids and exponential integrators
 * need), and the derivatives that give the SDE {@code dx = f(t)x dt + g(t) dW} with {@code f = d log α/dt},
 * {@code g² = dσ²/dt − 2fσ² = −2σ² dλ/dt} (Kingma et al. 2021, "Variational Diffusion Models", eq. 21ff;
 * Song et al. 2021, "Score-Based Generative Modeling through SDEs", official code
 * {@code yang-song/score_sde/sde_lib.py}; Lu et al. 2022, DPM-Solver, {@code NoiseScheduleVP} in
 * {@code LuChengTHU/dpm-solver/dpm_solver_pytorch.py}).
 *
 * <p>Time runs from {@link #tStart()} (noise) down to {@link #tEnd()} (data; the default end of sampling).
 */
public sealed interface NoiseSchedule {

    /** {@code log α_t}. */
    double logAlpha(double t);

    /** {@code σ_t}. */
    double sigma(double t);

    /** {@code λ_t = log α_t − log σ_t}. */
    default double lambda(double t) {
        return logAlpha(t) - Math.log(sigma(t));
    }

    /** The time with {@code λ_t = lambda}. */
    double tOfLambda(double lambda);

    /** {@code f(t) = d log α_t / dt}. */
    double dLogAlpha(double t);

    /** {@code dλ_t / dt} (negative: the SNR falls with t). */
    double dLambda(double t);

    /** Where sampling starts (the prior end). */
    double tStart();

    /** Where sampling ends by default (the data end, before any denoise-to-zero). */
    double tEnd();

    /** Standard deviation of the prior {@code x_T = priorStd·z}: 1 for VP, {@code σ_max} for VE/EDM. */
    double priorStd();

    default double alpha(double t) {
        return Math.exp(logAlpha(t));
    }

    /** {@code g(t)²} of the forward SDE. */
    default double g2(double t) {
        double s = sigma(t);
        return -2 * s * s * dLambda(t);
    }

    /** Karras' {@code σ̃ = σ/α = e^{−λ}}. */
    default double sigmaTilde(double t) {
        return Math.exp(-lambda(t));
    }

    /** The time with {@code σ_t/α_t = sigmaTilde}. */
    default double tOfSigmaTilde(double sigmaTilde) {
        return tOfLambda(-Math.log(sigmaTilde));
    }

    // ---- factories ----

    /** VP with the linear β(t) of score_sde/DDPM: β₀ = 0.1, β₁ = 20, t ∈ [10⁻³, 1]. */
    static VpLinear vpLinear() {
        return new VpLinear(0.1, 20, 1e-3);
    }

    /** VP cosine (Nichol & Dhariwal 2021) as in dpm-solver: s = 0.008, T = 0.9946, end 10⁻³. */
    static VpCosine vpCosine() {
        return new VpCosine(0.008, 0.9946, 1e-3);
    }

    /** VE (SMLD) with σ(t) = σ_min(σ_max/σ_min)^t, score_sde CIFAR-10: 0.01, 50, end 10⁻⁵. */
    static Ve ve() {
        return new Ve(0.01, 50, 1e-5);
    }

    /** The linear interpolant of rectified flow / flow matching: α = 1 − t, σ = t, t from 0.999 down to 10⁻³. */
    static RectifiedFlow rectifiedFlow() {
        return new RectifiedFlow(0.999, 1e-3);
    }

    /** EDM (Karras et al. 2022): α = 1, σ(t) = t, t from 80 down to 0.002. */
    static Edm edm() {
        return new Edm(0.002, 80);
    }

    /**
     * Variance preserving, linear β: {@code log α_t = −¼t²(β₁−β₀) − ½tβ₀}, {@code σ_t = √(1−α_t²)}; inverse
     * {@code t = 2L/(β₀+√(β₀²+2(β₁−β₀)L))} with {@code L = log(1+e^{−2λ})} (dpm-solver {@code inverse_lambda}).
     */
    record VpLinear(double beta0, double beta1, double tEnd) implements NoiseSchedule {
        public VpLinear {
            if (!(beta0 > 0) || !(beta1 > beta0)) throw new IllegalArgumentException("VP needs 0 < beta0 < beta1, got " + beta0 + ", " + beta1);
            if (!(tEnd > 0 && tEnd < 1)) throw new IllegalArgumentException("VP tEnd must be in (0, 1), got " + tEnd);
        }
        public double logAlpha(double t) { return -0.25 * t * t * (beta1 - beta0) - 0.5 * t * beta0; }
        public double sigma(double t) { return Math.sqrt(-Math.expm1(2 * logAlpha(t))); }
        public double lambda(double t) { double la = logAlpha(t); return la - 0.5 * Math.log(-Math.expm1(2 * la)); }
        public double tOfLambda(double lambda) {
            double l = softplus(-2 * lambda);
            return 2 * l / (beta0 + Math.sqrt(beta0 * beta0 + 2 * (beta1 - beta0) * l));
        }
        public double dLogAlpha(double t) { return -0.5 * (beta0 + t * (beta1 - beta0)); }
        public double dLambda(double t) { return dLogAlpha(t) / -Math.expm1(2 * logAlpha(t)); }
        public double tStart() { return 1; }
        public double priorStd() { return 1; }
    }

    /**
     * Variance preserving, cosine (iDDPM) in continuous time as in dpm-solver:
     * {@code log α_t = log cos(π/2·(t+s)/(1+s)) − log cos(π/2·s/(1+s))}, t ∈ [tEnd, tMax] (tMax = 0.9946 keeps λ finite).
     */
    record VpCosine(double s, double tMax, double tEnd) implements NoiseSchedule {
        public VpCosine {
            if (!(s > 0) || !(tMax > tEnd) || !(tMax < 1) || !(tEnd > 0)) throw new IllegalArgumentException("VP cosine needs s > 0, 0 < tEnd < tMax < 1");
        }
        private double f(double t) { return Math.log(Math.cos((t + s) / (1 + s) * Math.PI / 2)); }
        public double logAlpha(double t) { return f(t) - f(0); }
        public double sigma(double t) { return Math.sqrt(-Math.expm1(2 * logAlpha(t))); }
        public double lambda(double t) { double la = logAlpha(t); return la - 0.5 * Math.log(-Math.expm1(2 * la)); }
        public double tOfLambda(double lambda) {
            double logAlpha = -0.5 * softplus(-2 * lambda);
            return 2 * (1 + s) / Math.PI * Math.acos(Math.exp(logAlpha + f(0))) - s;
        }
        public double dLogAlpha(double t) { return -Math.tan((t + s) / (1 + s) * Math.PI / 2) * Math.PI / (2 * (1 + s)); }
        public double dLambda(double t) { return dLogAlpha(t) / -Math.expm1(2 * logAlpha(t)); }
        public double tStart() { return tMax; }
        public double priorStd() { return 1; }
    }

    /** Variance exploding: α = 1, {@code σ(t) = σ_min(σ_max/σ_min)^t}, t ∈ [tEnd, 1] (score_sde {@code VESDE}). */
    record Ve(double sigmaMin, double sigmaMax, double tEnd) implements NoiseSchedule {
        public Ve {
            if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin)) throw new IllegalArgumentException("VE needs 0 < sigmaMin < sigmaMax");
        }
        public double logAlpha(double t) { return 0; }
        public double sigma(double t) { return sigmaMin * Math.exp(t * Math.log(sigmaMax / sigmaMin)); }
        public double lambda(double t) { return -Math.log(sigmaMin) - t * Math.log(sigmaMax / sigmaMin); }
        public double tOfLambda(double lambda) { return (-lambda - Math.log(sigmaMin)) / Math.log(sigmaMax / sigmaMin); }
        public double dLogAlpha(double t) { return 0; }
        public double dLambda(double t) { return -Math.log(sigmaMax / sigmaMin); }
        public double tStart() { return 1; }
        public double priorStd() { return sigma(1); }
    }

    /** EDM (Karras et al. 2022, {@code NVlabs/edm}): α = 1, σ(t) = t; "time" is the noise level σ ∈ [σ_min, σ_max]. */
    record Edm(double sigmaMin, double sigmaMax) implements NoiseSchedule {
        public Edm {
            if (!(sigmaMin > 0) || !(sigmaMax > sigmaMin)) throw new IllegalArgumentException("EDM needs 0 < sigmaMin < sigmaMax");
        }
        public double logAlpha(double t) { return 0; }
        public double sigma(double t) { return t; }
        public double lambda(double t) { return -Math.log(t); }
        public double tOfLambda(double lambda) { return Math.exp(-lambda); }
        public double dLogAlpha(double t) { return 0; }
        public double dLambda(double t) { return -1 / t; }
        public double tStart() { return sigmaMax; }
        public double tEnd() { return sigmaMin; }
        public double priorStd() { return sigmaMax; }
    }

    /**
     * The linear (one-sided) interpolant {@code x_t = (1 − t)x₀ + t ε} of rectified flow (Liu, Gong &amp; Liu 2023,
     * "Flow Straight and Fast"), conditional flow matching with the optimal-transport path (Lipman et al. 2023,
     * σ_min = 0) and the linear stochastic interpolant with a Gaussian base (Albergo &amp; Vanden-Eijnden 2023):
     * α = 1 − t, σ = t, {@code λ = log((1−t)/t)}, {@code t(λ) = 1/(1 + e^λ)}. Its conditional velocity
     * {@code dx_t/dt = ε − x₀} is {@link Prediction#FLOW}. λ is infinite at t = 1, so sampling starts at
     * {@code tStart < 1} from {@code x = σ(tStart)·z} (the α·x₀ part, 10⁻³ of the data, is dropped as VP drops α(1)).
     */
    record RectifiedFlow(double tStart, double tEnd) implements NoiseSchedule {
        public RectifiedFlow {
            if (!(tEnd > 0 && tStart > tEnd && tStart < 1)) throw new IllegalArgumentException("rectified flow needs 0 < tEnd < tStart < 1, got " + tEnd + ", " + tStart);
        }
        public double logAlpha(double t) { return Math.log1p(-t); }
        public double alpha(double t) { return 1 - t; }
        public double sigma(double t) { return t; }
        public double lambda(double t) { return Math.log1p(-t) - Math.log(t); }
        public double tOfLambda(double lambda) { return lambda > 0 ? Math.exp(-lambda) / (1 + Math.exp(-lambda)) : 1 / (1 + Math.exp(lambda)); }
        public double dLogAlpha(double t) { return -1 / (1 - t); }
        public double dLambda(double t) { return -1 / (1 - t) - 1 / t; }
        public double priorStd() { return tStart; }
    }

    /** {@code log(1 + e^x)} without overflow. */
    private static double softplus(double x) {
        return x > 30 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
    }
}
