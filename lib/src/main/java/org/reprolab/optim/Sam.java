package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.DoubleSupplier;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Sharpness-aware minimisation (Foret, Kleiner, Mobahi, Neyshabur, "Sharpness-Aware Minimization for
 * Efficiently Improving Generalization", ICLR 2021; adaptive variant ASAM: Kwon, Kim, Park, Choi,
 * ICML 2021; code davda54/sam {@code sam.py}): the base optimizer steps with the gradient taken at
 * the perturbed point {@code w + e}, {@code e = rho g / (||g|| + 1e-12)} with {@code g} the gradient at
 * {@code w} (adaptive: {@code e = rho w^2 g / (||w g|| + 1e-12)}), the norm over all parameters that
 * have a gradient as the code's norm of per-tensor norms.
 *
 * <p>It needs a second gradient per step, so it steps through a closure as torch's
 * {@code optimizer.step(closure)}: {@code lossAndGrad} evaluates the loss at the current parameters,
 * back-propagates into their gradients and returns the loss. {@link #step} clears the gradients,
 * calls it at {@code w}, moves to {@code w + e}, clears them and calls it again, restores {@code w}
 * exactly (as the code's {@code old_p}) and lets the base optimizer step; it returns the loss at
 * {@code w}. SAM keeps no state of its own, so saving the base optimizer's state resumes it.
 *
 * <pre>{@code
 * Sam sam = Optimizers.sam(0.05);
 * Optimizer base = Optimizer.of(model.parameters(), Optimizers.sgd(0.1, 0.9));
 * for (...) sam.step(base, model.parameters(), () -> {
 *     Tensor loss = Losses.crossEntropy(model.forward(x), y);
 *     loss.backward();
 *     return loss.item();
 * });
 * }</pre>
 */
public record Sam(@Range(NON_NEGATIVE) double rho, boolean adaptive) {

    public Sam {
        Hyper.check("SAM", Sam.class, rho, adaptive);
    }

    /** One SAM step of {@code base} over {@code params} (the tensors {@code base} was built over); returns the loss at {@code w}. */
    public double step(Optimizer base, Map<String, Tensor> params, DoubleSupplier lossAndGrad) {
        if (base == null || params == null || lossAndGrad == null) throw new IllegalArgumentException("SAM step: null argument");
        params.values().forEach(Tensor::zeroGrad);
        double loss = lossAndGrad.getAsDouble();
        Map<Tensor, Tensor> old = new LinkedHashMap<>();
        try (var _ = Autodiff.noGrad()) {
            List<Tensor> stepped = new ArrayList<>();
            double sq = 0;
            for (Tensor p : params.values()) {
                if (p.grad() == null) continue;
                Tensor g = adaptive ? p.abs().mul(p.grad()) : p.grad();
                double n = Math.sqrt(g.square().sum().item());
                sq += n * n;
                stepped.add(p);
            }
            double scale = rho / (Math.sqrt(sq) + 1e-12);
            for (Tensor p : stepped) {
                Tensor e = (adaptive ? p.square().mul(p.grad()) : p.grad()).mul(scale);
                old.put(p, p.copy());
                p.assign(p.add(e));
            }
        }
        try {
            params.values().forEach(Tensor::zeroGrad);
            lossAndGrad.getAsDouble();
        } finally {
            try (var _ = Autodiff.noGrad()) {
                old.forEach(Tensor::assign);
            }
        }
        base.step();
        return loss;
    }
}
