package org.reprolab.gp;

import java.util.List;

/**
 * A one-dimensional spectral-mixture covariance k(r) = Σ_q w_q · exp(−2π²σ_q² r²) · cos(2π μ_q r),
 * r = x − x′: by Wiener–Khinchin the covariance whose power spectrum is a mixture of Gaussians at
 * frequencies ±μ_q with widths σ_q (GP-HM, Fang et al., ICLR 2024). High-frequency and
 * multi-scale solutions are likely under this prior when a component sits at their frequency, which is
 * why GP-HM puts one on every frequency band and lets the likelihood choose the weights; an RBF kernel
 * (one component at μ = 0) only favours frequencies below about 1/(2π ℓ).
 *
 * <p>The derivative kernels a collocation solve needs are in closed form: each component is
 * Re exp(φ(r)) with φ = −a r² + i b r (a = 2π²σ², b = 2πμ), and since φ‴ = 0,
 * (e^φ)″ = (φ′² + φ″) e^φ and (e^φ)⁗ = (φ′⁴ + 6φ′²φ″ + 3φ″²) e^φ. For a stationary kernel
 * ∂²k/∂x² = ∂²k/∂x′² = k″(r) and ∂⁴k/∂x²∂x′² = k⁗(r).
 */
public record SpectralMixture(List<Component> components) {

    /** One Gaussian spectral component: weight w ≥ 0, frequency μ ≥ 0 (cycles per unit length), width σ > 0. */
    public record Component(double weight, double frequency, double width) {
        public Component {
            if (!(weight >= 0) || !Double.isFinite(weight)) {
                throw new IllegalArgumentException("component weight must be finite and >= 0, got " + weight);
            }
            if (!(frequency >= 0) || !Double.isFinite(frequency)) {
                throw new IllegalArgumentException("component frequency must be finite and >= 0, got " + frequency);
            }
            if (!(width > 0) || !Double.isFinite(width)) {
                throw new IllegalArgumentException("component width must be finite and > 0, got " + width);
            }
        }
    }

    public SpectralMixture {
        components = List.copyOf(components);
        if (components.isEmpty()) {
            throw new IllegalArgumentException("a spectral mixture needs at least one component");
        }
    }

    /** The mixture of the given components. */
    public static SpectralMixture of(Component... components) {
        return new SpectralMixture(List.of(components));
    }

    /** The RBF kernel exp(−r²/(2ℓ²)): one component at frequency 0 with width 1/(2π ℓ). */
    public static SpectralMixture rbf(double lengthscale) {
        if (!(lengthscale > 0) || !Double.isFinite(lengthscale)) {
            throw new IllegalArgumentException("RBF lengthscale must be finite and > 0, got " + lengthscale);
        }
        return of(new Component(1, 0, 1 / (2 * Math.PI * lengthscale)));
    }

    /**
     * Q components of width {@code width} and weight 1 at frequencies spread evenly over
     * [0, maxFrequency], GP-HM's initialisation.
     */
    public static SpectralMixture spread(int q, double maxFrequency, double width) {
        if (q < 2 || !(maxFrequency > 0)) {
            throw new IllegalArgumentException("need q >= 2 and maxFrequency > 0, got " + q + ", " + maxFrequency);
        }
        var components = new java.util.ArrayList<Component>(q);
        for (int c = 0; c < q; c++) {
            components.add(new Component(1, maxFrequency * c / (q - 1), width));
        }
        return new SpectralMixture(components);
    }

    /** k(r). */
    public double value(double r) {
        return derivative(r, 0);
    }

    /** k″(r) = ∂²k/∂x² = ∂²k/∂x′², the covariance of u″(x) with u(x′). */
    public double secondDerivative(double r) {
        return derivative(r, 2);
    }

    /** k⁗(r) = ∂⁴k/∂x²∂x′², the covariance of u″(x) with u″(x′). */
    public double fourthDerivative(double r) {
        return derivative(r, 4);
    }

    private double derivative(double r, int order) {
        double sum = 0;
        for (Component c : components) {
            double a = 2 * Math.PI * Math.PI * c.width() * c.width();
            double b = 2 * Math.PI * c.frequency();
            double envelope = Math.exp(-a * r * r);
            double cos = Math.cos(b * r);
            double sin = Math.sin(b * r);
            // polynomial factor P = p + i q multiplying e^{iφ_im}; Re(P e^{ibr}) = p cos − q sin
            double p1 = -2 * a * r; // Re φ′ (Im φ′ = b)
            double p2 = -2 * a; // φ″ (real)
            double re;
            double im;
            switch (order) {
                case 0 -> {
                    re = 1;
                    im = 0;
                }
                case 2 -> { // φ′² + φ″
                    re = p1 * p1 - b * b + p2;
                    im = 2 * p1 * b;
                }
                case 4 -> { // φ′⁴ + 6φ′²φ″ + 3φ″²
                    double sqRe = p1 * p1 - b * b;
                    double sqIm = 2 * p1 * b;
                    re = sqRe * sqRe - sqIm * sqIm + 6 * p2 * sqRe + 3 * p2 * p2;
                    im = 2 * sqRe * sqIm + 6 * p2 * sqIm;
                }
                default -> throw new IllegalArgumentException("derivative order must be 0, 2 or 4, got " + order);
            }
            sum += c.weight() * envelope * (re * cos - im * sin);
        }
        return sum;
    }
}
