package org.reprolab.ode.solvers;

/** The dense output of one accepted step on [t0, t1] (users see it through {@code Solution.y(double)}). */
public interface Interpolant<S> {
    double t0();

    double t1();

    /** Writes y(t) for t in [t0, t1] into out. */
    void eval(double t, S out);
}
