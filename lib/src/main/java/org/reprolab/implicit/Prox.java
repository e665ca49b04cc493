package org.reprolab.implicit;

import java.util.function.UnaryOperator;
import org.reprolab.tensor.Tensor;

/**
 * A proximal operator {@code prox_{η g(·, θ)}(x)}, differentiable in {@code x} and {@code θ} (tensor
 * ops). JAXopt's {@code prox(x, hyperparams, scaling)}.
 */
@FunctionalInterface
public interface Prox {
    Tensor apply(Tensor x, double eta, Tensor... theta);

    /** g = 0. */
    static Prox none() {
        return (x, eta, theta) -> x;
    }

    /** {@code g = θ[i] ‖x‖₁}: soft thresholding at {@code η θ[i]}. */
    static Prox lasso(int thetaIndex) {
        return (x, eta, theta) -> Projections.softThreshold(x, theta[thetaIndex].mul(eta));
    }

    /** The indicator of a convex set: its prox is the projection, whatever η. */
    static Prox ofProjection(UnaryOperator<Tensor> projection) {
        return (x, eta, theta) -> projection.apply(x);
    }
}
