package org.reprolab.optim;

import java.util.List;
import java.util.Set;

/**
 * A gradient transformation in the sense of Optax ({@code optax/_src/base.py}): it maps the incoming
 * update (at first the gradient) to a new update, keeping per-element state. Optimizers are
 * {@link #chain chains} of small transformations; the optimizer adds the final update to the
 * parameters. The sign convention is Optax's: {@link Transforms#scaleByLearningRate} multiplies by
 * {@code -lr}.
 *
 * <p>Two shapes only. An {@link Elementwise} transformation contributes an {@code Expr} fragment to a
 * fused kernel; a chain of them compiles into one {@code ElementwiseKernel}, one pass over parameter,
 * gradient and state. A {@link Chain} is a sequence. Element-wise transformations that need a global
 * quantity (a norm over a tensor or a group) declare {@link Elementwise#reductions()}; the compiled
 * chain then runs a reduction stage before the pass that uses it (see {@link Optimizer}). Those that
 * need sums of products per channel (AdamP's cosines, M-FAC's dot products with its gradient window)
 * declare {@link Elementwise#rowProducts}; their per-row results come back into the pass as values
 * broadcast along the rows.
 *
 * <p>Transformations are records: their hyper-parameters are record components, so a chain is a
 * value, prints itself, and can be re-parameterised by name ({@link #with}), which is how
 * parameter groups override, say, {@code weight_decay}. Kernels depend only on a chain's structure
 * (hyper-parameters enter as kernel parameters), so groups with different values share one kernel.
 */
public sealed interface Transform extends java.io.Serializable permits Elementwise, Chain {

    /** {@code chain(a, b, c)}: apply a, then b, then c (Optax {@code chain}). Nested chains flatten. */
    static Chain chain(Transform... parts) {
        return new Chain(List.of(parts));
    }

    /** The element-wise transformations in order, nested chains flattened. */
    List<Elementwise> flatten();

    /**
     * A copy with hyper-parameter {@code name} set to {@code value} in every part that has it. Names
     * match record components, ignoring case and underscores, so torch spellings work
     * ({@code "weight_decay"} and {@code "weightDecay"}).
     *
     * @throws IllegalArgumentException when no part has the hyper-parameter, naming the known ones,
     *                                  or when the value is invalid (the part's own check)
     */
    default Transform with(String name, Object value) {
        return Hyper.with(this, name, value);
    }

    /** Names of the hyper-parameters of every part. */
    default Set<String> hyperNames() {
        return Hyper.names(this);
    }
}
