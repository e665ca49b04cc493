package org.reprolab.tensor;

/**
 * Element-wise unary ops: each constant holds its scalar meaning (what a kernel computes) and its
 * derivative written with tensor ops, side by side. Because the derivative is itself built from
 * differentiable ops, the gradient of a gradient comes for free.
 */
enum UnaryOp {
    NEG("neg", 1) {
        double apply(double x) { return -x; }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.neg(); }
    },
    EXP("exp", 8) {
        double apply(double x) { return Math.exp(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y); }
    },
    LOG("log", 8) {
        double apply(double x) { return Math.log(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(x); }
    },
    LOG1P("log1p", 8) {
        double apply(double x) { return Math.log1p(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(x.add(1)); }
    },
    SQRT("sqrt", 4) {
        double apply(double x) { return Math.sqrt(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.div(y.mul(2)); }
    },
    RSQRT("rsqrt", 4) {
        double apply(double x) { return 1 / Math.sqrt(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.mul(y).mul(y)).mul(-0.5); }
    },
    RECIPROCAL("reciprocal", 2) {
        double apply(double x) { return 1 / x; }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.square()).neg(); }
    },
    SQUARE("square", 1) {
        double apply(double x) { return x * x; }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x).mul(2); }
    },
    ABS("abs", 1) {
        double apply(double x) { return Math.abs(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sign()); }
    },
    SIGN("sign", 1) {
        double apply(double x) { return Math.signum(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return null; }
    },
    TANH("tanh", 10) {
        double apply(double x) { return Math.tanh(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.square().neg().add(1)); }
    },
    SIGMOID("sigmoid", 10) {
        double apply(double x) {
            if (x >= 0) {
                return 1 / (1 + Math.exp(-x));
            }
            double e = Math.exp(x);
            return e / (1 + e);
        }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(y.mul(y.neg().add(1))); }
    },
    RELU("relu", 1) {
        double apply(double x) { return x > 0 ? x : 0; }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.gt(0)); }
    },
    /** Stable form max(x,0) + log1p(exp(-|x|)), so large |x| neither overflows nor loses digits. */
    SOFTPLUS("softplus", 10) {
        double apply(double x) { return Math.max(x, 0) + Math.log1p(Math.exp(-Math.abs(x))); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sigmoid()); }
    },
    SIN("sin", 8) {
        double apply(double x) { return Math.sin(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.cos()); }
    },
    COS("cos", 8) {
        double apply(double x) { return Math.cos(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) { return g.mul(x.sin()).neg(); }
    },
    ERF("erf", 40) {
        double apply(double x) { return Special.erf(x); }
        Tensor grad(Tensor x, Tensor y, Tensor g) {
            return g.mul(x.square().neg().exp().mul(2 / Math.sqrt(Math.PI)));
        }
    };

    private final String label;
    private final int cost;

    UnaryOp(String label, int cost) {
        this.label = label;
        this.cost = cost;
    }

    String label() {
        return label;
    }

    /** Rough cost in additions, used to decide when a kernel is worth splitting across threads. */
    int cost() {
        return cost;
    }

    abstract double apply(double x);

    /** Gradient w.r.t. x given output y and upstream g; null means identically zero. */
    abstract Tensor grad(Tensor x, Tensor y, Tensor g);
}
