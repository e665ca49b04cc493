package org.reprolab.problems;

/**
 * Ackley's function in {@code dimension} variables, {@code −20 exp(−0.2 √(mean x²)) − exp(mean cos 2πx) + 20 + e},
 * global minimum 0 at the origin inside a lattice of local minima near the integer points, on an
 * almost flat outer plateau: a standard test for global (e.g. consensus-based) optimizers.
 * D. H. Ackley, A Connectionist Machine for Genetic Hillclimbing, Kluwer, 1987; the a = 20,
 * b = 0.2, c = 2π form of Bäck (1996).
 */
public record Ackley(int dimension) implements Objective {

    public Ackley {
        if (dimension < 1) throw new IllegalArgumentException("ackley: dimension must be >= 1, got " + dimension);
    }

    @Override
    public double value(double[] x) {
        requireValidPoint(x);
        double sq = 0, cos = 0;
        for (double v : x) {
            sq += v * v;
            cos += Math.cos(2 * Math.PI * v);
        }
        return -20 * Math.exp(-0.2 * Math.sqrt(sq / dimension)) - Math.exp(cos / dimension) + 20 + Math.E;
    }

    /** The exact gradient; at the origin (where the first term is not differentiable) it is taken as 0. */
    @Override
    public double[] gradient(double[] x) {
        requireValidPoint(x);
        double sq = 0, cos = 0;
        for (double v : x) {
            sq += v * v;
            cos += Math.cos(2 * Math.PI * v);
        }
        double r = Math.sqrt(sq / dimension), e1 = Math.exp(-0.2 * r), e2 = Math.exp(cos / dimension);
        double[] g = new double[dimension];
        for (int i = 0; i < dimension; i++) {
            double radial = r == 0 ? 0 : 20 * 0.2 * e1 * x[i] / (dimension * r);
            g[i] = radial + e2 * 2 * Math.PI * Math.sin(2 * Math.PI * x[i]) / dimension;
        }
        return g;
    }

    @Override
    public double[] minimizer() {
        return new double[dimension];
    }

    @Override
    public double[] plotBox() {
        return new double[] {-5, 5, -5, 5};
    }
}
