package org.reprolab.problems;

/**
 * The third synthetic non-convex function of the diffGrad paper, one variable and symmetric:
 * {@code x^2} for {@code |x| >= 0.5}, a ridge {@code 0.75 - |x|} for {@code 0.4 <= |x| < 0.5}, and a
 * V {@code 7|x|/8} for {@code |x| < 0.4}. Local minima 0.25 at {@code x = +-0.5} sit in front of
 * ridges of height 0.35 at {@code +-0.4}; the global minimum 0 is the V's tip at {@code x = 0}.
 * Started at {@code x = -1}, an optimizer stops at -0.5 unless its momentum carries it over the ridge.
 *
 * <p>S. R. Dubey et al., "diffGrad: An Optimization Method for Convolutional Neural Networks", IEEE
 * TNNLS 31(11), 2020 (arXiv:1909.11015); official code shivram1987/diffGrad
 * ({@code diffGrad_analytical.ipynb}, the last cell's {@code calc_grad}, whose branches this follows).
 */
public record DiffGradF3() implements UnivariateObjective {

    @Override
    public String name() {
        return "diffGrad F3";
    }

    @Override
    public double at(double x) {
        if (x <= -0.5) return x * x;
        if (x <= -0.4) return 0.75 + x;
        if (x <= 0) return -7 * x / 8;
        if (x <= 0.4) return 7 * x / 8;
        if (x <= 0.5) return 0.75 - x;
        return x * x;
    }

    /** The exact derivative; at the kinks the left one, as the official code's branches. */
    @Override
    public double slope(double x) {
        double g;
        if (x <= -0.5) g = 2 * x;
        else if (x <= -0.4) g = 1;
        else if (x <= 0) g = -7.0 / 8;
        else if (x <= 0.4) g = 7.0 / 8;
        else if (x <= 0.5) g = -1;
        else g = 2 * x;
        return g;
    }

    @Override
    public double[] minimizer() {
        return new double[] {0};
    }

    /** The local minimum an optimizer started at -1 meets first. */
    public double[] localMinimizer() {
        return new double[] {-0.5};
    }

    /** {x from, x to, F from, F to}: the paper's plotting range of x, [-1, 1]. */
    @Override
    public double[] plotBox() {
        return new double[] {-1, 1, 0, 1};
    }
}
