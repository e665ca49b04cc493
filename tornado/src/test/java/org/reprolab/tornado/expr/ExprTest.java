package org.reprolab.tornado.expr;

import static org.junit.jupiter.api.Assertions.*;
import static org.reprolab.tornado.expr.Expr.c;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import org.junit.jupiter.api.Test;

class ExprTest {

    /** The expansion of each composite op (what backends run) agrees with its direct formula (the oracle). */
    @Test
    void compositeExpansionsMatchTheirDefinitions() {
        for (UnaryOp op : UnaryOp.values()) {
            if (op.primitive()) continue;
            Expr expanded = op.expand(in(0));
            for (double x : new double[] {-40, -3.5, -1, -1e-3, 0, 1e-3, 0.5, 2, 40}) {
                if ((op == UnaryOp.RSQRT) && x <= 0) continue;
                if (op == UnaryOp.RECIP && x == 0) continue;
                double want = op.apply(x), got = expanded.eval(new double[] {x}, new double[0]);
                assertEquals(want, got, 1e-14 * Math.max(1, Math.abs(want)), op + " at " + x);
            }
        }
        Expr clamp = TernaryOp.CLAMP.expand(in(0), c(-1), c(2));
        assertEquals(2, clamp.eval(new double[] {5}, null));
        assertEquals(-1, clamp.eval(new double[] {-5}, null));
        assertEquals(0.5, clamp.eval(new double[] {0.5}, null));
    }

    @Test
    void signOfNaNIsZeroAndSoftplusNeverOverflows() {
        Expr s = UnaryOp.SIGN.expand(in(0));
        assertEquals(0, s.eval(new double[] {Double.NaN}, null));
        assertEquals(1000, UnaryOp.SOFTPLUS.expand(in(0)).eval(new double[] {1000}, null));
    }

    @Test
    void scheduleMergesEqualSubexpressionsAndMarksUniformNodes() {
        Expr x = in(0);
        Expr shared = x.mul(param(0)).exp();
        ElementwiseKernel k = ElementwiseKernel.of("k", 1, 2, shared.add(1), shared.mul(param(1).mul(2)));
        KernelSchedule s = KernelSchedule.of(k);
        long exps = s.nodes().stream().filter(e -> e instanceof Expr.Unary u && u.op() == UnaryOp.EXP).count();
        assertEquals(1, exps);
        int uniform = 0;
        for (int i = 0; i < s.size(); i++) if (s.uniform(i)) uniform++;
        assertEquals(5, uniform, "p0, 1, p1, 2, p1*2 are uniform"); // param(0), const 1, param(1), const 2, p1*2
        assertSame(s, KernelSchedule.of(ElementwiseKernel.of("k", 1, 2, shared.add(1), shared.mul(param(1).mul(2)))));
    }

    @Test
    void kernelsRejectOutOfRangeInputsAndParams() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernel.of("k", 1, 0, in(1)));
        assertTrue(e.getMessage().contains("input 1"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> ElementwiseKernel.of("k", 1, 1, in(0).add(param(3))));
        assertTrue(e.getMessage().contains("param 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ElementwiseKernel.of("bad name", 1, 0, in(0)));
    }
}
