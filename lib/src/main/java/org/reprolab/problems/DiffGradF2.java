package org.reprolab.problems;

/**
 * The second synthetic non-convex function of the diffGrad paper, one variable:
 * {@code F2(x) = -40 x - 35.15} for {@code x <= -0.9} and {@code x^3 + x sin(8x) + 0.85} for
 * {@code x > -0.9}. A steep linear wall on the left (gradient -40) throws the iterate started at
 * {@code x = -1} to the right, into an oscillating cubic with its global minimum
 * {@code F2 ~ 1.2e-4} at {@code x ~ -0.6429} and local minima at {@code x = 0} (0.85) and
 * {@code x ~ 0.588} (0.465). The two pieces meet with a small jump at {@code x = -0.9}
 * (0.85 on the left, 0.8353 on the right), as written in the paper.
 *
 * <p>The derivative here is the exact one, {@code 3x^2 + sin(8x) + 8x cos(8x)} on the right piece.
 * The official notebook (shivram1987/diffGrad {@code diffGrad_analytical.ipynb}) feeds
 * {@code x cos(8x) + sin(8x) + 3x^2} instead, without the inner factor 8, so its trajectories
 * descend a different landscape; {@link #officialGradient} gives that one for comparison.
 *
 * <p>S. R. Dubey et al., "diffGrad: An Optimization Method for Convolutional Neural Networks", IEEE
 * TNNLS 31(11), 2020 (arXiv:1909.11015).
 */
public record DiffGradF2() implements UnivariateObjective {

    /** Where the global minimum lies, found by bracketing the root of the derivative (brentq, xtol 1e-15). */
    public static final double ARGMIN = -0.6429185989152617;

    @Override
    public String name() {
        return "diffGrad F2";
    }

    @Override
    public double at(double x) {
        return x <= -0.9 ? -40 * x - 35.15 : x * x * x + x * Math.sin(8 * x) + 0.85;
    }

    @Override
    public double slope(double x) {
        return x <= -0.9 ? -40 : 3 * x * x + Math.sin(8 * x) + 8 * x * Math.cos(8 * x);
    }

    /** The gradient the official notebook uses: {@code x cos(8x) + sin(8x) + 3x^2} on the right piece. */
    public double[] officialGradient(double[] p) {
        requireValidPoint(p);
        double x = p[0];
        return new double[] {x <= -0.9 ? -40 : x * Math.cos(8 * x) + Math.sin(8 * x) + 3 * x * x};
    }

    @Override
    public double[] minimizer() {
        return new double[] {ARGMIN};
    }

    /** {x from, x to, F from, F to}: the paper's plotting range of x, [-1, 1]. */
    @Override
    public double[] plotBox() {
        return new double[] {-1, 1, 0, 3};
    }
}
