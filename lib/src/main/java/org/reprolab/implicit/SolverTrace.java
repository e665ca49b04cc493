package org.reprolab.implicit;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * How an {@link IterativeSolver} converged: the error after every iteration (the solver's own stopping
 * measure), the seconds elapsed by then, the solver's counts and values ({@code "cost"},
 * {@code "newton_steps"}, ...) and the solution it returned, flattened, so that comparisons can check
 * that two solvers reached the same answer.
 *
 * @param errors    error after iteration 1, 2, ...
 * @param seconds   wall time since the start at those iterations (same length as {@code errors})
 * @param converged whether the solver met its tolerance
 * @param scalars   the solver's own numbers, by name
 * @param solution  the solution's values (a plan, a vector), row-major
 */
public record SolverTrace(double[] errors, double[] seconds, boolean converged, Map<String, Double> scalars, double[] solution) {

    public SolverTrace {
        if (errors == null || seconds == null || errors.length != seconds.length) {
            throw new IllegalArgumentException("solver trace: errors and seconds must be given per iteration, with the same length");
        }
        errors = errors.clone();
        seconds = seconds.clone();
        scalars = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(scalars));
        solution = solution == null ? new double[0] : solution.clone();
    }

    /** Iterations run. */
    public int iterations() {
        return errors.length;
    }

    /** The last error, or NaN when no iteration ran. */
    public double finalError() {
        return errors.length == 0 ? Double.NaN : errors[errors.length - 1];
    }

    @Override
    public double[] errors() {
        return errors.clone();
    }

    @Override
    public double[] seconds() {
        return seconds.clone();
    }

    @Override
    public double[] solution() {
        return solution.clone();
    }

    @Override
    public String toString() {
        return "SolverTrace[" + errors.length + " iterations, final error " + finalError() + ", converged " + converged + ", " + scalars
                + ", solution of " + solution.length + " values" + (solution.length > 0 ? " starting " + Arrays.toString(Arrays.copyOf(solution, Math.min(3, solution.length))) : "") + "]";
    }
}
