package org.reprolab.problems;

/**
 * Rastrigin's function in two variables, {@code 20 + sum (x_i^2 - 10 cos(2 pi x_i))}, global minimum
 * 0 at the origin among a regular grid of local minima: the standard test of whether an optimizer
 * escapes local basins. L. A. Rastrigin, Systems of Extremal Control, Nauka, 1974; the form of
 * Mühlenbein, Schomisch and Born, Parallel Computing 17, 1991.
 */
public record Rastrigin() implements TwoVariableObjective {

    @Override
    public double value(double[] p) {
        requireValidPoint(p);
        double f = 10 * p.length;
        for (double x : p) f += x * x - 10 * Math.cos(2 * Math.PI * x);
        return f;
    }

    @Override
    public double[] gradient(double[] p) {
        requireValidPoint(p);
        double[] g = new double[p.length];
        for (int i = 0; i < p.length; i++) g[i] = 2 * p[i] + 20 * Math.PI * Math.sin(2 * Math.PI * p[i]);
        return g;
    }

    @Override
    public Landmarks landmarks() {
        return new Landmarks(new double[] {0, 0}, new double[] {-5.12, 5.12, -5.12, 5.12});
    }
}
