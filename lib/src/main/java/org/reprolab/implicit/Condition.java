package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * An optimality condition {@code F(x, θ)}, zero at the solution {@code x*(θ)} and shaped like
 * {@code x}; written with tensor ops so that it can be differentiated (twice, for second-order
 * implicit derivatives). Examples: the gradient of an objective in {@code x}; {@code T(x, θ) − x} for
 * a fixed-point map; a KKT residual. JAXopt's {@code optimality_fun}.
 */
@FunctionalInterface
public interface Condition {
    Tensor apply(Tensor x, Tensor... theta);
}
