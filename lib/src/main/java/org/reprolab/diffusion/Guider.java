package org.reprolab.diffusion;

/**
 * A guidance method as a value: its scale and knobs are record components, so a comparison can name it, sweep
 * its scale ({@code w}) and build a fresh guided model for every sampling run ({@link #guide}); APG's momentum
 * buffer lives in the model it returns, so a fresh model per run is what the method needs. The formulas are
 * {@link Guidance#cfg} and {@link Guidance#apg}.
 */
public sealed interface Guider {

    /** The guided model for a conditional and an unconditional model of the same schedule and prediction type. */
    DiffusionModel guide(DiffusionModel cond, DiffusionModel uncond);

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
}
