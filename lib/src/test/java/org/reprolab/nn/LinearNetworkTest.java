package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

class LinearNetworkTest {

    private static double maxAbs(Tensor a, Tensor b) {
        return a.sub(b).abs().max().item();
    }

    @Test
    void orthogonalInitHasOrthonormalRowsOrColumns() {
        Tensor square = new Init.Orthogonal(1).sample(DType.F64, 3, 6, 6);
        assertTrue(maxAbs(square.matmul(square.t()), eye(6)) < 1e-12);
        assertTrue(maxAbs(square.t().matmul(square), eye(6)) < 1e-12);
        Tensor wide = new Init.Orthogonal(2).sample(DType.F64, 4, 3, 7); // rows orthogonal, norm 2
        assertTrue(maxAbs(wide.matmul(wide.t()), eye(3).mul(4)) < 1e-12);
        Tensor tall = Init.orthogonal().sample(DType.F64, 5, 7, 3); // columns orthonormal
        assertTrue(maxAbs(tall.t().matmul(tall), eye(3)) < 1e-12);
        assertThrows(IllegalArgumentException.class, () -> Init.orthogonal().sample(DType.F64, 1, 4));
    }

    @Test
    void productOfOrthogonalLayersIsOrthogonalAtAnyDepth() {
        Tensor p = new LinearNetwork(new int[] {8, 8, 8, 8, 8, 8, 8, 8, 8}, Init.orthogonal(), 11).product();
        assertTrue(maxAbs(p.t().matmul(p), eye(8)) < 1e-12);
    }

    @Test
    void productIsTheForwardMapAndTheFunctionalFormOfTheFlatVector() {
        int[] widths = {3, 5, 4, 2};
        var net = new LinearNetwork(widths, Init.xavierNormal(), 7);
        Tensor x = Tensor.randn(1, 6, 3);
        assertTrue(maxAbs(net.forward(x), x.matmul(net.product().t())) < 1e-12);
        double[] flat = net.flat();
        assertEquals(LinearNetwork.parameterCount(widths), flat.length);
        assertEquals(3 * 5 + 5 * 4 + 4 * 2, flat.length);
        assertTrue(maxAbs(LinearNetwork.product(Tensor.of(flat), widths), net.product()) < 1e-12);
        assertThrows(IllegalArgumentException.class, () -> LinearNetwork.product(Tensor.of(new double[5]), widths));
    }

    @Test
    void functionalProductIsDifferentiable() {
        int[] widths = {2, 3, 2};
        double[] theta = new LinearNetwork(widths, Init.xavierNormal(), 2).flat();
        Tensor target = Tensor.of(new double[] {1, 2, 3, 4}, 2, 2);
        java.util.function.Function<Tensor, Tensor> loss = t -> LinearNetwork.product(t, widths).sub(target).square().sum().mul(0.5);
        double[] g = Autodiff.grad(loss, Tensor.of(theta)).toDoubleArray();
        for (int i = 0; i < theta.length; i++) { // central differences
            double[] p = theta.clone(), m = theta.clone();
            p[i] += 1e-6;
            m[i] -= 1e-6;
            double fd = (loss.apply(Tensor.of(p)).item() - loss.apply(Tensor.of(m)).item()) / 2e-6;
            assertEquals(fd, g[i], 1e-7);
        }
    }

    @Test
    void alignedInitCarriesTheGivenModeStrengthsAndModeStrengthsReadThemBack() {
        Tensor u = Init.orthogonal().sample(DType.F64, 1, 6, 6).narrow(1, 0, 3);
        Tensor v = Init.orthogonal().sample(DType.F64, 2, 5, 5).narrow(1, 0, 3);
        double[] s = {3, 2, 0.5};
        for (int depth : new int[] {1, 2, 4}) {
            var net = LinearNetwork.aligned(u, v, s, depth);
            Tensor expected = u.matmul(diagonal(s)).matmul(v.t());
            assertTrue(maxAbs(net.product(), expected) < 1e-12, "depth " + depth);
            assertArrayEquals(s, LinearNetwork.modeStrengths(net.product(), u, v), 1e-12);
            assertEquals(depth, net.parameters().size());
        }
        assertThrows(IllegalArgumentException.class, () -> LinearNetwork.aligned(u, v, new double[] {1, 2}, 2));
    }

    @Test
    void modeDynamicsSolvesItsOdeAndItsTimeFormulaInvertsTheCurve() {
        var m = new ModeDynamics(2, 1e-3, 100);
        // RK4 on tau du/dt = 2u(s - u), independent of the closed form
        double u = 1e-3, h = 0.01;
        for (int i = 0; i < 20_000; i++) {
            double k1 = f(u), k2 = f(u + h / 2 * k1), k3 = f(u + h / 2 * k2), k4 = f(u + h * k3);
            u += h / 6 * (k1 + 2 * k2 + 2 * k3 + k4);
        }
        assertEquals(u, m.strength(200), 1e-9);
        assertEquals(1.0, m.strength(m.halfTime()), 1e-12);
        assertEquals(1.5, m.strength(m.timeTo(1.5)), 1e-12);
        assertEquals(100 / 4.0 * Math.log((2 - 1e-3) / 1e-3), m.halfTime(), 1e-12);
        assertEquals(1e-3, m.curve(3)[0], 0);
        assertThrows(IllegalArgumentException.class, () -> new ModeDynamics(1, 2, 1));
    }

    private static double f(double u) {
        return 2 * u * (2 - u) / 100;
    }

    @Test
    void gradientDescentOnAnAlignedTwoLayerNetFollowsTheClosedForm() {
        Tensor u = Init.orthogonal().sample(DType.F64, 5, 4, 4), v = Init.orthogonal().sample(DType.F64, 6, 4, 4);
        double[] s = {3, 1}, u0 = {1e-3, 1e-3};
        Tensor target = u.narrow(1, 0, 2).matmul(diagonal(s)).matmul(v.narrow(1, 0, 2).t());
        int[] widths = {4, 2, 4};
        double lr = 1e-3;
        double[] theta = LinearNetwork.aligned(u.narrow(1, 0, 2), v.narrow(1, 0, 2), u0, 2).flat();
        java.util.function.Function<Tensor, Tensor> loss = t -> LinearNetwork.product(t, widths).sub(target).square().sum().mul(0.5);
        int steps = 4000;
        for (int t = 0; t < steps; t++) {
            double[] g = Autodiff.grad(loss, Tensor.of(theta)).toDoubleArray();
            for (int i = 0; i < theta.length; i++) theta[i] -= lr * g[i];
        }
        double[] got = LinearNetwork.modeStrengths(LinearNetwork.product(Tensor.of(theta), widths), u.narrow(1, 0, 2), v.narrow(1, 0, 2));
        for (int a = 0; a < 2; a++) {
            double want = new ModeDynamics(s[a], u0[a], 1 / lr).strength(steps);
            assertEquals(want, got[a], 0.02 * s[a], "mode " + a);
        }
    }

    private static Tensor eye(int n) {
        double[] d = new double[n];
        java.util.Arrays.fill(d, 1);
        return diagonal(d);
    }

    private static Tensor diagonal(double[] d) {
        double[] m = new double[d.length * d.length];
        for (int i = 0; i < d.length; i++) m[i * d.length + i] = d[i];
        return Tensor.of(m, d.length, d.length);
    }
}
