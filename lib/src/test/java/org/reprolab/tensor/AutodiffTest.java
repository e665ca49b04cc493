package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/** The autodiff engine and the functional transforms against closed forms. */
class AutodiffTest {

    private static final double EPS = 1e-12;

    @Test
    void tapeCountsRecordedOpsAndTheElementsTheyHold() {
        Tensor a = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor b = a.mul(a);                              // one op holding a (3 elements, once)
        Tensor c = b.mul(a);                              // one op holding b (3 elements) and a (counted already)
        assertEquals(new Autodiff.Tape(2, 6), Autodiff.tape(c));
        assertEquals(new Autodiff.Tape(1, 3), Autodiff.tape(b));
        assertEquals(new Autodiff.Tape(0, 0), Autodiff.tape(a));
        try (var _ = Autodiff.noGrad()) {
            assertEquals(new Autodiff.Tape(0, 0), Autodiff.tape(a.mul(a).mul(a)));
        }
        Tensor longer = a;
        for (int i = 0; i < 10; i++) longer = longer.mul(a);   // ten ops holding a and the nine intermediate results: 3 + 9·3 elements
        assertEquals(new Autodiff.Tape(10, 30), Autodiff.tape(longer));
    }

    @Test
    void backwardAccumulatesIntoLeaves() {
        Tensor x = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor y = x.square().sum();
        y.backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
        x.square().sum().backward();
        assertArrayEquals(new double[] {4, 8, 12}, x.grad().toDoubleArray(), "accumulates like PyTorch");
        x.zeroGrad();
        assertNull(x.grad());
        // a tensor used twice gets both contributions; a leaf grad is dense even when the rule returns a view
        Tensor w = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2).requiresGrad(true);
        w.mul(w).sum().add(w.sum()).backward();
        assertArrayEquals(new double[] {3, 5, 7, 9}, w.grad().toDoubleArray());
        Tensor b = Tensor.zeros(3).requiresGrad(true);
        Tensor.ones(4, 3).add(b).sum().backward();
        assertArrayEquals(new double[] {4, 4, 4}, b.grad().f64Array());
    }

    @Test
    void gradOfGradClosedForm() {
        Function<Tensor, Tensor> f = x -> x.pow(3).sum();
        Tensor x0 = Tensor.of(1, -2, 0.5);
        assertArrayEquals(new double[] {3, 12, 0.75}, Autodiff.grad(f, x0).toDoubleArray(), EPS);
        // d/dx sum(3x^2) = 6x, by nesting the transform
        Tensor second = Autodiff.grad(x -> Autodiff.grad(f, x).sum(), x0);
        assertArrayEquals(new double[] {6, -12, 3}, second.toDoubleArray(), EPS);
        // third order: d^3/dx^3 x^3 = 6
        Tensor third = Autodiff.grad(x -> Autodiff.grad(y -> Autodiff.grad(f, y).sum(), x).sum(), x0);
        assertArrayEquals(new double[] {6, 6, 6}, third.toDoubleArray(), EPS);
        // the same with the tensor-level API and createGraph
        Tensor x = x0.detach().requiresGrad(true);
        Tensor g = Autodiff.grad(x.tanh().sum(), List.of(x), null, true).getFirst();
        Tensor gg = Autodiff.grad(g.sum(), List.of(x), null, false).getFirst();
        double[] xv = x0.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double t = Math.tanh(xv[i]);
            assertEquals(-2 * t * (1 - t * t), gg.toDoubleArray()[i], EPS);
        }
    }

    @Test
    void hvpOfQuadraticForm() {
        Tensor a = Tensor.of(new double[][] {{2, 1, 0}, {3, 4, 1}, {0, -1, 5}});
        Function<Tensor, Tensor> f = x -> x.matmul(a.matmul(x));
        Tensor v = Tensor.of(1, -1, 2);
        Tensor hv = Autodiff.hvp(f, Tensor.of(0.3, 0.1, -0.7), v);
        // H = A + A^T
        Tensor expected = a.add(a.t()).matmul(v);
        assertArrayEquals(expected.toDoubleArray(), hv.toDoubleArray(), EPS);
        Tensor h = Autodiff.hessian(f, Tensor.of(0.3, 0.1, -0.7));
        assertArrayEquals(a.add(a.t()).toDoubleArray(), h.toDoubleArray(), EPS);
    }

    @Test
    void jacobianJvpVjpAgree() {
        Function<Tensor, Tensor> f = x -> Tensor.stack(0, x.select(0, 0).mul(x.select(0, 1)), x.select(0, 0).sin(),
                x.sum().exp());
        Tensor x = Tensor.of(0.5, -1.5);
        Tensor j = Autodiff.jacobian(f, x);
        assertArrayEquals(new int[] {3, 2}, j.shape());
        double e = Math.exp(-1.0);
        assertArrayEquals(new double[] {-1.5, 0.5, Math.cos(0.5), 0, e, e}, j.toDoubleArray(), EPS);
        Tensor v = Tensor.of(2, 3);
        Autodiff.Jvp jv = Autodiff.jvp(f, x, v);
        assertArrayEquals(j.matmul(v).toDoubleArray(), jv.jvp().toDoubleArray(), EPS);
        assertArrayEquals(f.apply(x).toDoubleArray(), jv.value().toDoubleArray(), EPS);
        Tensor u = Tensor.of(1, -1, 0.5);
        assertArrayEquals(u.matmul(j).toDoubleArray(), Autodiff.vjp(f, x, u).vjp().toDoubleArray(), EPS);
    }

    @Test
    void severalArguments() {
        Autodiff.ValueAndGrads r = Autodiff.valueAndGradAll(xs -> xs[0].mul(xs[1]).sum().add(xs[1].square().sum()),
                Tensor.of(1, 2), Tensor.of(3, 4));
        assertEquals(1 * 3 + 2 * 4 + 9 + 16, r.value().item(), EPS);
        assertArrayEquals(new double[] {3, 4}, r.grads().get(0).toDoubleArray());
        assertArrayEquals(new double[] {1 + 6, 2 + 8}, r.grads().get(1).toDoubleArray());
        // an argument the output ignores gets zeros
        List<Tensor> g = Autodiff.gradAll(xs -> xs[0].sum(), Tensor.of(1, 2), Tensor.of(3));
        assertArrayEquals(new double[] {0}, g.get(1).toDoubleArray());
        Autodiff.ValueAndGrad vg = Autodiff.valueAndGrad(x -> x.exp().sum(), Tensor.of(0.0));
        assertEquals(1, vg.value().item(), EPS);
        assertFalse(vg.grad().requiresGrad(), "a top-level transform returns plain values");
    }

    @Test
    void severalArgumentVjpAndJvp() {
        Autodiff.MultiFunction f = xs -> xs[0].mul(xs[1].sin()).add(xs[1].square());
        Tensor a = Tensor.of(0.5, -1.0);
        Tensor b = Tensor.of(2.0, 0.3);
        Tensor v = Tensor.of(1.0, 3.0);
        Autodiff.VjpAll r = Autodiff.vjpAll(f, new Tensor[] {a, b}, v);
        assertArrayEquals(v.mul(b.sin()).toDoubleArray(), r.vjps().get(0).toDoubleArray(), EPS);
        assertArrayEquals(v.mul(a.mul(b.cos()).add(b.mul(2))).toDoubleArray(), r.vjps().get(1).toDoubleArray(), EPS);
        Tensor da = Tensor.of(1.0, 0.0);
        Tensor db = Tensor.of(-1.0, 2.0);
        Autodiff.JvpAll j = Autodiff.jvpAll(f, new Tensor[] {a, b}, new Tensor[] {da, db});
        Tensor expected = da.mul(b.sin()).add(db.mul(a.mul(b.cos()).add(b.mul(2))));
        assertTrue(expected.allClose(j.jvp(), 1e-12, 1e-12), j.jvp().toString());
        assertTrue(f.apply(a, b).allClose(j.value(), 0, 0));
        assertFalse(Tensor.of(1, 2).allClose(Tensor.of(1, 2.1), 1e-3, 1e-3));
    }

    @Test
    void noGradAndDetach() {
        Tensor x = Tensor.of(1, 2).requiresGrad(true);
        try (var _ = Autodiff.noGrad()) {
            assertFalse(x.mul(2).requiresGrad());
            assertFalse(Autodiff.isGradEnabled());
        }
        assertTrue(Autodiff.isGradEnabled());
        assertTrue(x.mul(2).requiresGrad());
        assertFalse(x.mul(2).detach().requiresGrad());
        // gradient does not flow through a detached branch
        Tensor y = x.mul(x.detach()).sum();
        y.backward();
        assertArrayEquals(new double[] {1, 2}, x.grad().toDoubleArray());
        // in-place update inside noGrad, the optimizer pattern
        try (var _ = Autodiff.noGrad()) {
            x.addInPlace(x.grad(), -0.5);
        }
        assertArrayEquals(new double[] {0.5, 1}, x.toDoubleArray());
        assertTrue(x.isLeaf() && x.requiresGrad());
    }

    @Test
    void backwardWithCreateGraphGivesDifferentiableGrads() {
        Tensor x = Tensor.of(2.0).requiresGrad(true);
        x.pow(4).sum().backward(Tensor.scalar(1), true);
        Tensor g = x.grad(); // 4x^3 = 32
        assertEquals(32, g.item(), EPS);
        assertTrue(g.requiresGrad());
        x.zeroGrad();
        g.sum().backward();
        assertEquals(48, x.grad().item(), EPS); // 12 x^2
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = Tensor.of(0.1).requiresGrad(true);
        Tensor y = x;
        for (int i = 0; i < 20_000; i++) {
            y = y.mul(1.0001);
        }
        y.sum().backward();
        assertEquals(Math.pow(1.0001, 20_000), x.grad().item(), 1e-9);
    }

    @Test
    void linearizeIsTheFirstOrderTaylorModelAndDifferentiable() {
        // f(x) = (x0², x0·x1, sin x1); J at (1, 2) = [[2, 0], [2, 1], [0, cos 2]]
        Function<Tensor, Tensor> f = x -> Tensor.stack(0, x.select(0, 0).square(), x.select(0, 0).mul(x.select(0, 1)), x.select(0, 1).sin());
        Tensor x0 = Tensor.of(1.0, 2.0);
        Function<Tensor, Tensor> lin = Autodiff.linearize(f, x0);
        Tensor x = Tensor.of(1.5, -1.0);
        double d0 = 0.5, d1 = -3;
        assertArrayEquals(new double[] {1 + 2 * d0, 2 + 2 * d0 + d1, Math.sin(2) + Math.cos(2) * d1}, lin.apply(x).toDoubleArray(), EPS);
        assertArrayEquals(f.apply(x0).toDoubleArray(), lin.apply(x0).toDoubleArray(), EPS);
        // its gradient is the Jacobian at x0 wherever it is taken: d(sum lin)/dx = column sums of J(x0)
        assertArrayEquals(new double[] {4, 1 + Math.cos(2)}, Autodiff.grad(z -> lin.apply(z).sum(), x).toDoubleArray(), EPS);
        // a linear function is its own linearization
        Tensor a = Tensor.of(new double[] {1, -2, 0.5, 3}, 2, 2);
        assertArrayEquals(a.matmul(x).toDoubleArray(), Autodiff.linearize(z -> a.matmul(z), x0).apply(x).toDoubleArray(), EPS);
        // the expansion point is a copy: changing the tensor later does not move it
        Tensor moving = Tensor.of(1.0, 2.0);
        Function<Tensor, Tensor> frozen = Autodiff.linearize(f, moving);
        moving.assign(Tensor.of(5.0, 5.0));
        assertArrayEquals(lin.apply(x).toDoubleArray(), frozen.apply(x).toDoubleArray(), EPS);
        var wrong = org.junit.jupiter.api.Assertions.assertThrows(ShapeException.class, () -> lin.apply(Tensor.of(1.0, 2.0, 3.0)));
        assertTrue(wrong.getMessage().contains("[3]") && wrong.getMessage().contains("[2]"), wrong.getMessage());
    }
}
