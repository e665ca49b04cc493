package org.reprolab.tornado.expr;

import static org.reprolab.tornado.expr.Expr.c;

/**
 * Unary element-wise operations. Primitive ones map to one function on every backend (Vector API
 * lane op, OpenCL C built-in); composite ones are defined once, here, by {@link #expand}, as
 * expressions over primitives, so no backend can disagree on, say, where the epsilon of
 * {@code softplus} goes. {@link #apply} is the plain-Java double-precision meaning, written
 * independently of the expansion; tests check the two agree.
 */
public enum UnaryOp {
    NEG, ABS, SQRT, EXP, EXPM1, LOG, LOG1P, SIN, COS, TANH, FLOOR,
    /** {@code 1/sqrt(x)}. */
    RSQRT,
    /** {@code 1/x}. */
    RECIP,
    SQUARE,
    /** -1, 0 or 1 (0 for NaN). */
    SIGN,
    /** {@code 1/(1+exp(-x))}. */
    SIGMOID,
    /** {@code max(x, 0)}. */
    RELU,
    /** {@code log(1+exp(x))}, computed as {@code max(x,0) + log1p(exp(-|x|))} so it never overflows. */
    SOFTPLUS,
    /** {@code x * sigmoid(x)} (a.k.a. swish). */
    SILU;

    /** Whether every backend implements this op directly (otherwise it is {@link #expand}ed). */
    public boolean primitive() {
        return ordinal() <= FLOOR.ordinal();
    }

    /** The definition of a composite op over primitives; primitives return themselves applied to {@code x}. */
    public Expr expand(Expr x) {
        return switch (this) {
            case RSQRT -> c(1).div(x.sqrt());
            case RECIP -> c(1).div(x);
            case SQUARE -> x.mul(x);
            case SIGN -> x.gt(c(0)).sub(x.lt(c(0)));
            case SIGMOID -> c(1).div(c(1).add(x.neg().exp()));
            case RELU -> x.max(c(0));
            case SOFTPLUS -> x.max(c(0)).add(x.abs().neg().exp().log1p());
            case SILU -> x.div(c(1).add(x.neg().exp()));
            default -> new Expr.Unary(this, x);
        };
    }

    /** Reference meaning in double precision. */
    public double apply(double x) {
        return switch (this) {
            case NEG -> -x;
            case ABS -> Math.abs(x);
            case SQRT -> Math.sqrt(x);
            case EXP -> Math.exp(x);
            case EXPM1 -> Math.expm1(x);
            case LOG -> Math.log(x);
            case LOG1P -> Math.log1p(x);
            case SIN -> Math.sin(x);
            case COS -> Math.cos(x);
            case TANH -> Math.tanh(x);
            case FLOOR -> Math.floor(x);
            case RSQRT -> 1 / Math.sqrt(x);
            case RECIP -> 1 / x;
            case SQUARE -> x * x;
            case SIGN -> Double.isNaN(x) ? 0 : Math.signum(x);
            case SIGMOID -> x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
            case RELU -> x > 0 ? x : 0;
            case SOFTPLUS -> x > 30 ? x : Math.log1p(Math.exp(x));
            case SILU -> x * (x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x)));
        };
    }
}
