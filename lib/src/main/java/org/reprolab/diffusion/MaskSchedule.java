package org.reprolab.diffusion;

/**
 * The masking schedule of an absorbing-state (masked) discrete diffusion: {@code α_t}, the probability that a token
 * is still unmasked at time t, with {@code α_0 = 1} and {@code α_1 = 0} (Sahoo et al. 2024, MDLM; Shi et al. 2024,
 * MD4). Zheng et al. (2024) show that neither training nor sampling depends on it beyond a change of time:
 * the first-hitting sampler's output law is the same for every schedule.
 */
public sealed interface MaskSchedule {

    /** The probability that a token is unmasked at time {@code t ∈ [0, 1]}. */
    double alpha(double t);

    /** The time at which {@link #alpha} equals {@code alpha}: the inverse of the schedule. */
    double time(double alpha);

    /**
     * The first time {@code s < t} at which one of {@code masked} still-masked tokens is unmasked, given a uniform
     * {@code u}: every masked token stays masked down to s with probability {@code (1 − α_s)/(1 − α_t)},
     * independently, so {@code 1 − α_s = (1 − α_t)·u^{1/masked}} (Zheng et al. 2024, first-hitting sampler;
     * {@code s = t·u^{1/n}} for the linear schedule).
     */
    default double firstHit(double t, int masked, double u) {
        if (masked < 1) throw new IllegalArgumentException("first hitting time needs at least one masked token, got " + masked);
        return time(1 - (1 - alpha(t)) * Math.pow(u, 1.0 / masked));
    }

    /** {@code α_t = 1 − t} (MDLM's log-linear noise, the usual choice). */
    record Linear() implements MaskSchedule {
        public double alpha(double t) {
            return 1 - t;
        }

        public double time(double alpha) {
            return 1 - alpha;
        }

        @Override
        public String toString() {
            return "linear";
        }
    }

    /** {@code α_t = 1 − cos(π(1 − t)/2) = 1 − sin(πt/2)} (the cosine schedule of MD4 / MaskGIT), exactly 1 at t = 0 and 0 at t = 1. */
    record Cosine() implements MaskSchedule {
        public double alpha(double t) {
            return 1 - Math.sin(Math.PI * t / 2);
        }

        public double time(double alpha) {
            return 2 / Math.PI * Math.asin(Math.min(1, Math.max(-1, 1 - alpha)));
        }

        @Override
        public String toString() {
            return "cosine";
        }
    }

    static MaskSchedule linear() {
        return new Linear();
    }

    static MaskSchedule cosine() {
        return new Cosine();
    }
}
