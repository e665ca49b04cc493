package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * A bilevel algorithm that moves the upper variable x and the lower variable y together, for
 * {@code min_x f(x, y*(x))}, {@code y*(x) = argmin_y g(x, y)}: a few lower-level steps per upper step,
 * warm-started, and never a full inner solve (unlike a hypergradient through an inner solver). The two
 * members differ in what they need of g:
 *
 * <ul>
 * <li>{@link BoRep} (Hao, Gong and Liu, ICLR 2024): the implicit-function-theorem hypergradient with one
 * step on its linear system per iteration, so one Hessian-vector product of g per iteration;
 * <li>{@link BilevelPenalty} (Kwon, Kwon, Wright and Nowak, ICLR 2024): the gradient of the penalty function
 * {@code ψ_σ(x) = (min_y (σf + g) − min_z g)/σ}, gradients of f and g only.
 * </ul>
 * Both report the oracle calls they spent ({@link Trace#gradients()}, {@link Trace#hvps()}), the cost
 * measure of the papers' complexity bounds.
 */
public sealed interface BilevelAlgorithm permits BoRep, BilevelPenalty {

    /** An objective of the upper variable x and the lower variable y, tensor ops (differentiable). */
    @FunctionalInterface
    interface Level {
        Tensor apply(Tensor x, Tensor y);
    }

    /** Sees every iterate as it is reached: a progress display, per-step metrics, an early stop. */
    @FunctionalInterface
    interface Watcher {
        /** Called with iteration {@code t}'s iterates and {@code f(x_t, y_t)} before its update; false stops the run. */
        boolean onIterate(int t, Tensor x, Tensor y, double upperValue);
    }

    /**
     * The final iterates (y the estimate of {@code y*(x)}), {@code f(x_t, y_t)} and the norm of the upper
     * gradient estimate per iteration, and the oracle calls spent: gradients of f or g (a gradient in both
     * variables at one point counts once) and Hessian-vector products of g.
     */
    record Trace(Tensor x, Tensor y, double[] upperValues, double[] estimateNorms, long gradients, long hvps) {}

    /** Table name: "BO-REP", "penalty". */
    String name();

    /** A run of {@code iterations} upper steps from {@code (x0, y0)}, telling {@code watcher} each iterate; a false answer ends it there. */
    Trace run(Level upper, Level lower, Tensor x0, Tensor y0, int iterations, Watcher watcher);

    /** {@link #run(Level, Level, Tensor, Tensor, int, Watcher)} without a watcher. */
    default Trace run(Level upper, Level lower, Tensor x0, Tensor y0, int iterations) {
        return run(upper, lower, x0, y0, iterations, (t, x, y, f) -> true);
    }
}
