package org.reprolab.tensor;

import org.reprolab.tornado.expr.Expr;

/**
 * Element-wise unary ops: each constant names its device expression (what a kernel computes) and its
 * derivative written with tensor ops, side by side. Because the derivative is itself built from
 * differentiable ops, the gradient of a gradient comes for free.
 */
enum TensorUnaryOp {
    NEG("neg") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.neg(); }
    },
    EXP("exp") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y); }
    },
    LOG("log") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(x); }
    },
    LOG1P("log1p") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(x.add(1)); }
    },
    SQRT("sqrt") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(y.mul(2)); }
    },
    RSQRT("rsqrt") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.mul(y).mul(y)).mul(-0.5); }
    },
    RECIPROCAL("reciprocal") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.square()).neg(); }
    },
    SQUARE("square") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x).mul(2); }
    },
    ABS("abs") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sign()); }
    },
    SIGN("sign") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return null; }
    },
    TANH("tanh") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.square().neg().add(1)); }
    },
    SIGMOID("sigmoid") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.mul(y.neg().add(1))); }
    },
    RELU("relu") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.gt(0)); }
    },
    /** Stable form max(x,0) + log1p(exp(-|x|)) (tornado's expansion), so large |x| neither overflows nor loses digits. */
    SOFTPLUS("softplus") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sigmoid()); }
    },
    SIN("sin") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.cos()); }
    },
    COS("cos") {
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sin()).neg(); }
    },
    ERF("erf") {
        Tensor grad(Tensor x, Tensor y, Tensor g) {
            return g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI)));
        }
    };

    private final String label;

    TensorUnaryOp(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /**
     * The value as a device expression of {@code x}: the meaning lives in tornado's expression IR
     * ({@code org.reprolab.tornado.expr.UnaryOp}), so every device computes the same function. Sign of
     * NaN is 0 there (NumPy gives NaN), the one difference from the old host loops.
     */
    Expr expr(Expr x) {
        return switch (this) {
            case NEG -> x.neg();
            case EXP -> x.exp();
            case LOG -> x.log();
            case LOG1P -> x.log1p();
            case SQRT -> x.sqrt();
            case RSQRT -> x.rsqrt();
            case RECIPROCAL -> x.recip();
            case SQUARE -> x.square();
            case ABS -> x.abs();
            case SIGN -> x.sign();
            case TANH -> x.tanh();
            case SIGMOID -> x.sigmoid();
            case RELU -> x.relu();
            case SOFTPLUS -> x.softplus();
            case SIN -> x.sin();
            case COS -> x.cos();
            case ERF -> x.unary(org.reprolab.tornado.expr.UnaryOp.ERF);
        };
    }

    /** Gradient w.r.t. x given output y and upstream g; null means identically zero. */
    abstract Tensor grad(Tensor x, Tensor y, Tensor g);
}
