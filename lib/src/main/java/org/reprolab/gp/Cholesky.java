package org.reprolab.gp;

import java.util.concurrent.CancellationException;

/** The dense Cholesky factor of a symmetric positive-definite matrix, failing loudly when it is not. */
final class Cholesky {

    private final double[][] l;

    private Cholesky(double[][] l) {
        this.l = l;
    }

    static double[] solve(double[][] a, double[] b) {
        return factor(a).solve(b);
    }

    static Cholesky factor(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw new CancellationException("Cholesky factorisation interrupted");
            }
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) {
                    s -= l[i][k] * l[j][k];
                }
                if (i == j) {
                    if (!(s > 0)) {
                        throw new IllegalStateException("Gram matrix is not positive definite at row " + i
                                + " (pivot " + s + "); use fewer collocation points or a wider kernel");
                    }
                    l[i][i] = Math.sqrt(s);
                } else {
                    l[i][j] = s / l[j][j];
                }
            }
        }
        return new Cholesky(l);
    }

    double[] solve(double[] b) {
        int n = b.length;
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) {
                s -= l[i][k] * z[k];
            }
            z[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) {
                s -= l[k][i] * x[k];
            }
            x[i] = s / l[i][i];
        }
        return x;
    }

    /** A⁻¹, column by column. */
    double[][] inverse() {
        int n = l.length;
        double[][] inverse = new double[n][];
        for (int j = 0; j < n; j++) {
            double[] e = new double[n];
            e[j] = 1;
            inverse[j] = solve(e); // symmetric: column j is row j
        }
        return inverse;
    }

    /** log det A = 2 Σ log Lᵢᵢ. */
    double logDeterminant() {
        double sum = 0;
        for (int i = 0; i < l.length; i++) {
            sum += 2 * Math.log(l[i][i]);
        }
        return sum;
    }
}
