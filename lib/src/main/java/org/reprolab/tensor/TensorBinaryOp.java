package org.reprolab.tensor;

/**
 * Element-wise binary ops with their device operation and their two partial derivatives (as tensor
 * ops, so they are differentiable again). Gradients are returned at the broadcast output shape;
 * {@link Tensor} sums them back to each operand's shape.
 */
enum TensorBinaryOp {
    ADD("add") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) { return new Tensor[] {g, g}; }
    },
    SUB("sub") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            return new Tensor[] {g, b.requiresGrad() ? g.neg() : null};
        }
    },
    MUL("mul") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            return new Tensor[] {a.requiresGrad() ? g.mul(b) : null, b.requiresGrad() ? g.mul(a) : null};
        }
    },
    DIV("div") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor ga = g.div(b);
            return new Tensor[] {ga, b.requiresGrad() ? ga.mul(y).neg() : null};
        }
    },
    POW("pow") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor ga = a.requiresGrad() ? g.mul(b).mul(a.pow(b.sub(1))) : null;
            Tensor gb = b.requiresGrad() ? g.mul(y).mul(a.log()) : null;
            return new Tensor[] {ga, gb};
        }
    },
    /** Ties split the gradient evenly, as PyTorch's maximum does. */
    MAXIMUM("maximum") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor wa = a.gt(b).add(a.eq(b).mul(0.5));
            return new Tensor[] {g.mul(wa), g.mul(wa.neg().add(1))};
        }
    },
    MINIMUM("minimum") {
        Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
            Tensor wa = a.lt(b).add(a.eq(b).mul(0.5));
            return new Tensor[] {g.mul(wa), g.mul(wa.neg().add(1))};
        }
    },
    GT("gt"),
    GE("ge"),
    LT("lt"),
    LE("le"),
    EQ("eq"),
    NE("ne");

    private final String label;

    TensorBinaryOp(String label) {
        this.label = label;
    }

    String label() {
        return label;
    }

    /** The device operation (tornado's expression IR holds the meaning). */
    org.reprolab.tornado.expr.BinaryOp device() {
        return switch (this) {
            case ADD -> org.reprolab.tornado.expr.BinaryOp.ADD;
            case SUB -> org.reprolab.tornado.expr.BinaryOp.SUB;
            case MUL -> org.reprolab.tornado.expr.BinaryOp.MUL;
            case DIV -> org.reprolab.tornado.expr.BinaryOp.DIV;
            case POW -> org.reprolab.tornado.expr.BinaryOp.POW;
            case MAXIMUM -> org.reprolab.tornado.expr.BinaryOp.MAX;
            case MINIMUM -> org.reprolab.tornado.expr.BinaryOp.MIN;
            case GT -> org.reprolab.tornado.expr.BinaryOp.GT;
            case GE -> org.reprolab.tornado.expr.BinaryOp.GE;
            case LT -> org.reprolab.tornado.expr.BinaryOp.LT;
            case LE -> org.reprolab.tornado.expr.BinaryOp.LE;
            case EQ -> org.reprolab.tornado.expr.BinaryOp.EQ;
            case NE -> org.reprolab.tornado.expr.BinaryOp.NE;
        };
    }

    /** Comparisons are piecewise constant: they produce masks and carry no gradient. */
    boolean differentiable() {
        return ordinal() < GT.ordinal();
    }

    Tensor[] grad(Tensor a, Tensor b, Tensor y, Tensor g) {
        return new Tensor[] {null, null};
    }
}
