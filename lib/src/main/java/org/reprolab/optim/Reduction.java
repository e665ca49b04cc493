package org.reprolab.optim;

import org.reprolab.tornado.ReduceOp;

/**
 * A global quantity an element-wise transformation needs before its pass: {@code op} over all
 * elements of the incoming update, the parameter or the gradient of one tensor. Per-tensor results
 * arrive in {@link Step#reduced()}; results combined over the tensors of the group (sum for sums,
 * max for maxima) in {@link Step#groupReduced()}.
 */
public record Reduction(Of of, ReduceOp op) {

    /** What is reduced. */
    public enum Of {
        /** The update entering the transformation. */
        UPDATE,
        /** The parameter before this step. */
        PARAM,
        /** The (clipped, accumulated) gradient. */
        GRAD
    }

    public Reduction {
        if (of == null || op == null) throw new IllegalArgumentException("reduction: null argument");
    }

    public static Reduction sumSquares(Of of) {
        return new Reduction(of, ReduceOp.SUM_SQUARES);
    }

    /** Combines per-tensor results over a group. */
    double combine(double a, double b) {
        return switch (op) {
            case SUM, SUM_SQUARES -> a + b;
            case MAX, MAX_ABS -> Math.max(a, b);
            case MIN -> Math.min(a, b);
        };
    }

    /** The reduction of {@code s * x} given the reduction of {@code x}, for the scaled gradient. */
    double scaled(double r, double s) {
        return switch (op) {
            case SUM -> r * s;
            case SUM_SQUARES -> r * s * s;
            case MAX_ABS -> r * Math.abs(s);
            case MAX -> s >= 0 ? r * s : Double.NaN;
            case MIN -> s >= 0 ? r * s : Double.NaN;
        };
    }
}
