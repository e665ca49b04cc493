package org.reprolab.ode;

/** Why a solve ended normally. Failures are exceptions ({@link OdeException}), never a result. */
public sealed interface Termination {
    /** Reached the end time. */
    record Completed() implements Termination {}

    /** A terminal event fired; the solution ends at its time. */
    record StoppedByEvent(EventHit hit) implements Termination {}
}
