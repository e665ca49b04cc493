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
    /** The error function (OpenCL C {@code erf}; on the jvm device the series of {@link #erf}). */
    ERF,
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
        return ordinal() <= ERF.ordinal();
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
            case ERF -> erf(x);
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

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /**
     * The error function to about 1e-16, from the all-positive series
     * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)) (Abramowitz and Stegun 7.1.6),
     * which has no cancellation; |x| >= 6 rounds to +-1 in double precision. The JDK has no erf and
     * the Vector API no lane form, so the jvm device runs this per element.
     */
    public static double erf(double x) {
        if (Double.isNaN(x)) return x;
        double ax = Math.abs(x);
        if (ax >= 6) return Math.signum(x);
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 0; n < 500; n++) {
            term *= 2 * x2 / (2 * n + 3);
            sum += term;
            if (term < 1e-17 * sum) break;
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        return Math.copySign(Math.min(r, 1.0), x);
    }
}
