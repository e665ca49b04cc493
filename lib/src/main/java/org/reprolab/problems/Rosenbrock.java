package org.reprolab.problems;

/**
 * Rosenbrock's banana function {@code f(x, y) = (a - x)^2 + b (y - x^2)^2}, minimum 0 at
 * {@code (a, a^2)}: a narrow curved valley where plain gradient descent crawls and momentum
 * helps. H. H. Rosenbrock, "An automatic method for finding the greatest or least value of a
 * function", The Computer Journal 3(3), 1960.
 *
 * @param a where the valley floor reaches its minimum along x (classically 1)
 * @param b how steep the valley walls are (classically 100)
 */
public record Rosenbrock(double a, double b) implements TwoVariableObjective {

    public Rosenbrock {
        if (!(b > 0) || !Double.isFinite(a) || !Double.isFinite(b)) {
            throw new IllegalArgumentException("Rosenbrock: need finite a and b > 0, got a=" + a + ", b=" + b);
        }
    }

    /** The classic {@code a = 1, b = 100}. */
    public Rosenbrock() {
        this(1, 100);
    }

    @Override
    public double value(double[] p) {
        requireValidPoint(p);
        double dx = a - p[0];
        double dy = p[1] - p[0] * p[0];
        return dx * dx + b * dy * dy;
    }

    @Override
    public double[] gradient(double[] p) {
        requireValidPoint(p);
        double x = p[0];
        double dy = p[1] - x * x;
        return new double[] {-2 * (a - x) - 4 * b * x * dy, 2 * b * dy};
    }

    @Override
    public Landmarks landmarks() {
        return new Landmarks(new double[] {a, a * a}, new double[] {a - 3, a + 2, -1, a * a + 3});
    }
}
