package org.reprolab.ode.solvers;

/**
 * Hairer's initial step size (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>, §II.4, algorithm of
 * p. 169), as scipy {@code _ivp/common.py} {@code select_initial_step}: one extra evaluation of f.
 */
public final class InitialStep {
    private InitialStep() {}

    /** |h0| for a method whose step control has order k (error-estimator order + 1). */
    public static <S> double hairer(VectorField<S> f, StateOps<S> ops, double t0, S y0, S f0, double direction, int k,
                             double rtol, double atol, Counters count) {
        if (ops.size(y0) == 0) return Double.POSITIVE_INFINITY;
        double d0 = ops.scaledRms(y0, y0, atol, rtol);
        double d1 = ops.scaledRms(f0, y0, atol, rtol);
        double h0 = (d0 < 1e-5 || d1 < 1e-5) ? 1e-6 : 0.01 * d0 / d1;
        S y1 = ops.like(y0);
        S[] v = ExplicitRk.newArray0(y0, 1);
        v[0] = f0;
        ops.combine(y1, y0, h0 * direction, new double[]{1}, v, 1);
        S f1 = ops.like(y0);
        f.eval(t0 + h0 * direction, y1, f1);
        count.nfev++;
        double d2 = ops.scaledRmsDiff(f1, f0, y0, atol, rtol) / h0;
        double h1 = (d1 <= 1e-15 && d2 <= 1e-15) ? Math.max(1e-6, h0 * 1e-3) : Math.pow(0.01 / Math.max(d1, d2), 1.0 / k);
        return Math.min(100 * h0, h1);
    }
}
