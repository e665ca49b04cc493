package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reprolab.linalg.SymmetricEigen;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

class GaussNewtonTest {
    static final int N = 6, D = 4;
    static final Tensor X = Tensor.randn(DType.F64, 11, N, D);

    /** A diagonal linear network's outputs X (u⊙u − v⊙v) on the flat θ = (u, v). */
    static Tensor outputs(Tensor theta) {
        Tensor u = theta.narrow(0, 0, D), v = theta.narrow(0, D, D);
        return X.matmul(u.square().sub(v.square()));
    }

    /** At an interpolating point the loss Hessian (dense, by autodiff) has the Gauss–Newton trace, spectrum and norm. */
    @Test
    void matchesTheDenseHessianAtAnInterpolatingMinimum() {
        double[] theta = Tensor.randn(DType.F64, 5, 2 * D).toDoubleArray();
        Tensor y = outputs(Tensor.of(theta)).detach();
        Function<Tensor, Tensor> loss = th -> outputs(th).sub(y).square().mean().mul(0.5);
        int p = 2 * D;
        double[] dense = Autodiff.hessian(loss, Tensor.of(theta)).toDoubleArray();
        double[][] h = new double[p][p];
        double trace = 0, frob = 0;
        for (int i = 0; i < p; i++) {
            trace += dense[i * p + i];
            for (int j = 0; j < p; j++) {
                h[i][j] = (dense[i * p + j] + dense[j * p + i]) / 2;
                frob += h[i][j] * h[i][j];
            }
        }
        GaussNewton g = GaussNewton.of(GaussNewtonTest::outputs, theta);
        assertEquals(N, g.examples());
        assertEquals(p, g.parameters());
        assertEquals(trace, g.trace(), 1e-10 * trace);
        assertEquals(Math.sqrt(frob), g.frobenius(), 1e-10 * Math.sqrt(frob));
        double[] all = SymmetricEigen.values(h);
        double[] top = g.eigenvalues();
        for (int i = 0; i < N; i++) assertEquals(all[p - 1 - i], top[i], 1e-9 * all[p - 1], "eigenvalue " + i);
        assertEquals(all[p - 1], g.sharpness(), 1e-9 * all[p - 1]);
    }

    /**
     * Full batch: no noise, the growth is GD's max (1 − ηλ)² over the nonzero eigenvalues λ (the residuals live in
     * the range of K; here X has 4 columns, so K has rank 4 of 6), so stable iff ηλ_max ≤ 2.
     */
    @Test
    void fullBatchGrowthIsGradientDescentsCriterion() {
        GaussNewton g = GaussNewton.of(GaussNewtonTest::outputs, Tensor.randn(DType.F64, 5, 2 * D).toDoubleArray());
        double[] lambda = g.eigenvalues();
        for (double scale : new double[] {0.5, 1.5, 1.99, 2.2}) {
            double lr = scale / lambda[0], want = 0;
            for (double l : lambda) if (l > 1e-9 * lambda[0]) want = Math.max(want, (1 - lr * l) * (1 - lr * l));
            assertEquals(want, g.meanSquareGrowth(lr, N), 1e-9, "lr·λmax = " + scale);
        }
        assertTrue(g.meanSquareGrowth(1.99 / lambda[0], N) < 1);
        assertTrue(g.meanSquareGrowth(2.01 / lambda[0], N) > 1);
        assertEquals(Double.POSITIVE_INFINITY, g.traceBound(0.1, N));
    }

    /** One example: r ← (1 − η‖g‖²) r, growth (1 − η‖g‖²)²; a batch of all (one) examples has no noise, so no trace bound. */
    @Test
    void oneExampleIsAScalarRecursion() {
        GaussNewton g = GaussNewton.ofJacobian(Tensor.of(new double[] {1, 2, 2}, 1, 3)); // ‖g‖² = 9
        assertEquals(9, g.trace(), 1e-15);
        assertEquals((1 - 0.3 * 9) * (1 - 0.3 * 9), g.meanSquareGrowth(0.3, 1), 1e-12);
        assertEquals(Double.POSITIVE_INFINITY, g.traceBound(0.3, 1));
    }

    /**
     * Against the expectation taken by enumerating every batch: E[(I − ηKD_S) R (I − ηD_S K)] over all B-subsets S,
     * iterated from R = K, for each B; the trace bound at B = 1 is 2/η.
     */
    @Test
    void growthMatchesTheAverageOverEveryBatch() {
        int n = 5;
        Tensor j = Tensor.randn(DType.F64, 3, n, 7);
        GaussNewton g = GaussNewton.ofJacobian(j);
        double[][] k = new double[n][n];
        double[] flat = j.toDoubleArray();
        for (int a = 0; a < n; a++) for (int b = 0; b < n; b++) for (int c = 0; c < 7; c++) k[a][b] += flat[a * 7 + c] * flat[b * 7 + c];
        double lr = 0.6 / g.trace();
        for (int batch = 1; batch <= n; batch++) {
            double want = enumeratedGrowth(k, lr, batch);
            assertEquals(want, g.meanSquareGrowth(lr, batch), 1e-8 * want, "batch " + batch);
        }
        assertEquals(2 / lr, g.traceBound(lr, 1), 1e-9 / lr);
        // small batches are less stable: the growth does not fall as the batch shrinks
        for (int batch = 1; batch < n; batch++) assertTrue(g.meanSquareGrowth(lr, batch) >= g.meanSquareGrowth(lr, batch + 1) - 1e-12);
    }

    private static double enumeratedGrowth(double[][] k, double lr, int batch) {
        int n = k.length;
        java.util.List<int[]> subsets = new java.util.ArrayList<>();
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != batch) continue;
            int[] s = new int[batch];
            for (int i = 0, at = 0; i < n; i++) if ((mask >> i & 1) == 1) s[at++] = i;
            subsets.add(s);
        }
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) r[i] = k[i].clone();
        double growth = 0;
        for (int it = 0; it < 5000; it++) {
            double[][] next = new double[n][n];
            for (int[] s : subsets) {
                double[][] a = new double[n][n]; // I − lr K D_S, D_S = indicator/B
                for (int i = 0; i < n; i++) {
                    a[i][i] = 1;
                    for (int c : s) a[i][c] -= lr * k[i][c] / batch;
                }
                double[][] ar = new double[n][n];
                for (int i = 0; i < n; i++) for (int m = 0; m < n; m++) for (int c = 0; c < n; c++) ar[i][c] += a[i][m] * r[m][c];
                for (int i = 0; i < n; i++) for (int c = 0; c < n; c++) {
                    double s2 = 0;
                    for (int m = 0; m < n; m++) s2 += ar[i][m] * a[c][m];
                    next[i][c] += s2 / subsets.size();
                }
            }
            double norm = 0;
            for (double[] row : next) for (double v : row) norm += v * v;
            norm = Math.sqrt(norm);
            for (double[] row : next) for (int c = 0; c < n; c++) row[c] /= norm;
            growth = norm;
            r = next;
        }
        return growth;
    }

    @Test
    void badInputIsNamed() {
        GaussNewton g = GaussNewton.ofJacobian(Tensor.randn(DType.F64, 1, 3, 2));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.meanSquareGrowth(0.1, 4)).getMessage().contains("between 1 and the 3"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> g.meanSquareGrowth(-1, 1)).getMessage().contains("step size"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussNewton.ofJacobian(Tensor.of(1.0, 2.0))).getMessage().contains("[n, p]"));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> GaussNewton.of(t -> t.square().sum(), new double[] {1, 2}))
                .getMessage().contains("vector"));
    }
}
