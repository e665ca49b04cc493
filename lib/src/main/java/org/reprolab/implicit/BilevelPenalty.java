package org.reprolab.implicit;

import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The fully first-order penalty method for bilevel optimisation (Kwon, Kwon, Wright and Nowak, "On Penalty
 * Methods for Nonconvex Bilevel Optimization and First-Order Stochastic Approximation", ICLR 2024; no official
 * code), for {@code min_x ψ(x) = f(x, y*(x))}, {@code y*(x) ∈ argmin_y g(x, y)}, the lower level possibly
 * nonconvex (a proximal error bound is enough). It minimises the penalty function
 *
 * <pre>  ψ_σ(x) = (min_y [σf(x, y) + g(x, y)] − min_z g(x, z)) / σ,</pre>
 *
 * which is {@code O(σ)}-close to ψ in value and gradient (the paper's Theorems 3.1–3.2), and whose gradient
 * needs no second derivative (Danskin: both minima are differentiated at their minimisers):
 *
 * <pre>  ∇ψ_σ(x) = ∇ₓf(x, y_σ) + (∇ₓg(x, y_σ) − ∇ₓg(x, z*)) / σ,   y_σ = argmin_y σf + g,  z* = argmin_z g.</pre>
 *
 * <p>Each iteration k (the deterministic double-loop form of the paper's algorithm): the penalty
 * {@code σ_k = max(σ_min, σ₀ (k+1)^(−decay))}; {@code innerSteps} warm-started gradient steps of length
 * {@code step} on {@code z ↦ g(x, z)} and on {@code y ↦ σ_k f(x, y) + g(x, y)}; then
 * {@code x ← x − α ∇ψ_{σ_k}(x)} with the estimate above. Written with σ rather than the multiplier
 * {@code λ = 1/σ}, the y-objective's smoothness is {@code σL_f + L_g}, so one lower step (at most
 * {@code 1/(σ₀L_f + L_g)}) serves every σ ≤ σ₀; the {@code 1/σ}-scaled difference is formed from two gradients
 * taken at the same x (keep the tensors in double: it cancels). The lower iterate reported is z, the estimate of
 * {@code y*(x)}: y_σ has seen the upper objective (a validation loss, say) and is not the lower level's answer.
 *
 * @param alpha       upper step α
 * @param sigma0      starting penalty σ₀ (a large σ weights the upper objective heavily; the bias is O(σ))
 * @param sigmaMin    the penalty's floor σ_min, the accuracy aimed at ({@code σ = O(ε)} in the paper)
 * @param decay       exponent of the penalty schedule; 0 keeps σ = σ₀ (then σ_min must equal σ₀)
 * @param step        lower-level gradient step for both y and z
 * @param innerSteps  lower-level steps on y and on z per upper step (at least 1)
 * @param refineSteps lower-level steps on z (and y, at σ₀) before the first upper step
 */
public record BilevelPenalty(double alpha, double sigma0, double sigmaMin, double decay, double step, int innerSteps,
                             int refineSteps) implements BilevelAlgorithm {

    public BilevelPenalty {
        if (!(alpha > 0) || !(sigma0 > 0) || !(sigmaMin > 0 && sigmaMin <= sigma0) || !(decay >= 0) || !(step > 0)
                || innerSteps < 1 || refineSteps < 0) {
            throw new IllegalArgumentException("penalty method: need alpha, step > 0, 0 < sigmaMin <= sigma0, decay >= 0,"
                    + " innerSteps >= 1, refineSteps >= 0; got alpha=" + alpha + ", sigma0=" + sigma0 + ", sigmaMin=" + sigmaMin
                    + ", decay=" + decay + ", step=" + step + ", innerSteps=" + innerSteps + ", refineSteps=" + refineSteps);
        }
        if (decay == 0 && sigmaMin != sigma0) {
            throw new IllegalArgumentException("penalty method: decay 0 keeps sigma at sigma0 = " + sigma0 + ", so sigmaMin ("
                    + sigmaMin + ") would never be reached; give decay > 0 or sigmaMin = sigma0");
        }
    }

    /** The penalty method at a constant σ, no refinement. */
    public static BilevelPenalty fixed(double alpha, double sigma, double step, int innerSteps) {
        return new BilevelPenalty(alpha, sigma, sigma, 0, step, innerSteps, 0);
    }

    /** The penalty at iteration {@code k} (from 0): {@code max(σ_min, σ₀ (k+1)^(−decay))}. */
    public double sigma(int k) {
        return Math.max(sigmaMin, sigma0 * Math.pow(k + 1, -decay));
    }

    @Override
    public String name() {
        return "penalty";
    }

    /**
     * The estimate {@code ∇ₓf(x, y) + (∇ₓg(x, y) − ∇ₓg(x, z))/σ} of {@code ∇ψ_σ(x)}, exact when
     * {@code y = argmin σf + g} and {@code z = argmin g} (three gradients, no Hessian).
     */
    public static Tensor gradient(Level upper, Level lower, Tensor x, Tensor y, Tensor z, double sigma) {
        Tensor gap = gradX(lower, x, y).sub(gradX(lower, x, z));
        return gradX(upper, x, y).add(gap.div(sigma));
    }

    /**
     * {@code iterations} upper steps from {@code (x0, y0)}, y and z both starting at {@code y0}; the trace's lower iterate is
     * z, its values {@code f(x, z)}, its norms {@code ‖∇ψ_σ‖} as estimated. Oracle calls per iteration: {@code 3·innerSteps + 3}
     * gradients (one of g per z-step, one of f and one of g per y-step, three for the upper estimate), no Hessian-vector products.
     */
    @Override
    public Trace run(Level upper, Level lower, Tensor x0, Tensor y0, int iterations, Watcher watcher) {
        try (var _ = Autodiff.noGrad()) {
            Tensor x = x0.detach();
            Tensor y = y0.detach();
            Tensor z = y0.detach();
            for (int k = 0; k < refineSteps; k++) {
                z = z.sub(gradY(lower, x, z).mul(step));
                y = y.sub(penaltyGradY(upper, lower, x, y, sigma0).mul(step));
            }
            long gradients = 3L * refineSteps;
            double[] values = new double[iterations];
            double[] norms = new double[iterations];
            for (int t = 0; t < iterations; t++) {
                Dense.checkInterrupt("penalty method");
                double sigma = sigma(t);
                for (int k = 0; k < innerSteps; k++) {
                    z = z.sub(gradY(lower, x, z).mul(step));
                    y = y.sub(penaltyGradY(upper, lower, x, y, sigma).mul(step));
                }
                Tensor estimate = gradient(upper, lower, x, y, z, sigma);
                gradients += 3L * innerSteps + 3;
                values[t] = upper.apply(x, z).item();
                if (!watcher.onIterate(t, x, z, values[t])) {
                    return new Trace(x, z, java.util.Arrays.copyOf(values, t + 1), java.util.Arrays.copyOf(norms, t + 1), gradients, 0);
                }
                norms[t] = Dense.norm(estimate);
                if (!Double.isFinite(norms[t]) || !Double.isFinite(Dense.norm(y))) {
                    throw new IllegalStateException("penalty method: the iterates became non-finite at iteration " + t
                            + " (sigma " + sigma + "); the lower step must be at most 1/(sigma0 L_f + L_g), the upper step small enough");
                }
                x = x.sub(estimate.mul(alpha));
            }
            return new Trace(x, z, values, norms, gradients, 0);
        }
    }

    /** {@code ∇ᵧ(σf + g)(x, y)}. */
    private static Tensor penaltyGradY(Level upper, Level lower, Tensor x, Tensor y, double sigma) {
        return Autodiff.grad(w -> upper.apply(x, w).mul(sigma).add(lower.apply(x, w)), y);
    }

    private static Tensor gradY(Level g, Tensor x, Tensor y) {
        return Autodiff.grad(w -> g.apply(x, w), y);
    }

    private static Tensor gradX(Level g, Tensor x, Tensor y) {
        return Autodiff.grad(p -> g.apply(p, y), x);
    }
}
