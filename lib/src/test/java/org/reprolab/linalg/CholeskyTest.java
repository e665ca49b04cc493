package org.reprolab.linalg;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class CholeskyTest {

    /** The 3×3 example with an integer factor: A = L·Lᵀ for L = [[2,0,0],[6,1,0],[-8,5,3]] (Wikipedia, "Cholesky decomposition"). */
    private static final double[][] A = {{4, 12, -16}, {12, 37, -43}, {-16, -43, 98}};
    private static final double[][] L = {{2, 0, 0}, {6, 1, 0}, {-8, 5, 3}};

    @Test
    void factorOfTheTextbookMatrixIsItsIntegerFactor() {
        double[][] l = Cholesky.lower(A);
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) assertEquals(L[i][j], l[i][j], 0, "L[" + i + "][" + j + "]");
        assertEquals(2 * Math.log(2 * 1 * 3), Cholesky.factor(A).logDeterminant(), 1e-14, "log det A = log 36");
    }

    @Test
    void reconstructsAMatrixOfTheKindCallersFactor() {
        // the Brownian-motion covariance min(s, t) on a grid (a fractional Brownian covariance at H = 1/2)
        int n = 40;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) a[i][j] = Math.min(i + 1, j + 1) / (double) n;
        double[][] l = Cholesky.lower(a);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                if (j > i) assertEquals(0, l[i][j], 0, "upper triangle is zero");
                double s = 0;
                for (int k = 0; k < n; k++) s += l[i][k] * l[j][k];
                assertEquals(a[i][j], s, 1e-14, "(L·Lᵀ)[" + i + "][" + j + "]");
            }
        // closed form: the factor of min(s, t) is the lower triangle of constant 1/√n (a random walk's increments)
        for (int i = 0; i < n; i++) for (int j = 0; j <= i; j++) assertEquals(1 / Math.sqrt(n), l[i][j], 1e-14);
    }

    @Test
    void solveAndInverseAgreeWithTheMatrix() {
        Cholesky c = Cholesky.factor(A);
        double[] x = {1, -2, 0.5}, b = new double[3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) b[i] += A[i][j] * x[j];
        double[] solved = c.solve(b);
        for (int i = 0; i < 3; i++) assertEquals(x[i], solved[i], 1e-12);
        double[][] inv = c.inverse();
        for (int i = 0; i < 3; i++)
            for (int j = 0; j < 3; j++) {
                double s = 0;
                for (int k = 0; k < 3; k++) s += A[i][k] * inv[k][j];
                assertEquals(i == j ? 1 : 0, s, 1e-12, "(A·A⁻¹)[" + i + "][" + j + "]");
            }
    }

    @Test
    void aMatrixThatIsNotPositiveDefiniteNamesItsPivot() {
        // eigenvalues 3 and -1: the second pivot is 1 − 2·2 = −3
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Cholesky.lower(new double[][] {{1, 2}, {2, 1}}));
        assertTrue(e.getMessage().contains("not positive definite (pivot 1 = -3.0)"), e.getMessage());
        IllegalArgumentException nan = assertThrows(IllegalArgumentException.class, () -> Cholesky.lower(new double[][] {{Double.NaN}}));
        assertTrue(nan.getMessage().contains("pivot 0 = NaN"), nan.getMessage());
        IllegalArgumentException ragged = assertThrows(IllegalArgumentException.class, () -> Cholesky.lower(new double[][] {{1, 0}, {0}}));
        assertTrue(ragged.getMessage().contains("not square"), ragged.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cholesky.factor(A).solve(new double[2]));
    }

    @Test
    void aLargeFactorisationStopsOnInterruptASmallOneLeavesItToTheCaller() {
        int n = 200;
        double[][] big = new double[n][n];
        for (int i = 0; i < n; i++) big[i][i] = 2;
        try {
            Thread.currentThread().interrupt();
            // a 2x2 (a mixture's covariance inside a sampler step) finishes; the interrupt stays set for the caller's loop
            assertEquals(Math.sqrt(2), Cholesky.lower(new double[][] {{2, 0}, {0, 2}})[1][1], 0);
            assertTrue(Thread.currentThread().isInterrupted());
            java.util.concurrent.CancellationException stopped =
                    assertThrows(java.util.concurrent.CancellationException.class, () -> Cholesky.lower(big));
            assertTrue(stopped.getMessage().contains("interrupted"), stopped.getMessage());
            assertTrue(Thread.currentThread().isInterrupted(), "the flag stays set");
        } finally {
            Thread.interrupted();
        }
    }
}
