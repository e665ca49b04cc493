package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@link Autodiff#custom}: a value computed off the graph, with a hand-written rule that composes. */
class CustomRuleTest {

    /** x^3 computed on the host, with the rule 3 x^2 g written in tensor ops. */
    private static Tensor cube(Tensor x) {
        double[] v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            v[i] = v[i] * v[i] * v[i];
        }
        return Autodiff.custom("cube", Tensor.of(v, x.shape()), (g, out) -> new Tensor[] {g.mul(x.square()).mul(3)}, x);
    }

    @Test
    void firstSecondAndForwardOrder() {
        Tensor x0 = Tensor.of(1, -2, 0.5);
        assertArrayEquals(new double[] {3, 12, 0.75}, Autodiff.grad(x -> cube(x).sum(), x0).toDoubleArray(), 1e-14);
        Tensor second = Autodiff.grad(x -> Autodiff.grad(z -> cube(z).sum(), x).sum(), x0);
        assertArrayEquals(new double[] {6, -12, 3}, second.toDoubleArray(), 1e-14);
        Tensor jv = Autodiff.jvp(CustomRuleTest::cube, x0, Tensor.of(1, 1, 2)).jvp();
        assertArrayEquals(new double[] {3, 12, 1.5}, jv.toDoubleArray(), 1e-14);
    }

    @Test
    void severalInputsAndNoRecordingWithoutGrad() {
        Tensor a = Tensor.of(2, 3);
        Tensor b = Tensor.of(5, 7);
        Autodiff.MultiFunction prod = xs -> Autodiff.custom("prod", Tensor.of(10, 21),
                (g, out) -> new Tensor[] {g.mul(xs[1]), null}, xs[0], xs[1]);
        var gs = Autodiff.gradAll(xs -> prod.apply(xs).sum(), a, b);
        assertArrayEquals(new double[] {5, 7}, gs.get(0).toDoubleArray());
        assertArrayEquals(new double[] {0, 0}, gs.get(1).toDoubleArray(), "null means zero");
        Tensor plain = Autodiff.custom("c", Tensor.of(1, 2).slice(0, 1, 2), (g, out) -> new Tensor[] {g}, a);
        assertFalse(plain.requiresGrad());
        assertEquals(2, plain.item());
        Tensor rec = Autodiff.custom("c", Tensor.of(1, 2), (g, out) -> new Tensor[] {g}, a.detach().requiresGrad(true));
        assertTrue(rec.requiresGrad());
        assertEquals("c", rec.gradFn());
    }
}
