package org.reprolab.linalg;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SymmetricEigenTest {

    /**
     * The second-difference matrix tridiag(−1, 2, −1) of size n has the closed-form eigenvalues
     * 2 − 2cos(kπ/(n+1)) and eigenvectors sin(ikπ/(n+1)) (Strang, <i>Computational Science and Engineering</i>, §1.5).
     */
    @Test
    void secondDifferenceMatrixHasItsClosedFormEigenpairs() {
        int n = 7;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            a[i][i] = 2;
            if (i + 1 < n) a[i][i + 1] = a[i + 1][i] = -1;
        }
        SymmetricEigen eigen = SymmetricEigen.of(a);
        double[] values = eigen.values();
        double[][] q = eigen.vectors();
        for (int k = 0; k < n; k++) {
            double angle = (k + 1) * Math.PI / (n + 1);
            assertEquals(2 - 2 * Math.cos(angle), values[k], 1e-14, "eigenvalue " + k);
            // the closed-form eigenvector, normalised; the computed one may have either sign
            double norm = Math.sqrt((n + 1) / 2.0), sign = Math.signum(q[0][k]);
            for (int i = 0; i < n; i++) assertEquals(Math.sin((i + 1) * angle) / norm, sign * q[i][k], 1e-13, "vector " + k + " entry " + i);
        }
        assertArrayEquals(values, SymmetricEigen.values(a), 0, "values alone are the same rotations' diagonal");
    }

    @Test
    void reconstructsADenseMatrixWithOrthonormalVectors() {
        double[][] a = {{4, 1, -2, 0.5}, {1, 3, 0, -1}, {-2, 0, 5, 2}, {0.5, -1, 2, -3}};
        SymmetricEigen eigen = SymmetricEigen.of(a);
        double[] l = eigen.values();
        double[][] q = eigen.vectors();
        for (int k = 1; k < l.length; k++) assertTrue(l[k - 1] <= l[k], "ascending");
        double trace = 0;
        for (double v : l) trace += v;
        assertEquals(4 + 3 + 5 - 3, trace, 1e-13, "Σλ = tr A");
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                double qlq = 0, qtq = 0;
                for (int k = 0; k < 4; k++) {
                    qlq += q[i][k] * l[k] * q[j][k];
                    qtq += q[k][i] * q[k][j];
                }
                assertEquals(a[i][j], qlq, 1e-13, "Q·Λ·Qᵀ = A at (" + i + ", " + j + ")");
                assertEquals(i == j ? 1 : 0, qtq, 1e-14, "Qᵀ·Q = I at (" + i + ", " + j + ")");
            }
        // map with f = 1/λ is the inverse (A is indefinite but nonsingular)
        double[][] inverse = eigen.map(x -> 1 / x);
        for (int i = 0; i < 4; i++)
            for (int j = 0; j < 4; j++) {
                double ai = 0;
                for (int k = 0; k < 4; k++) ai += a[i][k] * inverse[k][j];
                assertEquals(i == j ? 1 : 0, ai, 1e-12, "A·f(A) = I for f = 1/λ at (" + i + ", " + j + ")");
            }
    }

    @Test
    void tridiagonalOfTheLanczosKindHasItsKnownEigenvalues() {
        // tridiag(1, 2, 1) of size 3: 2 − √2, 2, 2 + √2
        double[][] a = {{2, 1, 0}, {1, 2, 1}, {0, 1, 2}};
        assertArrayEquals(new double[] {2 - Math.sqrt(2), 2, 2 + Math.sqrt(2)}, SymmetricEigen.values(a), 1e-13);
    }

    @Test
    void badMatricesAreNamed() {
        var ragged = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 2}, {3}}));
        assertTrue(ragged.getMessage().contains("not square: row 1 has 1 entries, not 2"), ragged.getMessage());
        var skew = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.values(new double[][] {{1, 2}, {2.5, 1}}));
        assertTrue(skew.getMessage().contains("not symmetric: entry (0, 1) = 2.0 but (1, 0) = 2.5"), skew.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> SymmetricEigen.of(new double[][] {{1, 0}, {0, Double.NaN}}));
        assertTrue(nan.getMessage().contains("entry (1, 1) is NaN"), nan.getMessage());
        // a rounding-level asymmetry, as in a product symmetric in exact arithmetic, is accepted
        assertEquals(2, SymmetricEigen.values(new double[][] {{1, 1 + 1e-15}, {1, 1}}).length);
    }
}
