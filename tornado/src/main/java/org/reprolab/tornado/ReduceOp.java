package org.reprolab.tornado;

/**
 * Reductions a device runs natively. f32 inputs accumulate in blocks whose partial results are
 * combined in f64, in an order fixed by the data size (not by the thread count), so a sum is the
 * same number on every run (acceleration.md §3.6 measured a 2% difference between summation orders
 * over 16M floats).
 */
public enum ReduceOp {
    SUM,
    SUM_SQUARES,
    MAX,
    MIN,
    MAX_ABS;

    /** The result of reducing zero elements. */
    public double identity() {
        return switch (this) {
            case SUM, SUM_SQUARES, MAX_ABS -> 0.0;
            case MAX -> Double.NEGATIVE_INFINITY;
            case MIN -> Double.POSITIVE_INFINITY;
        };
    }
}
