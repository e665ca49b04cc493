package org.reprolab.ode.solvers;

/**
 * The Jacobian {@code J[i][j] = ∂f_i/∂y_j} of an {@link OdeSystem}, for the stiff (Rosenbrock) solvers.
 * Write every entry of {@code jac} (it is not cleared between calls). Without one, the solver uses
 * forward finite differences (n extra evaluations of f per Jacobian, counted in {@code nfev}).
 */
@FunctionalInterface
public interface JacobianFunction {
    void eval(double t, double[] y, double[][] jac);
}
