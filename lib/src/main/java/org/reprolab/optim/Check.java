package org.reprolab.optim;

/**
 * Conditions on arguments that no single {@link Range} states (relations between hyper-parameters,
 * bounds of collections), with messages that name the owner, e.g.
 * {@code "momentum: Nesterov momentum requires momentum > 0 and dampening = 0, got ..."}. Ranges of
 * single values are declared with {@link Range} on record components or checked with
 * {@link Range.Kind#check}.
 */
public final class Check {
    private Check() {}

    /** A general condition. */
    public static void that(boolean ok, String owner, String message) {
        if (!ok) throw new IllegalArgumentException(owner + ": " + message);
    }
}
