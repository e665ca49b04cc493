package org.reprolab.diffusion;

/**
 * The two fields that generate samples from a stochastic interpolant {@code x_t} (Albergo, Boffi &amp;
 * Vanden-Eijnden 2023, Thm. 2.6 and Cor. 2.10): the velocity {@code b(t, x) = E[α̇x₀ + β̇x₁ + γ̇z | x_t = x]}, whose
 * ODE {@code Ẋ = b} carries the law of x₀ to that of x₁, and the score {@code s(t, x) = ∇log ρ_t(x)}, which turns
 * it into the SDEs {@code dX = (b ± εs)dt + √(2ε)dW} with the same marginals for every ε ≥ 0. Exact fields come
 * from {@link MixtureInterpolant}; a learned pair of networks is another implementation. Sampled by
 * {@link InterpolantSampler}.
 */
public interface InterpolantModel {

    /** The dimension of the points. */
    int dim();

    /**
     * Writes {@code b(t, x)} into {@code velocity} and {@code ∇log ρ_t(x)} into {@code score} (either may be null
     * when not needed), {@code x.n()·x.dim()} values each. Must not keep the arrays.
     */
    void eval(Batch x, double t, double[] velocity, double[] score);
}
