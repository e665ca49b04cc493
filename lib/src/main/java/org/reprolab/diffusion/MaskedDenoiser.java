package org.reprolab.diffusion;

/**
 * The network of a masked diffusion model: given a partly masked sequence x_t (tokens {@code 0 .. V−1}, masked
 * positions {@link #MASK}) and the time, the predicted clean-token distribution {@code p(x₀ⁱ = v | x_t)} at every
 * position. Zheng et al. (2024) show the optimal one does not depend on t; {@link #timeAgnostic()} says so, and
 * a sampler may then reuse an output while the sequence has not changed (the result is bit-identical).
 */
@FunctionalInterface
public interface MaskedDenoiser {
    /** The token value of a masked position. */
    int MASK = -1;

    /** Per position, a probability vector over the vocabulary (rows of unmasked positions may be anything). */
    double[][] predict(int[] tokens, double t);

    /** Whether {@link #predict} ignores t (the exact conditional does). */
    default boolean timeAgnostic() {
        return false;
    }
}
