package org.reprolab.diffusion;

/**
 * Small dense symmetric positive-definite matrices as {@code double[][]}: powers by a cyclic Jacobi
 * eigendecomposition (Golub and Van Loan §8.5), exact to rounding for the few dimensions the closed-form
 * Gaussian references here need (entropic OT between Gaussians, the Bures–Wasserstein distance).
 */
final class SpdMatrix {
    private SpdMatrix() {}

    /** {@code A^p} for a symmetric positive-definite {@code A} ({@code p = ½} the square root, {@code −½} its inverse). */
    static double[][] power(double[][] a, double p, String what) {
        int n = a.length;
        double[][] m = new double[n][], v = new double[n][n];
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException(what + " is not square");
            m[i] = a[i].clone();
            v[i][i] = 1;
        }
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) off += m[i][j] * m[i][j];
            }
            if (off <= 1e-32 * Math.max(diag, Double.MIN_NORMAL)) break;
            for (int q = 0; q < n; q++) for (int r = q + 1; r < n; r++) if (m[q][r] != 0) rotate(m, v, q, r);
        }
        double[][] out = new double[n][n];
        for (int k = 0; k < n; k++) {
            if (!(m[k][k] > 0)) throw new IllegalArgumentException(what + " is not positive definite (eigenvalue " + m[k][k] + ")");
            double f = Math.pow(m[k][k], p);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] += v[i][k] * f * v[j][k];
        }
        return out;
    }

    /** One Jacobi rotation zeroing {@code m[q][r]}, accumulated into the eigenvector columns of {@code v}. */
    private static void rotate(double[][] m, double[][] v, int q, int r) {
        int n = m.length;
        double theta = (m[r][r] - m[q][q]) / (2 * m[q][r]);
        double t = theta == 0 ? 1 : Math.signum(theta) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        double c = 1 / Math.sqrt(t * t + 1), s = t * c;
        for (int i = 0; i < n; i++) {
            double iq = m[i][q], ir = m[i][r];
            m[i][q] = c * iq - s * ir;
            m[i][r] = s * iq + c * ir;
        }
        for (int i = 0; i < n; i++) {
            double qi = m[q][i], ri = m[r][i];
            m[q][i] = c * qi - s * ri;
            m[r][i] = s * qi + c * ri;
            double vq = v[i][q], vr = v[i][r];
            v[i][q] = c * vq - s * vr;
            v[i][r] = s * vq + c * vr;
        }
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
