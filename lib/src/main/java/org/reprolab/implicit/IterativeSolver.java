package org.reprolab.implicit;

/**
 * A solver that reports how it converged, iteration by iteration: the error after every iteration
 * and the seconds elapsed by then. This is what a convergence comparison needs (error against
 * iterations and against time, iterations to a tolerance, as in Tang et al., ICLR 2024, Figs. 1–3),
 * whatever the problem: {@code Lab.iterate(problem).compare(solvers...)} runs any of them.
 *
 * @param <P> the problem it solves ({@link OtProblem} for {@link Sinkhorn} and {@link SinkhornNewtonSparse})
 */
@FunctionalInterface
public interface IterativeSolver<P> {

    /** Solves {@code problem} from the solver's own start, recording the error after every iteration. */
    SolverTrace trace(P problem);
}
