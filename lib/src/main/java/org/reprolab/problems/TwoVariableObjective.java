package org.reprolab.problems;

/**
 * An objective of two variables, the ones drawn over a contour map. The map needs two facts about the
 * function, given together by {@link #landmarks()}: where its minimum is and which box shows its
 * interesting part.
 */
public interface TwoVariableObjective extends Objective {

    /**
     * The minimiser and the plot box {xmin, xmax, ymin, ymax} of a two-variable objective.
     *
     * @param minimizer a global minimiser
     * @param box the part of the plane a contour map shows
     */
    record Landmarks(double[] minimizer, double[] box) {
        public Landmarks {
            if (minimizer.length != 2 || box.length != 4) {
                throw new IllegalArgumentException("landmarks: need a 2-D minimiser and a box {xmin, xmax, ymin, ymax}");
            }
        }
    }

    /** Where the minimum is and which box to draw. */
    Landmarks landmarks();

    @Override
    default int dimension() {
        return 2;
    }

    @Override
    default double[] minimizer() {
        return landmarks().minimizer().clone();
    }

    @Override
    default double[] plotBox() {
        return landmarks().box().clone();
    }
}
