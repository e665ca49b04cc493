package org.reprolab.linalg;

import java.util.concurrent.CancellationException;

/**
 * The dense lower Cholesky factor {@code A = L·Lᵀ} of a symmetric positive-definite matrix, failing loudly when it
 * is not: the one factorisation behind the GP's Gram solves ({@code gp}), the Gaussian mixtures' covariances
 * ({@code diffusion}) and the fractional Brownian covariance ({@code ode.sde}).
 *
 * <p>The loop is the row-oriented Cholesky–Banachiewicz order (Golub and Van Loan, <i>Matrix Computations</i>,
 * 4th ed., §4.2.5): {@code L_ij = (A_ij − Σ_{k<j} L_ik·L_jk) / L_jj} with the sum subtracted term by term in k
 * order, so every caller gets the bits it got from its own copy before.
 */
public final class Cholesky {

    private final double[][] l;

    private Cholesky(double[][] l) {
        this.l = l;
    }

    /** The solution of {@code A·x = b}. */
    public static double[] solve(double[][] a, double[] b) {
        return factor(a).solve(b);
    }

    /**
     * The factorisation of {@code a}, read from its lower triangle.
     *
     * @throws IllegalArgumentException when {@code a} is not square, or naming the row and value of the first
     *                                  pivot that is not positive (not positive definite, or NaN)
     */
    public static Cholesky factor(double[][] a) {
        return new Cholesky(lower(a));
    }

    /**
     * The lower factor {@code L} of {@code a = L·Lᵀ} as a new array (zeros above the diagonal), read from the lower
     * triangle of {@code a}; checks for an interrupt once every 64 rows, so a notebook's interrupt cancels a large
     * factorisation while the small ones inside a longer loop (a mixture's 2x2 covariances at every sampler step)
     * leave the interrupt to that loop, which names what was stopped.
     *
     * @throws IllegalArgumentException when {@code a} is not square, or naming the row and value of the first
     *                                  pivot that is not positive (not positive definite, or NaN)
     */
    public static double[][] lower(double[][] a) {
        int n = a.length;
        double[][] l = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " entries, not " + n);
            if ((i & 63) == 63 && Thread.currentThread().isInterrupted()) { // the flag stays set for enclosing loops
                throw new CancellationException("interrupted during a Cholesky factorisation");
            }
            for (int j = 0; j <= i; j++) {
                double s = a[i][j];
                for (int k = 0; k < j; k++) s -= l[i][k] * l[j][k];
                if (i == j) {
                    if (!(s > 0)) throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + " = " + s + ")");
                    l[i][i] = Math.sqrt(s);
                } else l[i][j] = s / l[j][j];
            }
        }
        return l;
    }

    /** The lower factor (a copy). */
    public double[][] factor() {
        double[][] c = new double[l.length][];
        for (int i = 0; i < l.length; i++) c[i] = l[i].clone();
        return c;
    }

    /** The solution of {@code A·x = b}: forward substitution with L, then back substitution with Lᵀ. */
    public double[] solve(double[] b) {
        int n = b.length;
        if (n != l.length) throw new IllegalArgumentException("right-hand side has " + n + " entries, the matrix " + l.length + " rows");
        double[] z = new double[n];
        for (int i = 0; i < n; i++) {
            double s = b[i];
            for (int k = 0; k < i; k++) s -= l[i][k] * z[k];
            z[i] = s / l[i][i];
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = z[i];
            for (int k = i + 1; k < n; k++) s -= l[k][i] * x[k];
            x[i] = s / l[i][i];
        }
        return x;
    }

    /** A⁻¹, column by column. */
    public double[][] inverse() {
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
    public double logDeterminant() {
        double sum = 0;
        for (int i = 0; i < l.length; i++) sum += 2 * Math.log(l[i][i]);
        return sum;
    }
}
