package org.reprolab.ode;

/** The dense output of one accepted step on [t0, t1] (package-private; users see {@link OdeSolution#y}). */
interface Interpolant<S> {
    double t0();

    double t1();

    /** Writes y(t) for t in [t0, t1] into out. */
    void eval(double t, S out);
}
