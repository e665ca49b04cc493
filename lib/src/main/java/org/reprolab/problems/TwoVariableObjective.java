package org.reprolab.problems;

/** An objective of two variables, the ones drawn over a contour map. */
interface TwoVariableObjective extends Objective {

    @Override
    default int dimension() {
        return 2;
    }
}
