package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/** Projections and the lasso prox: values and autodiff Jacobians against closed forms. */
class ProjectionsTest {

    @Test
    void simplexProjectionAndItsExactJacobian() {
        // implicit.md §4: x = [0.5, 0.2, −0.1, 0.4, 0.05, 0.3] → p = [2/5, 1/10, 0, 3/10, 0, 1/5], τ = 1/10
        Tensor x = Tensor.of(0.5, 0.2, -0.1, 0.4, 0.05, 0.3);
        assertArrayEquals(new double[] {0.4, 0.1, 0, 0.3, 0, 0.2}, Projections.simplex(x, 1).toDoubleArray(), 1e-15);
        double[] m = {1, 1, 0, 1, 0, 1};
        double[] jac = Autodiff.jacobian(z -> Projections.simplex(z, 1), x).toDoubleArray();
        for (int i = 0; i < 6; i++) {
            for (int j = 0; j < 6; j++) {
                double exact = (i == j ? m[i] : 0) - m[i] * m[j] / 4;
                assertEquals(exact, jac[i * 6 + j], 1e-15, "J[" + i + "," + j + "]");
            }
        }
        // JVP/VJP with v[k] = cos k, and a batch of rows is projected row by row
        double[] v = new double[6];
        for (int k = 0; k < 6; k++) {
            v[k] = Math.cos(k + 1);
        }
        Tensor jv = Autodiff.jvp(z -> Projections.simplex(z, 1), x, Tensor.of(v)).jvp();
        double mv = (v[0] + v[1] + v[3] + v[5]) / 4;
        assertArrayEquals(new double[] {v[0] - mv, v[1] - mv, 0, v[3] - mv, 0, v[5] - mv}, jv.toDoubleArray(), 1e-15);
        Tensor batch = Tensor.stack(0, x, Tensor.of(3, 0, 0, 0, 0, 0));
        Tensor pb = Projections.simplex(batch, 2);
        double shift = (2 - 1.35) / 6; // all six coordinates stay in the support at sum 2
        assertArrayEquals(new double[] {0.5 + shift, 0.2 + shift, -0.1 + shift, 0.4 + shift, 0.05 + shift, 0.3 + shift},
                pb.select(0, 0).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {2, 0, 0, 0, 0, 0}, pb.select(0, 1).toDoubleArray(), 1e-15);
    }

    @Test
    void l1BallBoxAndSoftThreshold() {
        Tensor x = Tensor.of(0.9, -0.6, 0.1, -0.05);
        // ‖x‖₁ = 1.65 > 1: sign(x) ⊙ Π_simplex(|x|), τ = (0.9 + 0.6 − 1)/2 = 0.25
        assertArrayEquals(new double[] {0.65, -0.35, 0, 0}, Projections.l1Ball(x, 1).toDoubleArray(), 1e-15);
        double[] jac = Autodiff.jacobian(z -> Projections.l1Ball(z, 1), x).toDoubleArray();
        double[] sg = {1, -1, 0, 0};
        for (int i = 0; i < 4; i++) {
            for (int j = 0; j < 4; j++) {
                double mi = i < 2 ? 1 : 0;
                double mj = j < 2 ? 1 : 0;
                double exact = sg[i] * sg[j] * ((i == j ? mi : 0) - mi * mj / 2);
                assertEquals(exact, jac[i * 4 + j], 1e-15);
            }
        }
        assertArrayEquals(x.toDoubleArray(), Projections.l1Ball(x, 2).toDoubleArray(), 0, "inside: identity");
        Tensor lo = Tensor.scalar(-0.5);
        Tensor hi = Tensor.scalar(0.5);
        var g = Autodiff.gradAll(xs -> Projections.box(xs[0], xs[1], xs[2]).mul(Tensor.of(1, 2, 3, 4)).sum(), x, lo, hi);
        assertArrayEquals(new double[] {0, 0, 3, 4}, g.get(0).toDoubleArray());
        assertEquals(2, g.get(1).item());
        assertEquals(1, g.get(2).item());
        Tensor t = Tensor.scalar(0.2);
        var st = Autodiff.gradAll(xs -> Projections.softThreshold(xs[0], xs[1]).sum(), x, t);
        assertArrayEquals(new double[] {0.7, -0.4, 0, 0}, Projections.softThreshold(x, t).toDoubleArray(), 1e-15);
        assertArrayEquals(new double[] {1, 1, 0, 0}, st.get(0).toDoubleArray());
        assertEquals(-1 + 1, st.get(1).item(), 0, "∂/∂t = −sign(x) on the support");
    }
}
