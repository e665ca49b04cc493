package org.reprolab.ode;

import org.reprolab.tensor.Tensor;

/**
 * The solver's own estimates on one accepted step of a tensor solve, as recorded (differentiable) tensors.
 *
 * @param t         the step's start
 * @param h         the step size (signed; a constant for autodiff, as the controller's choice)
 * @param error     EEst, the scaled embedded error norm the controller compares with 1
 * @param stiffness Hairer's stiffness estimate hλ = |h|·‖k_s − k_{s−1}‖ / ‖y1 − g_{s−1}‖ (an eigenvalue
 *                  estimate times |h|); null for methods without one
 */
public record StepEstimate(double t, double h, Tensor error, Tensor stiffness) {}
