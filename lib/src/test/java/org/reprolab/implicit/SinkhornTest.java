package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The entropic-OT bar of the notes (implicit.md §4): x_i = i/5, i = 0..5, y_j = j/4, j = 0..4 (this grid,
 * not the 1-based one, reproduces the notes' ⟨C, P⟩),
 * a ∝ 1 + 0.5 sin 2πx, b ∝ 1 + 0.5 cos πy, C = (x − y)², ε = 0.05.
 */
class SinkhornTest {

    private static final Sinkhorn S = new Sinkhorn(0.05, 1e-12, 10_000);

    private static Tensor xs() {
        double[] x = new double[6];
        for (int i = 0; i < 6; i++) {
            x[i] = i / 5.0;
        }
        return Tensor.of(x, 6, 1);
    }

    private static Tensor ys() {
        double[] y = new double[5];
        for (int j = 0; j < 5; j++) {
            y[j] = j / 4.0;
        }
        return Tensor.of(y, 5, 1);
    }

    private static Tensor weights(Tensor pts, Function<Double, Double> w) {
        double[] p = pts.toDoubleArray();
        double[] v = new double[p.length];
        double s = 0;
        for (int i = 0; i < p.length; i++) {
            v[i] = w.apply(p[i]);
            s += v[i];
        }
        for (int i = 0; i < p.length; i++) {
            v[i] /= s;
        }
        return Tensor.of(v);
    }

    static final Tensor A = weights(xs(), x -> 1 + 0.5 * Math.sin(2 * Math.PI * x));
    static final Tensor B = weights(ys(), y -> 1 + 0.5 * Math.cos(Math.PI * y));
    static final Tensor C = Sinkhorn.sqEuclidean(xs(), ys());

    private static double[] centred(Tensor t) {
        double[] v = t.toDoubleArray();
        double m = 0;
        for (double e : v) {
            m += e / v.length;
        }
        for (int i = 0; i < v.length; i++) {
            v[i] -= m;
        }
        return v;
    }

    @Test
    void solvesToTheReferenceAndReportsIterations() {
        Sinkhorn.Transport t = S.solve(A, B, C);
        assertTrue(t.convergence().converged(), t.convergence().describe());
        assertArrayEquals(A.toDoubleArray(), t.plan().sum(1).toDoubleArray(), 1e-12);
        assertArrayEquals(B.toDoubleArray(), t.plan().sum(0).toDoubleArray(), 1e-15);
        // ⟨C, P⟩ = 0.0278640157401035 (50-digit value in the notes)
        assertEquals(0.0278640157401035, C.mul(t.plan()).sum().item(), 1e-12);
        // the notes count 72 / 112 / 152 iterations for 1e-6 / 1e-9 / 1e-12
        int[] its = {new Sinkhorn(0.05, 1e-6, 1000).solve(A, B, C).convergence().iterations(),
                new Sinkhorn(0.05, 1e-9, 1000).solve(A, B, C).convergence().iterations(), t.convergence().iterations()};
        assertEquals(72, its[0], 2);
        assertEquals(112, its[1], 2);
        assertEquals(152, its[2], 2);
        var e = assertThrows(NotConvergedException.class, () -> new Sinkhorn(0.05, 1e-12, 10).envelopeCost(A, B, C));
        assertTrue(e.getMessage().contains("iteration cap 10"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> S.solve(A, A.slice(0, 0, 5), C));
    }

    @Test
    void implicitCostGradientIsTheEnvelopeGradient() {
        Sinkhorn.Transport t = S.solve(A, B, C);
        List<Tensor> env = Autodiff.gradAll(p -> S.envelopeCost(p[0], p[1], p[2]), A, B, C);
        List<Tensor> imp = Autodiff.gradAll(p -> S.cost(p[0], p[1], p[2]), A, B, C);
        // envelope theorem: ∂W/∂a = f, ∂W/∂b = g, ∂W/∂C = P (centred for the weights)
        assertArrayEquals(centred(t.f()), centred(env.get(0)), 1e-12);
        assertArrayEquals(centred(t.g()), centred(env.get(1)), 1e-12);
        assertArrayEquals(t.plan().toDoubleArray(), env.get(2).toDoubleArray(), 1e-12);
        assertArrayEquals(centred(env.get(0)), centred(imp.get(0)), 1e-9);
        assertArrayEquals(centred(env.get(1)), centred(imp.get(1)), 1e-9);
        assertArrayEquals(env.get(2).toDoubleArray(), imp.get(2).toDoubleArray(), 1e-9);
    }

    @Test
    void gradientsWithRespectToPointCloudsAndWeightsMatchFiniteDifferences() {
        Tensor x = xs();
        Tensor y = ys();
        Autodiff.MultiFunction cost = p -> S.cost(A, B, Sinkhorn.sqEuclidean(p[0], y));
        Autodiff.MultiFunction linear = p -> S.linearCost(p[0], B, Sinkhorn.sqEuclidean(p[1], y));
        Tensor gx = Autodiff.gradAll(cost, x).getFirst();
        List<Tensor> gl = Autodiff.gradAll(linear, A, x);
        double h = 1e-5;
        double[] xv = x.toDoubleArray();
        for (int i = 0; i < xv.length; i++) {
            double[] up = xv.clone();
            double[] dn = xv.clone();
            up[i] += h;
            dn[i] -= h;
            double fd;
            double fdl;
            try (var _ = Autodiff.noGrad()) {
                fd = (cost.apply(Tensor.of(up, 6, 1)).item() - cost.apply(Tensor.of(dn, 6, 1)).item()) / (2 * h);
                fdl = (linear.apply(A, Tensor.of(up, 6, 1)).item() - linear.apply(A, Tensor.of(dn, 6, 1)).item()) / (2 * h);
            }
            assertEquals(fd, gx.toDoubleArray()[i], 1e-8, "∂W/∂x_" + i);
            assertEquals(fdl, gl.get(1).toDoubleArray()[i], 1e-8, "∂⟨C,P⟩/∂x_" + i);
        }
        // weights: directional derivatives along zero-sum directions e_i − e_0 (tangent to the simplex)
        double[] av = A.toDoubleArray();
        double[] ga = gl.get(0).toDoubleArray();
        for (int i = 1; i < av.length; i++) {
            double[] up = av.clone();
            double[] dn = av.clone();
            up[i] += h;
            up[0] -= h;
            dn[i] -= h;
            dn[0] += h;
            double fd;
            try (var _ = Autodiff.noGrad()) {
                fd = (linear.apply(Tensor.of(up), x).item() - linear.apply(Tensor.of(dn), x).item()) / (2 * h);
            }
            assertEquals(fd, ga[i] - ga[0], 1e-8, "∂⟨C,P⟩/∂a along e_" + i + " − e_0");
        }
    }
}
