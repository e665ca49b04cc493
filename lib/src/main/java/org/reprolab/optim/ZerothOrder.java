package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.POSITIVE;

import java.util.List;
import java.util.function.Supplier;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The zeroth-order (SPSA) gradient estimate of MeZO: Malladi et al., "Fine-Tuning Language Models with
 * Just Forward Passes", NeurIPS 2023 (princeton-nlp/MeZO); kept by ZO2, Wang et al., "ZO2: Scalable
 * Zeroth-Order Fine-Tuning for Extremely Large Language Models with Limited GPU Memory", 2025
 * (liangyuwang/zo2). Per step, with a fresh key: draw z ~ N(0, I) from the key, tensor by tensor;
 * evaluate {@code L+ = L(θ + εz)} and {@code L− = L(θ − εz)} (perturbing the parameters in place:
 * +εz, −2εz, then +εz to restore); the projected gradient is {@code ĝ = (L+ − L−) / 2ε}, and the
 * gradient estimate is {@code ĝ z}, with z <b>regenerated</b> from the key rather than stored. No
 * backward pass, no activations kept: memory is that of inference. Since {@code E[z zᵀ] = I},
 * {@code E[ĝ z] = ∇L} up to O(ε²).
 *
 * <p>As a {@link Transform} it is the identity on the update: a marker that tells a training loop
 * ({@code Lab.train}) to feed the chain this estimate instead of a backpropagated gradient.
 * {@code Optimizers.mezo(lr, eps)} is it followed by SGD, MeZO-SGD.
 *
 * <p>Tensor {@code i} of the parameter list draws z from {@code key.foldIn(i)}'s normal Philox
 * stream, from offset 0, in f64: the same key gives the same z on every call.
 *
 * @param eps the perturbation size ε (MeZO's default 1e-3)
 */
public record ZerothOrder(@Range(POSITIVE) double eps) implements Marker {

    public ZerothOrder {
        Hyper.check("zeroth_order", ZerothOrder.class, eps);
    }

    @Override
    public String name() {
        return "zeroth_order";
    }

    /** One step's estimate: the projected gradient ĝ and the mean of the two perturbed losses (the loss to O(ε²)). */
    public record Estimate(double projectedGradient, double loss) {}

    /** z for tensor {@code i} of shape like {@code p}, from {@code key.foldIn(i)}. */
    public static Tensor direction(Tensor p, int i, RngKey key) {
        double[] z = new double[p.numel()];
        Philox.fill(key.foldIn(i), true, 0, z, 0, z.length);
        return Tensor.of(z, p.shape()).to(p.dtype()).to(p.device());
    }

    /** θ ← θ + scale · z, in place, z regenerated from {@code key}. */
    public static void perturb(List<Tensor> params, double scale, RngKey key) {
        try (var off = Autodiff.noGrad()) {
            for (int i = 0; i < params.size(); i++) {
                Tensor p = params.get(i);
                p.assign(p.add(direction(p, i, key).mul(scale)));
            }
        }
    }

    /** The SPSA estimate of {@code loss} (a forward pass on the current parameters) at {@code params}, leaving them as they were (to rounding). */
    public static Estimate estimate(Supplier<Tensor> loss, List<Tensor> params, double eps, RngKey key) {
        if (!(eps > 0)) throw new IllegalArgumentException("zeroth_order: eps must be > 0, got " + eps);
        try (var off = Autodiff.noGrad()) {
            perturb(params, eps, key);
            double plus = loss.get().item();
            perturb(params, -2 * eps, key);
            double minus = loss.get().item();
            perturb(params, eps, key);
            return new Estimate((plus - minus) / (2 * eps), (plus + minus) / 2);
        }
    }

    /** Writes the gradient estimate {@code projectedGradient · z} into each parameter's grad, z regenerated from {@code key}. */
    public static void setGradient(List<Tensor> params, double projectedGradient, RngKey key) {
        for (int i = 0; i < params.size(); i++) {
            Tensor p = params.get(i);
            p.setGrad(direction(p, i, key).mul(projectedGradient));
        }
    }
}
