package org.reprolab.lab;

import org.reprolab.problems.Objective;

/**
 * The notebook's entrance: one builder per kind of experiment, each ending in {@code run()} and
 * returning {@link Runs}.
 *
 * <pre>{@code
 * var runs = Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0)
 *               .compare(adam(1e-2), adan(1e-2), adaBelief(1e-2), lion(1e-3), diffGrad(1e-2))
 *               .steps(2_000).run();
 * }</pre>
 *
 * Every builder shares the verbs of {@link Experiment}: {@code compare}, {@code as}, {@code seeds},
 * {@code sweep}, {@code device}, {@code parallel}, {@code progress}; each adds its budget and its
 * problem's options.
 */
public final class Lab {
    private Lab() {}

    /** Optimizers on a test function: loss and path per step. */
    public static OptimizeExperiment optimize(Objective objective) {
        return new OptimizeExperiment(objective);
    }
}
