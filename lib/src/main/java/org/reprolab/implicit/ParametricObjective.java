package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/** A scalar objective {@code f(x, θ)} written with tensor ops (differentiable in both, twice for implicit gradients). */
@FunctionalInterface
public interface ParametricObjective {
    Tensor apply(Tensor x, Tensor... theta);
}
