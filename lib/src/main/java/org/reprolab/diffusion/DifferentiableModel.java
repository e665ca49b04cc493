package org.reprolab.diffusion;

/**
 * A {@link DiffusionModel} that can also differentiate its denoiser: the vector–Jacobian product
 * {@code v ↦ (∂x̂₀/∂x_t)ᵀ v}. Diffusion posterior sampling (DPS; Chung et al., ICLR 2023) steers every step by
 * {@code ∇_{x_t} ‖y − A x̂₀(x_t)‖}, a back-propagation through the denoiser; RED-diff and DDS
 * ({@link InverseSolver}) exist to avoid exactly this product, so it is a capability of the model, not of every
 * model. A {@link GaussianMixture#model mixture} gives it in closed form (Tweedie's second moment:
 * {@code ∂x̂₀/∂x = (α/σ²) Cov[x₀ | x_t]}, symmetric).
 */
public interface DifferentiableModel extends DiffusionModel {

    /** Writes {@code (∂x̂₀/∂x)ᵀ v} at {@code (x, t)} into {@code out}, row by row ({@code v} and {@code out} have {@code x.n()·x.dim()} values). */
    void denoiserVjp(Batch x, double t, double[] v, double[] out);

    /** The vector–Jacobian product of a denoiser as a function. */
    @FunctionalInterface
    interface Vjp {
        void apply(Batch x, double t, double[] v, double[] out);
    }

    /** {@code model} with the vector–Jacobian product {@code vjp} of its denoiser. */
    static DifferentiableModel of(DiffusionModel model, Vjp vjp) {
        return new WithVjp(model, vjp);
    }

    record WithVjp(DiffusionModel model, Vjp vjp) implements DifferentiableModel {
        public NoiseSchedule schedule() { return model.schedule(); }
        public Prediction prediction() { return model.prediction(); }
        public void eval(Batch x, double t, double[] out) { model.eval(x, t, out); }
        public void denoiserVjp(Batch x, double t, double[] v, double[] out) { vjp.apply(x, t, v, out); }
    }
}
