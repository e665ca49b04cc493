package org.reprolab.diffusion;

/**
 * EDM's Heun sampler with churn (Karras et al. 2022, Algorithm 2; {@code NVlabs/edm generate.py edm_sampler},
 * k-diffusion {@code sample_heun}) on {@code dy/dσ̃ = ε̂(α y, t(σ̃))}, {@code y = x/α}; the drift
 * {@code (ŷ − D(ŷ; σ̂))/σ̂} of the paper is computed as ε̂ directly.
 */
final class EdmSampler {
    private EdmSampler() {}

    static double[] run(Run r, double[] x, double[] ts, Sampler.EdmHeun p, int eulerTail) {
        NoiseSchedule sc = r.s;
        int steps = ts.length - 1;
        double[] y = Run.lin(1 / r.alpha(ts[0]), x, 0, x);
        double gammaMax = Math.min(p.churn() / steps, Math.sqrt(2) - 1);
        for (int i = 0; i < steps; i++) {
            double sig = sc.sigmaTilde(ts[i]), sigNext = sc.sigmaTilde(ts[i + 1]);
            double gamma = sig >= p.sMin() && sig <= p.sMax() ? gammaMax : 0;
            double sigHat = sig * (1 + gamma), tHat = ts[i];
            double[] yHat = y;
            if (gamma > 0) {
                tHat = sc.tOfSigmaTilde(sigHat);
                yHat = Run.lin(1, y, Math.sqrt(sigHat * sigHat - sig * sig) * p.sNoise(), r.normal(i));
            }
            double[] d = r.eps(Run.lin(r.alpha(tHat), yHat, 0, yHat), tHat);
            double dt = sigNext - sigHat;
            double[] yn = Run.lin(1, yHat, dt, d);
            if (i < steps - eulerTail) {
                double[] d2 = r.eps(Run.lin(r.alpha(ts[i + 1]), yn, 0, yn), ts[i + 1]);
                yn = Run.lin(1, yHat, 0.5 * dt, d, 0.5 * dt, d2);
            }
            y = yn;
        }
        return Run.lin(r.alpha(ts[steps]), y, 0, y);
    }
}
