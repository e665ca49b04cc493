package org.reprolab.ode;

import java.util.Locale;

/**
 * A solve that could not produce a trustworthy answer. It names the solver, the time and the step size at
 * failure, and why; the solver never returns a silently wrong state instead.
 */
public final class OdeException extends RuntimeException {

    /** Why a solve failed. */
    public enum Reason {
        /** The step fell below 10 ulps of t (scipy's criterion) or below the user's minimum step. */
        STEP_UNDERFLOW,
        /** NaN or infinity in the initial state, or in a state that step-size reduction could not avoid. */
        NON_FINITE,
        /** More attempted steps than the options allow. */
        TOO_MANY_STEPS,
        /** Hairer's test says the problem is stiff for this explicit method; use a stiff method. */
        STIFF,
        /** The linear system of an implicit stage was singular at every step size tried. */
        SINGULAR,
        /** The thread was interrupted (the interrupt flag is set again before this is thrown). */
        INTERRUPTED
    }

    private final Reason reason;
    private final String solver;
    private final double t;
    private final double h;

    public OdeException(Reason reason, String solver, double t, double h, String detail) {
        super(String.format(Locale.ROOT, "%s failed at t=%.17g with step h=%.6g: %s (%s)", solver, t, h, detail, reason));
        this.reason = reason;
        this.solver = solver;
        this.t = t;
        this.h = h;
    }

    public Reason reason() { return reason; }

    public String solver() { return solver; }

    public double t() { return t; }

    public double h() { return h; }
}
