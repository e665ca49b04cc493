package org.reprolab.ode.solvers;

/** How a method interpolates inside an accepted step (its dense output). */
public sealed interface Interpolation {

    /** Cubic Hermite through {@code y0, y1, f(t0,y0), f(t1,y1)}: 3rd order, no extra evaluation. */
    record Hermite() implements Interpolation {}

    /**
     * {@code y(t0 + θh) = y0 + h·Σ_j k_j·Σ_q p[j][q]·θ^(q+1)} over the stages plus the end-point evaluation
     * {@code k_s = f(t1, y1)}: the form of scipy's {@code RK23.P}/{@code RK45.P} and OrdinaryDiffEq's Tsit5
     * {@code r_iq} coefficients.
     */
    record StageWeights(double[][] p) implements Interpolation {}

    /** Hairer's 7th-order DOP853 extension: 3 extra evaluations per step, made only when needed. */
    record Dop853() implements Interpolation {}
}
