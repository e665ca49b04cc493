package org.reprolab.problems;

/**
 * The first synthetic non-convex function of the diffGrad paper, one variable:
 * {@code F1(x) = (x + 0.3)^2} for {@code x <= 0} and {@code (x - 0.2)^2 + 0.05} for {@code x > 0}.
 * Its global minimum 0 is at {@code x = -0.3}; a local minimum 0.05 sits at {@code x = 0.2}, beyond a
 * kink (a local maximum) at 0 where the gradient jumps from 0.6 to -0.4. Started at {@code x = -1},
 * an optimizer with too much momentum overshoots the global minimum into the local one.
 *
 * <p>S. R. Dubey et al., "diffGrad: An Optimization Method for Convolutional Neural Networks", IEEE
 * TNNLS 31(11), 2020 (arXiv:1909.11015), section on synthetic non-convex functions; official code
 * shivram1987/diffGrad ({@code diffGrad_analytical.ipynb}: gradient {@code 2x + 0.6} / {@code 2x - 0.4},
 * start -1, 300 steps, lr 0.1, betas (0.95, 0.999)).
 */
public record DiffGradF1() implements UnivariateObjective {

    @Override
    public String name() {
        return "diffGrad F1";
    }

    @Override
    public double at(double x) {
        return x <= 0 ? (x + 0.3) * (x + 0.3) : (x - 0.2) * (x - 0.2) + 0.05;
    }

    /** The exact derivative; at the kink {@code x = 0} the left one, {@code 0.6}, as the official code. */
    @Override
    public double slope(double x) {
        return x <= 0 ? 2 * x + 0.6 : 2 * x - 0.4;
    }

    @Override
    public double[] minimizer() {
        return new double[] {-0.3};
    }

    /** The local, not global, minimum beyond the kink. */
    public double[] localMinimizer() {
        return new double[] {0.2};
    }

    /** {x from, x to, F from, F to}: the paper's plotting range of x, [-1, 1]. */
    @Override
    public double[] plotBox() {
        return new double[] {-1, 1, 0, 1.5};
    }
}
