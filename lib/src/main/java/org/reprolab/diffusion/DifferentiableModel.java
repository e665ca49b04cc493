package org.reprolab.diffusion;

import java.util.function.BiFunction;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

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

    /**
     * A tensor function {@code (x [n, dim], t) -> prediction} (a network) evaluated without gradients, whose denoiser
     * {@code x̂₀ = c_x x + c_p f(x, t)} (every {@link Prediction} converts to x̂₀ linearly in x and the prediction) is
     * differentiated by reverse-mode autodiff ({@link Autodiff#vjp}; parameter gradients are left untouched).
     */
    static DifferentiableModel ofTensor(NoiseSchedule schedule, Prediction prediction, BiFunction<Tensor, Double, Tensor> f) {
        DiffusionModel plain = DiffusionModel.ofTensor(schedule, prediction, (x, t) -> {
            try (Autodiff.Scope _ = Autodiff.noGrad()) {
                return f.apply(x, t);
            }
        });
        return of(plain, (x, t, v, out) -> {
            if (v.length != x.data().length || out.length != v.length) throw new IllegalArgumentException("denoiserVjp: v and out need " + x.data().length + " values");
            double[] c = new double[2];   // x̂₀ = c[0]·x + c[1]·prediction, read off the linear conversion
            prediction.toData(new double[] {1, 0}, new double[] {0, 1}, schedule.alpha(t), schedule.sigma(t), c);
            Tensor g = Autodiff.vjp(xt -> f.apply(xt, t).mul(c[1]).add(xt.mul(c[0])), x.toTensor(), Tensor.of(v, x.n(), x.dim())).vjp();
            System.arraycopy(g.toDoubleArray(), 0, out, 0, out.length);
        });
    }

    record WithVjp(DiffusionModel model, Vjp vjp) implements DifferentiableModel {
        public NoiseSchedule schedule() { return model.schedule(); }
        public Prediction prediction() { return model.prediction(); }
        public void eval(Batch x, double t, double[] out) { model.eval(x, t, out); }
        public void denoiserVjp(Batch x, double t, double[] v, double[] out) { vjp.apply(x, t, v, out); }
        public java.util.Optional<PointwiseModel> pointwise() { return model.pointwise(); }
    }
}
