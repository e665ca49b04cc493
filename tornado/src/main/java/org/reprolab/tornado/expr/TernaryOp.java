package org.reprolab.tornado.expr;

/** Ternary element-wise operations. */
public enum TernaryOp {
    /** {@code a != 0 ? b : c}. */
    WHERE,
    /** {@code a * b + c} with one rounding. */
    FMA,
    /** {@code min(max(a, b), c)}: clamp {@code a} into {@code [b, c]}. */
    CLAMP;

    public boolean primitive() {
        return this != CLAMP;
    }

    public Expr expand(Expr a, Expr b, Expr c) {
        return switch (this) {
            case CLAMP -> a.max(b).min(c);
            default -> new Expr.Ternary(this, a, b, c);
        };
    }

    /** Reference meaning in double precision. */
    public double apply(double a, double b, double c) {
        return switch (this) {
            case WHERE -> a != 0 ? b : c;
            case FMA -> Math.fma(a, b, c);
            case CLAMP -> Math.min(Math.max(a, b), c);
        };
    }
}
