package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * Any procedure that returns {@code x*(θ)} from an initial guess: one of this package's solvers, a
 * loop written in a notebook, a closed form. It runs under no-grad with detached {@code θ} and is
 * never differentiated; the derivative comes from the {@link Condition} (JAXopt's {@code solve}
 * argument of {@code custom_root}). {@code x0} may be null when the caller has no guess.
 */
@FunctionalInterface
public interface InnerSolver {
    Tensor solve(Tensor x0, Tensor... theta);
}
