package org.reprolab.problems;

/**
 * The ill-conditioned quadratic bowl {@code f(x, y) = (x^2 + condition * y^2) / 2}, minimum 0 at the
 * origin; its Hessian's condition number is {@code condition}. The textbook case for why gradient
 * descent zig-zags and why momentum and per-coordinate step sizes help (Nocedal and Wright,
 * Numerical Optimization, 2nd ed., section 3.3; Goh, "Why Momentum Really Works", Distill 2017).
 *
 * @param condition the ratio of the largest to the smallest curvature, at least 1
 */
public record Quadratic(double condition) implements TwoVariableObjective {

    public Quadratic {
        if (!(condition >= 1) || Double.isInfinite(condition)) {
            throw new IllegalArgumentException("quadratic: condition must be a finite number >= 1, got " + condition);
        }
    }

    @Override
    public String name() {
        return "quadratic (condition " + (condition == Math.rint(condition) ? Long.toString((long) condition) : Double.toString(condition)) + ")";
    }

    @Override
    public double value(double[] p) {
        requireValidPoint(p);
        return 0.5 * (p[0] * p[0] + condition * p[1] * p[1]);
    }

    @Override
    public double[] gradient(double[] p) {
        requireValidPoint(p);
        return new double[] {p[0], condition * p[1]};
    }

    @Override
    public Landmarks landmarks() {
        return new Landmarks(new double[] {0, 0}, new double[] {-2, 2, -2, 2});
    }
}
