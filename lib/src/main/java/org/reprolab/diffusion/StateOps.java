package org.reprolab.diffusion;

/**
 * The operations a sampler loop makes on its state, so a loop is written once and runs over host arrays
 * ({@link Run#host()}) or device buffers ({@link DeviceRun#ops()}) with the same coefficients in the same order.
 * Every operation returns a new state; {@link #release} hands back states the loop no longer reads (a device
 * reuses their buffers, the host lets the GC have them).
 */
interface StateOps<S> {

    /** ε̂(x, t), one counted evaluation. */
    S eps(S x, double t);

    /** x̂₀(x, t), one counted evaluation. */
    S data(S x, double t);

    /** {@code a·x + b·y}. */
    S lin(double a, S x, double b, S y);

    /** {@code a·x + b·y + c·z}. */
    S lin(double a, S x, double b, S y, double c, S z);

    /** States the loop will not read again. */
    default void release(Object... states) {}
}
