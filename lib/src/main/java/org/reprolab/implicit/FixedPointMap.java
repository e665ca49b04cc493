package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/** A map {@code T(x, θ)} shaped like {@code x} whose fixed point {@code x = T(x, θ)} is sought; tensor ops only. */
@FunctionalInterface
public interface FixedPointMap {
    Tensor apply(Tensor x, Tensor... theta);

    /** The root form {@code F(x, θ) = T(x, θ) − x} (JAXopt's {@code custom_fixed_point} is exactly this). */
    default Condition asCondition() {
        return (x, theta) -> apply(x, theta).sub(x);
    }
}
