package org.reprolab.diffusion;

/**
 * A guidance method as a value: its scale and knobs are record components, so a comparison can name it, sweep
 * its scale ({@code w}) and build a fresh guided model for every sampling run ({@link #guide}); APG's momentum
 * buffer lives in the model it returns, so a fresh model per run is what the method needs. The formulas are
 * {@link Guidance#cfg}, {@link Guidance#apg} and {@link Guidance#adaptive}.
 */
public sealed interface Guider {

    /** The guided model for a conditional and an unconditional model of the same schedule and prediction type. */
    DiffusionModel guide(DiffusionModel cond, DiffusionModel uncond);

    /**
     * The guidance whose exact (infinitely fine) sampling path this one approximates, the target its endpoint error
     * is measured against: CFG of the same scale for adaptive guidance, which only drops evaluations of CFG;
     * the method itself otherwise.
     */
    default Guider target() {
        return this;
    }

    /**
     * Adaptive guidance (Castillo et al. 2023) with the paper's criterion: CFG of scale {@code w} until the cosine of
     * the conditional and unconditional noise predictions of a point crosses {@code threshold} (γ̄, e.g. 0.99–0.9999),
     * then the conditional prediction alone for that point; see {@link AdaptiveGuidance}.
     */
    static Guider adaptive(double w, double threshold) {
        return new Adaptive(w, threshold, Prediction.NOISE);
    }

    /** The same with the cosine measured in prediction space {@code space} (e.g. {@link Prediction#DATA}, the denoised x̂₀). */
    static Guider adaptive(double w, double threshold, Prediction space) {
        return new Adaptive(w, threshold, space);
    }

    /** Classifier-free guidance of scale {@code w} (Ho &amp; Salimans 2022): {@code p_u + w(p_c − p_u)}. */
    static Guider cfg(double w) {
        return new Cfg(w);
    }

    /** Adaptive projected guidance (Sadat et al. 2024), diffusers form {@code D_u + w·update}; see {@link Guidance#apg}. */
    static Guider apg(double w, double eta, double normThreshold, double momentum) {
        return new Apg(w, eta, normThreshold, momentum, false);
    }

    record Cfg(double w) implements Guider {
        public DiffusionModel guide(DiffusionModel cond, DiffusionModel uncond) {
            return Guidance.cfg(cond, uncond, w);
        }
    }

    /**
     * @param eta           weight of the parallel component (0 drops it)
     * @param normThreshold r of the rescaling; {@code <= 0} or infinite disables it
     * @param momentum      β of the running average (0 disables it; negative is the paper's reverse momentum)
     * @param original      {@code D_c + (w−1)·update} instead of {@code D_u + w·update}
     */
    record Apg(double w, double eta, double normThreshold, double momentum, boolean original) implements Guider {
        public DiffusionModel guide(DiffusionModel cond, DiffusionModel uncond) {
            return Guidance.apg(cond, uncond, w, eta, normThreshold, momentum, original);
        }
    }

    /**
     * @param threshold γ̄: a point switches to the conditional prediction once its cosine crosses it from below ({@code 1}: never)
     * @param space     the prediction space the cosine is measured in (the paper: {@link Prediction#NOISE})
     */
    record Adaptive(double w, double threshold, Prediction space) implements Guider {
        public Adaptive {
            if (!(threshold >= -1 && threshold <= 1)) throw new IllegalArgumentException("adaptive guidance: the cosine threshold must be in [-1, 1], got " + threshold);
            java.util.Objects.requireNonNull(space, "prediction space of the cosine");
        }

        public AdaptiveGuidance guide(DiffusionModel cond, DiffusionModel uncond) {
            return Guidance.adaptive(cond, uncond, w, threshold, space);
        }

        @Override
        public Guider target() {
            return new Cfg(w);
        }
    }
}
