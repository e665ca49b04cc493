/**
 * Gaussian-process solvers of linear PDEs: stationary kernels with their derivative kernels in closed
 * form, and collocation (the "kernel differentiation trick": a linear operator applied to a GP is again
 * a GP, so boundary values and the PDE's right-hand side at collocation points are jointly Gaussian
 * observations of u). Spectral-mixture kernels are the prior of GP-HM (Fang et al., <i>Solving
 * high-frequency and multi-scale PDEs with Gaussian processes</i>, ICLR 2024), an RBF kernel is its
 * one-component, zero-frequency special case.
 */
package org.reprolab.gp;
