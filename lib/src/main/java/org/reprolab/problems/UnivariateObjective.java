package org.reprolab.problems;

/**
 * An objective of one variable, written as {@code f(x)} and {@code f'(x)} on plain doubles; the
 * array forms of {@link Objective} (with their input checks) come from these.
 */
public interface UnivariateObjective extends Objective {

    /** {@code f(x)}. */
    double at(double x);

    /** {@code f'(x)}. */
    double slope(double x);

    @Override
    default int dimension() {
        return 1;
    }

    @Override
    default double value(double[] p) {
        requireValidPoint(p);
        return at(p[0]);
    }

    @Override
    default double[] gradient(double[] p) {
        requireValidPoint(p);
        return new double[] {slope(p[0])};
    }
}
