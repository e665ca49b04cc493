package org.reprolab.diffusion;

import java.util.function.DoubleUnaryOperator;

/**
 * The coefficients of a stochastic interpolant {@code x_t = α(t)x₀ + β(t)x₁ + γ(t)z}, {@code z ~ N(0, I)}
 * independent of {@code (x₀, x₁)} (Albergo, Boffi &amp; Vanden-Eijnden 2023, "Stochastic interpolants: a unifying
 * framework for flows and diffusions", eq. 2.1 with the spatially linear {@code I = αx₀ + βx₁} of §3–4): it
 * carries x₀ at t = 0 to x₁ at t = 1 ({@code β(1) = 1}, {@code α(1) = 0}, {@code γ(0) = γ(1) = 0}) and the latent
 * term {@code γz} smooths the density in between. The velocity of the flow involves {@code γ(t)γ̇(t) = ½(γ²)'},
 * which stays finite at the ends even for {@code γ = √(a t(1−t))} whose {@code γ̇} does not, so the noise is given
 * as {@code γ²} and its derivative.
 *
 * <p>Factories name the paper's choices: {@link #linear} and {@link #trigonometric} (two-sided, §3.3),
 * {@link #oneSidedLinear} and {@link #oneSidedTrigonometric} (one-sided, x₀ Gaussian and no γ: score-based diffusion
 * and rectified flow, §3.4/§4.2), {@link #mirror} (x₀ = x₁, {@code x_t = x₁ + γz}, §3.4).
 *
 * @param name         how runs and plots call it
 * @param alpha        α(t) and α̇(t)
 * @param beta         β(t) and β̇(t)
 * @param gammaSquared γ(t)² and its derivative
 */
public record StochasticInterpolant(String name, Coefficient alpha, Coefficient beta, Coefficient gammaSquared) {

    /** A coefficient function with its time derivative, both given in closed form. */
    public record Coefficient(DoubleUnaryOperator value, DoubleUnaryOperator derivative) {
        public Coefficient {
            if (value == null || derivative == null) throw new IllegalArgumentException("a coefficient needs its value and its derivative");
        }

        /** The constant {@code c}. */
        public static Coefficient constant(double c) {
            return new Coefficient(t -> c, t -> 0);
        }

        public double at(double t) {
            return value.applyAsDouble(t);
        }

        public double rate(double t) {
            return derivative.applyAsDouble(t);
        }
    }

    public StochasticInterpolant {
        if (name == null || name.isBlank() || alpha == null || beta == null || gammaSquared == null)
            throw new IllegalArgumentException("an interpolant needs a name and its coefficients α, β, γ²");
        if (Math.abs(alpha.at(1)) > 1e-12 || Math.abs(beta.at(1) - 1) > 1e-12)
            throw new IllegalArgumentException(name + ": x_1 must be x₁, i.e. α(1) = 0 and β(1) = 1; got α(1) = " + alpha.at(1) + ", β(1) = " + beta.at(1));
        if (Math.abs(gammaSquared.at(0)) > 1e-12 || Math.abs(gammaSquared.at(1)) > 1e-12)
            throw new IllegalArgumentException(name + ": γ² must vanish at t = 0 and 1, got " + gammaSquared.at(0) + " and " + gammaSquared.at(1));
        for (int i = 0; i <= 16; i++) {
            double g = gammaSquared.at(i / 16.0);
            if (!(g >= 0)) throw new IllegalArgumentException(name + ": γ² must be >= 0, got " + g + " at t = " + i / 16.0);
        }
    }

    /** {@code γ² = a·t(1−t)}, the paper's {@code γ(t) = √(a t(1−t))} (a = 2 in its examples). */
    private static Coefficient bump(double a) {
        if (!(a >= 0) || Double.isInfinite(a)) throw new IllegalArgumentException("the noise scale a must be finite and >= 0, got " + a);
        return new Coefficient(t -> a * t * (1 - t), t -> a * (1 - 2 * t));
    }

    /** {@code x_t = (1−t)x₀ + t x₁ + √(a t(1−t)) z}: the linear two-sided interpolant (a = 0: no latent noise). */
    public static StochasticInterpolant linear(double a) {
        return new StochasticInterpolant("linear(a=" + a + ")", new Coefficient(t -> 1 - t, t -> -1), new Coefficient(t -> t, t -> 1), bump(a));
    }

    /** {@code x_t = cos(πt/2)x₀ + sin(πt/2)x₁ + √(a t(1−t)) z}: the trigonometric two-sided interpolant. */
    public static StochasticInterpolant trigonometric(double a) {
        double h = Math.PI / 2;
        return new StochasticInterpolant("trigonometric(a=" + a + ")", new Coefficient(t -> Math.cos(h * t), t -> -h * Math.sin(h * t)),
                new Coefficient(t -> Math.sin(h * t), t -> h * Math.cos(h * t)), bump(a));
    }

    /** {@code x_t = (1−t)x₀ + t x₁} with x₀ Gaussian and no γ: the one-sided linear interpolant (rectified flow's path). */
    public static StochasticInterpolant oneSidedLinear() {
        return new StochasticInterpolant("one-sided linear", new Coefficient(t -> 1 - t, t -> -1), new Coefficient(t -> t, t -> 1), Coefficient.constant(0));
    }

    /**
     * {@code x_t = cos(πt/2)x₀ + sin(πt/2)x₁} with x₀ Gaussian and no γ: the one-sided trigonometric interpolant,
     * α² + β² = 1, i.e. the variance-preserving diffusion run from noise (t = 0) to data (t = 1).
     */
    public static StochasticInterpolant oneSidedTrigonometric() {
        double h = Math.PI / 2;
        return new StochasticInterpolant("one-sided trigonometric", new Coefficient(t -> Math.cos(h * t), t -> -h * Math.sin(h * t)),
                new Coefficient(t -> Math.sin(h * t), t -> h * Math.cos(h * t)), Coefficient.constant(0));
    }

    /** {@code x_t = x₁ + √(a t(1−t)) z}, the mirror interpolant (x₀ = x₁): data to noisy data and back to data. */
    public static StochasticInterpolant mirror(double a) {
        return new StochasticInterpolant("mirror(a=" + a + ")", Coefficient.constant(0), Coefficient.constant(1), bump(a));
    }

    /** γ(t) = √γ²(t). */
    public double gamma(double t) {
        return Math.sqrt(Math.max(0, gammaSquared.at(t)));
    }

    @Override
    public String toString() {
        return name;
    }
}
