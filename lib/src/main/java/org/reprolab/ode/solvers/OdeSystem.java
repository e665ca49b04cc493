package org.reprolab.ode.solvers;

/**
 * The fast path: an ODE {@code dy/dt = f(t, y)} over a plain {@code double[]} state. Write
 * {@code f(t, y)} into {@code dydt} (same length as {@code y}); do not keep the arrays.
 *
 * <pre>{@code
 * OdeSystem decay = (t, y, dy) -> dy[0] = -0.5 * y[0];
 * }</pre>
 */
@FunctionalInterface
public interface OdeSystem extends VectorField<double[]> {
    @Override
    void eval(double t, double[] y, double[] dydt);
}
