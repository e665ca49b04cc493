package org.reprolab.problems;

/**
 * A smooth test function of a few variables with its exact gradient: the classic ground for
 * watching optimizers move (Rosenbrock's valley, Beale, the diffGrad paper's non-convex
 * functions), small enough to plot over a contour map.
 */
public interface Objective extends java.io.Serializable {

    /** A short name for tables and legends; by default the class's simple name in lower case ("rosenbrock"). */
    default String name() {
        return getClass().getSimpleName().toLowerCase(java.util.Locale.ROOT);
    }

    /** How many variables it takes. */
    int dimension();

    double value(double[] x);

    /** The exact gradient at {@code x}. */
    double[] gradient(double[] x);

    /** A global minimiser, for measuring how far a run ended from it. */
    double[] minimizer();

    /** A box that shows the interesting part of the landscape: {xmin, xmax, ymin, ymax}. */
    double[] plotBox();

    /** Checks that {@code x} has this objective's dimension and finite entries. */
    default void requireValidPoint(double[] x) {
        if (x.length != dimension()) {
            throw new IllegalArgumentException(name() + ": expected a point of dimension " + dimension() + ", got " + x.length);
        }
        for (int i = 0; i < x.length; i++) {
            if (!Double.isFinite(x[i])) {
                throw new IllegalArgumentException(name() + ": coordinate " + i + " is " + x[i]);
            }
        }
    }
}
