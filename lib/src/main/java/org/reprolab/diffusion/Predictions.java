package org.reprolab.diffusion;

/**
 * A sampler run's model evaluations over states of type {@code S} (host arrays, {@link Run#predictions()}, or device
 * states, {@link DeviceRun#predictions()}): each call is one counted evaluation, converted to the prediction asked
 * for. The state algebra between evaluations is the solvers' {@link org.reprolab.ode.solvers.StateOps}.
 */
interface Predictions<S> {

    /** ε̂(x, t), one counted evaluation. */
    S eps(S x, double t);

    /** x̂₀(x, t), one counted evaluation. */
    S data(S x, double t);
}
