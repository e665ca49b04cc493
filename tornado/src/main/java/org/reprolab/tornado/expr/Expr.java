package org.reprolab.tornado.expr;

/**
 * An element-wise expression: the one place a kernel's meaning is written. A tree (or DAG, when a
 * subexpression is reused) of records over kernel inputs, scalar parameters and constants, which
 * {@link KernelSchedule} lowers once and each backend renders (JVM Vector API lanes, OpenCL C source).
 * This is the "tiny element-wise expression IR" of acceleration.md §3.3; it makes user-defined update
 * rules data rather than bytecode, which also suits JShell notebooks.
 *
 * <p>Records give structural equality, so equal subtrees are computed once per element.
 *
 * <pre>{@code
 * // SGD with momentum, one pass: inputs p, g, buf; params lr, mu; outputs p', buf'
 * Expr p = in(0), g = in(1), buf = in(2);
 * Expr buf1 = param(1).mul(buf).add(g);
 * var k = ElementwiseKernel.of("sgd_momentum", 3, 2, p.sub(param(0).mul(buf1)), buf1);
 * }</pre>
 */
public sealed interface Expr {

    /** Kernel input number {@code index} at the current element. */
    record In(int index) implements Expr {
        public In {
            if (index < 0) throw new IllegalArgumentException("input index < 0: " + index);
        }
    }

    /** Scalar parameter number {@code index}, the same for every element, changeable between launches. */
    record Param(int index) implements Expr {
        public Param {
            if (index < 0) throw new IllegalArgumentException("param index < 0: " + index);
        }
    }

    /** A literal, rounded to the kernel's dtype. */
    record Const(double value) implements Expr {}

    record Unary(UnaryOp op, Expr x) implements Expr {}

    record Binary(BinaryOp op, Expr a, Expr b) implements Expr {}

    record Ternary(TernaryOp op, Expr a, Expr b, Expr c) implements Expr {}

    // ---- leaves ------------------------------------------------------------------------------------

    static Expr in(int index) {
        return new In(index);
    }

    static Expr param(int index) {
        return new Param(index);
    }

    static Expr c(double value) {
        return new Const(value);
    }

    // ---- builders -----------------------------------------------------------------------------------

    default Expr unary(UnaryOp op) {
        return new Unary(op, this);
    }

    default Expr binary(BinaryOp op, Expr o) {
        return new Binary(op, this, o);
    }

    default Expr add(Expr o) { return binary(BinaryOp.ADD, o); }
    default Expr sub(Expr o) { return binary(BinaryOp.SUB, o); }
    default Expr mul(Expr o) { return binary(BinaryOp.MUL, o); }
    default Expr div(Expr o) { return binary(BinaryOp.DIV, o); }
    default Expr max(Expr o) { return binary(BinaryOp.MAX, o); }
    default Expr min(Expr o) { return binary(BinaryOp.MIN, o); }
    default Expr pow(Expr o) { return binary(BinaryOp.POW, o); }
    default Expr lt(Expr o) { return binary(BinaryOp.LT, o); }
    default Expr le(Expr o) { return binary(BinaryOp.LE, o); }
    default Expr gt(Expr o) { return binary(BinaryOp.GT, o); }
    default Expr ge(Expr o) { return binary(BinaryOp.GE, o); }
    default Expr eq(Expr o) { return binary(BinaryOp.EQ, o); }
    default Expr ne(Expr o) { return binary(BinaryOp.NE, o); }

    default Expr add(double v) { return add(c(v)); }
    default Expr sub(double v) { return sub(c(v)); }
    default Expr mul(double v) { return mul(c(v)); }
    default Expr div(double v) { return div(c(v)); }
    default Expr max(double v) { return max(c(v)); }
    default Expr min(double v) { return min(c(v)); }
    default Expr pow(double v) { return pow(c(v)); }

    default Expr neg() { return unary(UnaryOp.NEG); }
    default Expr abs() { return unary(UnaryOp.ABS); }
    default Expr sqrt() { return unary(UnaryOp.SQRT); }
    default Expr rsqrt() { return unary(UnaryOp.RSQRT); }
    default Expr recip() { return unary(UnaryOp.RECIP); }
    default Expr square() { return unary(UnaryOp.SQUARE); }
    default Expr exp() { return unary(UnaryOp.EXP); }
    default Expr expm1() { return unary(UnaryOp.EXPM1); }
    default Expr log() { return unary(UnaryOp.LOG); }
    default Expr log1p() { return unary(UnaryOp.LOG1P); }
    default Expr sin() { return unary(UnaryOp.SIN); }
    default Expr cos() { return unary(UnaryOp.COS); }
    default Expr tanh() { return unary(UnaryOp.TANH); }
    default Expr floor() { return unary(UnaryOp.FLOOR); }
    default Expr sign() { return unary(UnaryOp.SIGN); }
    default Expr sigmoid() { return unary(UnaryOp.SIGMOID); }
    default Expr relu() { return unary(UnaryOp.RELU); }
    default Expr softplus() { return unary(UnaryOp.SOFTPLUS); }
    default Expr silu() { return unary(UnaryOp.SILU); }

    /** {@code this != 0 ? ifTrue : ifFalse}. */
    default Expr where(Expr ifTrue, Expr ifFalse) {
        return new Ternary(TernaryOp.WHERE, this, ifTrue, ifFalse);
    }

    /** {@code this * b + c}, fused. */
    default Expr fma(Expr b, Expr c) {
        return new Ternary(TernaryOp.FMA, this, b, c);
    }

    default Expr clamp(Expr lo, Expr hi) {
        return new Ternary(TernaryOp.CLAMP, this, lo, hi);
    }

    default Expr clamp(double lo, double hi) {
        return clamp(c(lo), c(hi));
    }

    // ---- reference semantics ------------------------------------------------------------------------

    /**
     * Evaluates this expression in double precision with plain Java math: the test oracle for every
     * backend. Composite ops use their direct formula, not their expansion.
     */
    default double eval(double[] inputs, double[] params) {
        return switch (this) {
            case In i -> inputs[i.index()];
            case Param p -> params[p.index()];
            case Const k -> k.value();
            case Unary u -> u.op().apply(u.x().eval(inputs, params));
            case Binary b -> b.op().apply(b.a().eval(inputs, params), b.b().eval(inputs, params));
            case Ternary t -> t.op().apply(t.a().eval(inputs, params), t.b().eval(inputs, params), t.c().eval(inputs, params));
        };
    }
}
