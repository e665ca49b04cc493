package org.reprolab.ode.solvers;

/**
 * The right-hand side {@code dy/dt = f(t, y)} of an ODE whose state has type {@code S}. It writes
 * {@code f(t, y)} into {@code dydt} and must not keep references to either argument (the solver reuses
 * its buffers). The explicit Runge–Kutta loop ({@code ExplicitRk}) and the driver are written against
 * this interface and {@link StateOps}, so the same solvers run over any state for which a
 * {@code StateOps} exists: {@code double[]} today ({@link OdeSystem}, the fast path), device tensors later.
 *
 * @param <S> the state type
 */
@FunctionalInterface
public interface VectorField<S> {
    void eval(double t, S y, S dydt);
}
