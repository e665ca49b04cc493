package org.reprolab.diffusion;

import org.reprolab.linalg.SymmetricEigen;

/**
 * Small dense symmetric positive-definite matrices as {@code double[][]}: powers by the Jacobi
 * eigendecomposition {@link SymmetricEigen}, exact to rounding for the few dimensions the closed-form
 * Gaussian references here need (entropic OT between Gaussians, the Bures–Wasserstein distance).
 */
final class SpdMatrix {
    private SpdMatrix() {}

    /** {@code A^p} for a symmetric positive-definite {@code A} ({@code p = ½} the square root, {@code −½} its inverse), naming {@code what} when it is not. */
    static double[][] power(double[][] a, double p, String what) {
        SymmetricEigen eigen;
        try {
            eigen = SymmetricEigen.of(a);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
        }
        double smallest = eigen.values().length == 0 ? 1 : eigen.values()[0];
        if (!(smallest > 0)) throw new IllegalArgumentException(what + " is not positive definite (eigenvalue " + smallest + ")");
        return eigen.map(lambda -> Math.pow(lambda, p));
    }

    static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length, k = b.length, m = b[0].length;
        double[][] out = new double[n][m];
        for (int i = 0; i < n; i++) for (int p = 0; p < k; p++) for (int j = 0; j < m; j++) out[i][j] += a[i][p] * b[p][j];
        return out;
    }

    static double[] apply(double[][] a, double[] x) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) for (int j = 0; j < x.length; j++) out[i] += a[i][j] * x[j];
        return out;
    }

    /** {@code (A + Aᵀ)/2}: removes the rounding asymmetry of a product that is symmetric in exact arithmetic. */
    static double[][] symmetrize(double[][] a) {
        int n = a.length;
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] = 0.5 * (a[i][j] + a[j][i]);
        return out;
    }

    static double trace(double[][] a) {
        double t = 0;
        for (int i = 0; i < a.length; i++) t += a[i][i];
        return t;
    }
}
