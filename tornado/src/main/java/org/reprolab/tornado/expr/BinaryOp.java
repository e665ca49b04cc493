package org.reprolab.tornado.expr;

/**
 * Binary element-wise operations, all primitive. Comparisons yield 1 or 0 in the kernel's dtype so
 * they compose with arithmetic and with {@link TernaryOp#WHERE}. {@code MAX}/{@code MIN} follow
 * {@link Math#max}: a NaN operand gives NaN on the JVM; OpenCL's {@code fmax} returns the other
 * operand, the one documented difference between backends.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, MAX, MIN, POW, LT, LE, GT, GE, EQ, NE;

    /** Reference meaning in double precision. */
    public double apply(double a, double b) {
        return switch (this) {
            case ADD -> a + b;
            case SUB -> a - b;
            case MUL -> a * b;
            case DIV -> a / b;
            case MAX -> Math.max(a, b);
            case MIN -> Math.min(a, b);
            case POW -> Math.pow(a, b);
            case LT -> a < b ? 1 : 0;
            case LE -> a <= b ? 1 : 0;
            case GT -> a > b ? 1 : 0;
            case GE -> a >= b ? 1 : 0;
            case EQ -> a == b ? 1 : 0;
            case NE -> a != b ? 1 : 0;
        };
    }

    /** Whether the result is 0/1. */
    public boolean comparison() {
        return ordinal() >= LT.ordinal();
    }
}
