package org.reprolab.ode;

import java.util.ArrayList;
import java.util.List;

/**
 * Options of a solve, as an immutable value with withers. Defaults follow scipy's {@code solve_ivp}
 * (rtol 1e-3, atol 1e-6) and the controller defaults to PI(0.4, 0.3) ({@link StepController#pi()}); pass
 * {@link StepController#scipy()} to reproduce scipy's step sequence.
 *
 * @param rtol             relative tolerance (> 0)
 * @param atol             absolute tolerance (>= 0)
 * @param controller       step-size controller; null means {@link StepController#pi()} for adaptive methods
 * @param firstStep        initial |h|, NaN for Hairer's heuristic
 * @param maxStep          largest |h|
 * @param minStep          smallest |h| before failing with STEP_UNDERFLOW (besides 10 ulps of t)
 * @param maxSteps         most attempted steps before failing with TOO_MANY_STEPS
 * @param dense            keep the dense output of every step ({@link OdeSolution#y(double)})
 * @param events           events to locate
 * @param failOnStiffness  fail with STIFF when Hairer's stiffness test fires (explicit methods that have one)
 */
public record OdeOptions(double rtol, double atol, StepController controller, double firstStep, double maxStep,
                         double minStep, long maxSteps, boolean dense, List<Event> events, boolean failOnStiffness) {

    public OdeOptions {
        if (!(rtol > 0) || Double.isInfinite(rtol)) throw new IllegalArgumentException("rtol must be finite and > 0, got " + rtol);
        if (!(atol >= 0) || Double.isInfinite(atol)) throw new IllegalArgumentException("atol must be finite and >= 0, got " + atol);
        if (!Double.isNaN(firstStep) && !(firstStep > 0)) throw new IllegalArgumentException("firstStep must be > 0, got " + firstStep);
        if (!(maxStep > 0)) throw new IllegalArgumentException("maxStep must be > 0, got " + maxStep);
        if (!(minStep >= 0)) throw new IllegalArgumentException("minStep must be >= 0, got " + minStep);
        if (maxSteps <= 0) throw new IllegalArgumentException("maxSteps must be > 0, got " + maxSteps);
        events = List.copyOf(events);
    }

    public static OdeOptions defaults() {
        return new OdeOptions(1e-3, 1e-6, null, Double.NaN, Double.POSITIVE_INFINITY, 0, 1_000_000, false, List.of(), true);
    }

    public OdeOptions rtol(double v) { return new OdeOptions(v, atol, controller, firstStep, maxStep, minStep, maxSteps, dense, events, failOnStiffness); }

    public OdeOptions atol(double v) { return new OdeOptions(rtol, v, controller, firstStep, maxStep, minStep, maxSteps, dense, events, failOnStiffness); }

    /** Sets both tolerances. */
    public OdeOptions tol(double rtol, double atol) { return rtol(rtol).atol(atol); }

    public OdeOptions controller(StepController v) { return new OdeOptions(rtol, atol, v, firstStep, maxStep, minStep, maxSteps, dense, events, failOnStiffness); }

    public OdeOptions firstStep(double v) { return new OdeOptions(rtol, atol, controller, v, maxStep, minStep, maxSteps, dense, events, failOnStiffness); }

    public OdeOptions maxStep(double v) { return new OdeOptions(rtol, atol, controller, firstStep, v, minStep, maxSteps, dense, events, failOnStiffness); }

    public OdeOptions minStep(double v) { return new OdeOptions(rtol, atol, controller, firstStep, maxStep, v, maxSteps, dense, events, failOnStiffness); }

    public OdeOptions maxSteps(long v) { return new OdeOptions(rtol, atol, controller, firstStep, maxStep, minStep, v, dense, events, failOnStiffness); }

    public OdeOptions dense(boolean v) { return new OdeOptions(rtol, atol, controller, firstStep, maxStep, minStep, maxSteps, v, events, failOnStiffness); }

    public OdeOptions failOnStiffness(boolean v) { return new OdeOptions(rtol, atol, controller, firstStep, maxStep, minStep, maxSteps, dense, events, v); }

    /** Adds an event. */
    public OdeOptions event(Event e) {
        List<Event> all = new ArrayList<>(events);
        all.add(e);
        return new OdeOptions(rtol, atol, controller, firstStep, maxStep, minStep, maxSteps, dense, all, failOnStiffness);
    }
}
