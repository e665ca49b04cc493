package org.reprolab.diffusion;

/**
 * What a network predicts at {@code x_t = α x₀ + σ ε}: the noise ε, the data x₀, the velocity
 * {@code v = α ε − σ x₀} (Salimans &amp; Ho 2022, "Progressive Distillation", §4) or the score
 * {@code ∇ log p_t(x) = −ε/σ}. Conversions are exact for any (α, σ), not only α² + σ² = 1:
 * {@code x₀ = (x − σε)/α}, {@code ε = (x − αx₀)/σ}, and from v, {@code x₀ = (αx − σv)/(α²+σ²)},
 * {@code ε = (σx + αv)/(α²+σ²)} (dpm-solver {@code model_wrapper}, diffusers {@code prediction_type}).
 * {@link #FLOW} is the flow-matching target {@code u = ε − x₀}, the velocity {@code dx_t/dt} of the linear interpolant
 * ({@link NoiseSchedule.RectifiedFlow}; diffusers {@code FlowMatchEulerDiscreteScheduler}); it converts exactly
 * under any (α, σ): {@code x₀ = (x − σu)/(α+σ)}, {@code ε = (x + αu)/(α+σ)}.
 */
public enum Prediction {
    NOISE, DATA, VELOCITY, SCORE, FLOW;

    /** Writes ε into {@code out} from this prediction {@code p} at {@code x} (out may alias p). */
    public void toNoise(double[] x, double[] p, double alpha, double sigma, double[] out) {
        int m = x.length;
        switch (this) {
            case NOISE -> { if (out != p) System.arraycopy(p, 0, out, 0, m); }
            case DATA -> { double ia = 1 / sigma; for (int i = 0; i < m; i++) out[i] = (x[i] - alpha * p[i]) * ia; }
            case VELOCITY -> { double r = 1 / (alpha * alpha + sigma * sigma); for (int i = 0; i < m; i++) out[i] = (sigma * x[i] + alpha * p[i]) * r; }
            case SCORE -> { for (int i = 0; i < m; i++) out[i] = -sigma * p[i]; }
            case FLOW -> { double r = 1 / (alpha + sigma); for (int i = 0; i < m; i++) out[i] = (x[i] + alpha * p[i]) * r; }
        }
    }

    /** Writes x₀ into {@code out} from this prediction {@code p} at {@code x} (out may alias p). */
    public void toData(double[] x, double[] p, double alpha, double sigma, double[] out) {
        int m = x.length;
        switch (this) {
            case NOISE -> { double ia = 1 / alpha; for (int i = 0; i < m; i++) out[i] = (x[i] - sigma * p[i]) * ia; }
            case DATA -> { if (out != p) System.arraycopy(p, 0, out, 0, m); }
            case VELOCITY -> { double r = 1 / (alpha * alpha + sigma * sigma); for (int i = 0; i < m; i++) out[i] = (alpha * x[i] - sigma * p[i]) * r; }
            case SCORE -> { double ia = 1 / alpha, s2 = sigma * sigma; for (int i = 0; i < m; i++) out[i] = (x[i] + s2 * p[i]) * ia; }
            case FLOW -> { double r = 1 / (alpha + sigma); for (int i = 0; i < m; i++) out[i] = (x[i] - sigma * p[i]) * r; }
        }
    }

    /** This prediction from ε and x₀ (consistent pair) into {@code out}. */
    public void fromNoiseAndData(double[] eps, double[] x0, double alpha, double sigma, double[] out) {
        int m = eps.length;
        switch (this) {
            case NOISE -> System.arraycopy(eps, 0, out, 0, m);
            case DATA -> System.arraycopy(x0, 0, out, 0, m);
            case VELOCITY -> { for (int i = 0; i < m; i++) out[i] = alpha * eps[i] - sigma * x0[i]; }
            case SCORE -> { double is = -1 / sigma; for (int i = 0; i < m; i++) out[i] = eps[i] * is; }
            case FLOW -> { for (int i = 0; i < m; i++) out[i] = eps[i] - x0[i]; }
        }
    }

    /** Converts prediction {@code p} of this type at {@code x} to type {@code to}. */
    public double[] convert(Prediction to, double[] x, double[] p, double alpha, double sigma) {
        double[] eps = new double[x.length], x0 = new double[x.length], out = new double[x.length];
        toNoise(x, p, alpha, sigma, eps);
        toData(x, p, alpha, sigma, x0);
        to.fromNoiseAndData(eps, x0, alpha, sigma, out);
        return out;
    }
}
