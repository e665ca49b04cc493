package org.reprolab.ode;

import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;

/**
 * A differential-equation problem: its terms (the vector field, or drift and diffusion), the interval [t0, t1]
 * and the initial state, for one state type S. {@link OdeProblem} is an ODE over {@code double[]} (or any state
 * with a {@code StateOps}); {@code ode.tensor.TensorProblem} an ODE over autodiff tensors; {@code
 * ode.sde.SdeProblem} an Itô SDE. Each knows how to run a solver on itself; users hand it to {@link Ode#solve}.
 *
 * @param <S> the state type of the solution
 */
public interface Problem<S> {
    double t0();

    double t1();

    /** Runs the solver (called by {@link Ode#solve}, which supplies the defaults). */
    Solution<S> solve(Solver solver, StepController controller, OdeOptions options);
}
