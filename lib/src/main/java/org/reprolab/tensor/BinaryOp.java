package org.reprolab.tensor;

/**
 * Element-wise binary ops with their scalar meaning and their two partial derivatives (as tensor
 * ops, so they are differentiable again). Gradients are returned at the broadcast output shape;
 * {@link Tensor} sums them back to each operand's shape.
 */
enum BinaryOp {
    ADD("add") {
        double apply(double a, double b) { return a + b; }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) { return new Tensor[] {g, g}; }
    },
    SUB("sub") {
        double apply(double a, double b) { return a - b; }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            return new Tensor[] {g, b.requiresGrad() ? g.neg() : null};
        }
    },
    MUL("mul") {
        double apply(double a, double b) { return a * b; }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            return new Tensor[] {a.requiresGrad() ? g.mul(b) : null, b.requiresGrad() ? g.mul(a) : null};
        }
    },
    DIV("div") {
        double apply(double a, double b) { return a / b; }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor ga = g.div(b);
            return new Tensor[] {ga, b.requiresGrad() ? ga.mul(y).neg() : null};
        }
    },
    POW("pow") {
        double apply(double a, double b) { return Math.pow(a, b); }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor ga = a.requiresGrad() ? g.mul(b).mul(a.pow(b.sub(1))) : null;
            Tensor gb = b.requiresGrad() ? g.mul(y).mul(a.log()) : null;
            return new Tensor[] {ga, gb};
        }
    },
    /** Ties split the gradient evenly, as PyTorch's maximum does. */
    MAXIMUM("maximum") {
        double apply(double a, double b) { return Math.max(a, b); }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor wa = a.gt(b).add(a.eq(b).mul(0.5));
            return new Tensor[] {g.mul(wa), g.mul(wa.neg().add(1))};
        }
    },
    MINIMUM("minimum") {
        double apply(double a, double b) { return Math.min(a, b); }
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor wa = a.lt(b).add(a.eq(b).mul(0.5));
            return new Tensor[] {g.mul(wa), g.mul(wa.neg().add(1))};
        }
    },
    GT("gt") {
        double apply(double a, double b) { return a > b ? 1 : 0; }
    },
    GE("ge") {
        double apply(double a, double b) { return a >= b ? 1 : 0; }
    },
    LT("lt") {
        double apply(double a, double b) { return a < b ? 1 : 0; }
    },
    LE("le") {
        double apply(double a, double b) { return a <= b ? 1 : 0; }
    },
    EQ("eq") {
        double apply(double a, double b) { return a == b ? 1 : 0; }
    },
    NE("ne") {
        double apply(double a, double b) { return a != b ? 1 : 0; }
    };

    private final String label;

    BinaryOp(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    abstract double apply(double a, double b);

    /** Comparisons are piecewise constant: they produce masks and carry no gradient. */
    boolean differentiable() {
        return ordinal() < GT.ordinal();
    }

    Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
        return new Tensor[] {null, null};
    }
}
