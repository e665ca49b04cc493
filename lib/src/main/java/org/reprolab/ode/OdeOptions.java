package org.reprolab.ode;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Everything about a solve that is neither the problem, the solver nor the step-size controller, as an
 * immutable value with withers (diffrax's {@code saveat=}, {@code adjoint=}, {@code dt0=}, {@code max_steps=},
 * {@code event=}). {@link #defaults()} is what {@link Ode#solve} uses when none is given.
 *
 * @param firstStep        initial |h|, NaN for Hairer's heuristic
 * @param maxStep          largest |h|
 * @param minStep          smallest |h| before failing with STEP_UNDERFLOW (besides 10 ulps of t)
 * @param maxSteps         most attempted steps before failing with TOO_MANY_STEPS
 * @param dense            keep the dense output of every step ({@link Solution#y(double)})
 * @param events           events to locate
 * @param failOnStiffness  fail with STIFF when Hairer's stiffness test fires (explicit methods that have one)
 * @param saveAt           the times to save the state at (monotone, from t0 to t1), or null for the default:
 *                         every accepted step of a {@code double[]} solve, start and end of a tensor solve
 * @param sensitivity      how a tensor solve is differentiated (ignored by {@code double[]} problems unless it
 *                         asks for an adjoint, which they cannot provide)
 */
public record OdeOptions(double firstStep, double maxStep, double minStep, long maxSteps, boolean dense,
                         List<Event> events, boolean failOnStiffness, double[] saveAt, Sensitivity sensitivity) {

    public OdeOptions {
        if (!Double.isNaN(firstStep) && !(firstStep > 0)) throw new IllegalArgumentException("firstStep must be > 0, got " + firstStep);
        if (!(maxStep > 0)) throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
        if (!(minStep >= 0)) throw new IllegalArgumentException("minStep must be >= 0, got " + minStep);
        if (maxSteps <= 0) throw new IllegalArgumentException("maxSteps must be > 0, got " + maxSteps);
        if (sensitivity == null) throw new IllegalArgumentException("sensitivity is null: use Sensitivity.none() or direct()");
        events = List.copyOf(events);
        if (saveAt != null) {
            saveAt = saveAt.clone();
            checkSaveTimes(saveAt);
        }
    }

    /** Hairer's first step, no step limits but a million steps, no dense output, no events, fail when stiff. */
    public static OdeOptions defaults() {
        return new OdeOptions(Double.NaN, Double.POSITIVE_INFINITY, 0, 1_000_000, false, List.of(), true, null,
                Sensitivity.direct());
    }

    public OdeOptions firstStep(double v) { return new OdeOptions(v, maxStep, minStep, maxSteps, dense, events, failOnStiffness, saveAt, sensitivity); }

    public OdeOptions maxStep(double v) { return new OdeOptions(firstStep, v, minStep, maxSteps, dense, events, failOnStiffness, saveAt, sensitivity); }

    public OdeOptions minStep(double v) { return new OdeOptions(firstStep, maxStep, v, maxSteps, dense, events, failOnStiffness, saveAt, sensitivity); }

    public OdeOptions maxSteps(long v) { return new OdeOptions(firstStep, maxStep, minStep, v, dense, events, failOnStiffness, saveAt, sensitivity); }

    public OdeOptions dense(boolean v) { return new OdeOptions(firstStep, maxStep, minStep, maxSteps, v, events, failOnStiffness, saveAt, sensitivity); }

    public OdeOptions failOnStiffness(boolean v) { return new OdeOptions(firstStep, maxStep, minStep, maxSteps, dense, events, v, saveAt, sensitivity); }

    /** Save the state at these times (ts[0] the problem's t0, the last its t1). */
    public OdeOptions saveAt(double... ts) { return new OdeOptions(firstStep, maxStep, minStep, maxSteps, dense, events, failOnStiffness, ts, sensitivity); }

    public OdeOptions sensitivity(Sensitivity v) { return new OdeOptions(firstStep, maxStep, minStep, maxSteps, dense, events, failOnStiffness, saveAt, v); }

    /** Adds an event. */
    public OdeOptions event(Event e) {
        List<Event> all = new ArrayList<>(events);
        all.add(e);
        return new OdeOptions(firstStep, maxStep, minStep, maxSteps, dense, all, failOnStiffness, saveAt, sensitivity);
    }

    /** The save times, or {@code {t0, t1}} if none were given; they must start at t0 and end at t1. */
    public double[] saveTimes(double t0, double t1) {
        if (saveAt == null) return new double[]{t0, t1};
        if (saveAt[0] != t0 || saveAt[saveAt.length - 1] != t1)
            throw new IllegalArgumentException("saveAt must start at t0=" + t0 + " and end at t1=" + t1 + ", got " + Arrays.toString(saveAt));
        return saveAt.clone();
    }

    private static void checkSaveTimes(double[] ts) {
        if (ts.length < 2) throw new IllegalArgumentException("need at least two save times (start and end), got " + Arrays.toString(ts));
        double dir = Math.signum(ts[ts.length - 1] - ts[0]);
        if (dir == 0) throw new IllegalArgumentException("the save times span no interval: " + Arrays.toString(ts));
        for (int i = 1; i < ts.length; i++)
            if (!(dir * (ts[i] - ts[i - 1]) > 0))
                throw new IllegalArgumentException("save times must be strictly monotone, got " + Arrays.toString(ts));
    }
}
