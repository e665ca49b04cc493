package org.reprolab.ode.sde;

/**
 * A d-dimensional Brownian motion W on [t0, t1] with W(t0) = 0 that can be queried at any time, in any order,
 * any number of times, always giving the same values: what adaptive SDE solvers (rejected steps) and adjoints
 * (the backward pass re-queries the forward noise) need.
 */
public interface BrownianPath {
    int dim();

    double t0();

    double t1();

    /** W(t) into out (length {@link #dim()}). */
    void value(double t, double[] out);

    /** W(t) − W(s) into out. */
    default void increment(double s, double t, double[] out) {
        double[] ws = new double[dim()];
        value(s, ws);
        value(t, out);
        for (int i = 0; i < out.length; i++) out[i] -= ws[i];
    }
}
