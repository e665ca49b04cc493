package org.reprolab.optim;

/**
 * Hyper-parameter checks with messages that name the optimizer, the parameter and the value, e.g.
 * {@code "Adam: beta1 must be in [0, 1), got 1.2"}.
 */
public final class Check {
    private Check() {}

    /** {@code 0 <= v < 1}. */
    public static double beta(String owner, String name, double v) {
        if (!(v >= 0 && v < 1)) throw bad(owner, name, "be in [0, 1)", v);
        return v;
    }

    /** {@code 0 <= v <= 1}. */
    public static double unit(String owner, String name, double v) {
        if (!(v >= 0 && v <= 1)) throw bad(owner, name, "be in [0, 1]", v);
        return v;
    }

    /** {@code v >= 0} and finite. */
    public static double nonNegative(String owner, String name, double v) {
        if (!(v >= 0) || Double.isInfinite(v)) throw bad(owner, name, "be finite and >= 0", v);
        return v;
    }

    /** {@code v > 0} and finite. */
    public static double positive(String owner, String name, double v) {
        if (!(v > 0) || Double.isInfinite(v)) throw bad(owner, name, "be finite and > 0", v);
        return v;
    }

    /** Finite. */
    public static double finite(String owner, String name, double v) {
        if (!Double.isFinite(v)) throw bad(owner, name, "be finite", v);
        return v;
    }

    /** {@code v >= 1}. */
    public static long atLeastOne(String owner, String name, long v) {
        if (v < 1) throw new IllegalArgumentException(owner + ": " + name + " must be >= 1, got " + v);
        return v;
    }

    /** A general condition. */
    public static void that(boolean ok, String owner, String message) {
        if (!ok) throw new IllegalArgumentException(owner + ": " + message);
    }

    private static IllegalArgumentException bad(String owner, String name, String what, double v) {
        return new IllegalArgumentException(owner + ": " + name + " must " + what + ", got " + v);
    }
}
