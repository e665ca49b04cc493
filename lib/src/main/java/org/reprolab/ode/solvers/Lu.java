package org.reprolab.ode.solvers;

/** Dense LU with partial pivoting (Golub and Van Loan, Alg. 3.4.1), in place, row-major n×n. */
final class Lu {
    final int n;
    final double[] a;
    final int[] piv;

    Lu(int n) {
        this.n = n;
        this.a = new double[n * n];
        this.piv = new int[n];
    }

    /** Factorises {@link #a}; false if singular (a zero or non-finite pivot). */
    boolean factor() {
        for (int k = 0; k < n; k++) {
            int p = k;
            double max = Math.abs(a[k * n + k]);
            for (int i = k + 1; i < n; i++) {
                double v = Math.abs(a[i * n + k]);
                if (v > max) { max = v; p = i; }
            }
            if (!(max > 0) || !Double.isFinite(max)) return false;
            piv[k] = p;
            if (p != k) for (int j = 0; j < n; j++) {
                double t = a[k * n + j];
                a[k * n + j] = a[p * n + j];
                a[p * n + j] = t;
            }
            double inv = 1 / a[k * n + k];
            for (int i = k + 1; i < n; i++) {
                double l = a[i * n + k] * inv;
                a[i * n + k] = l;
                if (l != 0) for (int j = k + 1; j < n; j++) a[i * n + j] -= l * a[k * n + j];
            }
        }
        return true;
    }

    /** Solves in place: b := A⁻¹ b. */
    void solve(double[] b) {
        for (int k = 0; k < n; k++) {
            int p = piv[k];
            if (p != k) { double t = b[k]; b[k] = b[p]; b[p] = t; }
        }
        for (int i = 1; i < n; i++) {
            double s = b[i];
            for (int j = 0; j < i; j++) s -= a[i * n + j] * b[j];
            b[i] = s;
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = b[i];
            for (int j = i + 1; j < n; j++) s -= a[i * n + j] * b[j];
            b[i] = s / a[i * n + i];
        }
    }
}
