package org.reprolab.ode;

/** Mutable work counters shared by a stepper and the driver during one solve. */
final class Counters {
    long nfev, njev, nlu;
}
