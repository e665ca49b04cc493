/**
 * Frequency-domain operators: a real fast Fourier transform with autodiff ({@link Spectral}), and
 * neural operators built on it, the FNO layer stack that transforms in every layer
 * ({@link FourierNeuralOperator1d}, Li et al., ICLR 2021) and the Transform Once model that
 * transforms once at the input and once at the output ({@link TransformOnce1d}, Poli et al., NeurIPS 2022);
 * and a small periodic 1-D PDE toolbox for physics-constrained training: finite differences
 * ({@link PeriodicDifferences}) and NeuralStagger's staggered decomposition of the grid into coarse
 * sub-grids ({@link Stagger}) with one coarse solver per sub-grid ({@link StaggeredSolver}; Huang et al., ICML 2023).
 */
package org.reprolab.spectral;
