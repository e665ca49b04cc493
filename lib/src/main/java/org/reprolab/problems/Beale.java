package org.reprolab.problems;

/**
 * Beale's function {@code (1.5 - x + xy)^2 + (2.25 - x + xy^2)^2 + (2.625 - x + xy^3)^2}, minimum 0 at
 * {@code (3, 0.5)}: flat plateaus and steep curved valleys, a standard two-variable test for
 * optimizer paths. E. M. L. Beale, "On an iterative method for finding a local minimum of a function
 * of more than one variable", Statistical Techniques Research Group, Princeton University, 1958.
 */
public record Beale() implements TwoVariableObjective {

    private static final double[] C = {1.5, 2.25, 2.625};

    @Override
    public double value(double[] p) {
        requireValidPoint(p);
        double x = p[0], y = p[1], f = 0, yk = 1;
        for (double c : C) {
            yk *= y;
            double r = c - x + x * yk;
            f += r * r;
        }
        return f;
    }

    @Override
    public double[] gradient(double[] p) {
        requireValidPoint(p);
        double x = p[0], y = p[1], gx = 0, gy = 0;
        for (int k = 1; k <= 3; k++) {
            double yk = Math.pow(y, k);
            double r = C[k - 1] - x + x * yk;
            gx += 2 * r * (yk - 1);
            gy += 2 * r * x * k * Math.pow(y, k - 1);
        }
        return new double[] {gx, gy};
    }

    @Override
    public Landmarks landmarks() {
        return new Landmarks(new double[] {3, 0.5}, new double[] {-0.5, 4, -1, 2});
    }
}
