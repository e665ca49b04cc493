package org.reprolab.implicit;

import java.util.concurrent.CancellationException;
import org.reprolab.tensor.Tensor;

/** Small host-side dense helpers: LU with partial pivoting, tensor/array glue, interrupt polling. */
final class Dense {
    private Dense() {}

    /** Solves {@code a x = b} by LU with partial pivoting (a is copied); null when a pivot is below {@code 1e-14 max|a|}. */
    static double[] solve(double[][] a, double[] b) {
        int n = b.length;
        double[][] m = new double[n][];
        double scale = 0;
        for (int i = 0; i < n; i++) {
            m[i] = a[i].clone();
            for (double v : m[i]) {
                scale = Math.max(scale, Math.abs(v));
            }
        }
        double[] x = b.clone();
        if (!(scale > 0) || !Double.isFinite(scale)) {
            return n == 0 ? x : null;
        }
        for (int k = 0; k < n; k++) {
            int p = k;
            for (int i = k + 1; i < n; i++) {
                if (Math.abs(m[i][k]) > Math.abs(m[p][k])) {
                    p = i;
                }
            }
            if (Math.abs(m[p][k]) <= 1e-14 * scale) {
                return null;
            }
            double[] tr = m[p];
            m[p] = m[k];
            m[k] = tr;
            double tb = x[p];
            x[p] = x[k];
            x[k] = tb;
            for (int i = k + 1; i < n; i++) {
                double f = m[i][k] / m[k][k];
                if (f != 0) {
                    for (int j = k; j < n; j++) {
                        m[i][j] -= f * m[k][j];
                    }
                    x[i] -= f * x[k];
                }
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            double s = x[i];
            for (int j = i + 1; j < n; j++) {
                s -= m[i][j] * x[j];
            }
            x[i] = s / m[i][i];
        }
        return x;
    }

    /** The Jacobian tensor (shape out.shape + in.shape) as an n x n host matrix. */
    static double[][] square(Tensor jac, int n) {
        double[] v = jac.toDoubleArray();
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            System.arraycopy(v, i * n, m[i], 0, n);
        }
        return m;
    }

    /** {@code values} as a tensor shaped, typed and placed like {@code like}. */
    static Tensor like(double[] values, Tensor like) {
        return Tensor.of(values, like.shape()).to(like.dtype()).to(like.device());
    }

    static double dot(Tensor a, Tensor b) {
        return a.mul(b).sum().item();
    }

    static double norm(Tensor a) {
        return Math.sqrt(dot(a, a));
    }

    static double maxAbs(Tensor a) {
        return a.numel() == 0 ? 0 : a.abs().max().item();
    }

    /** The detached starting point of an iterative solver, which must be given. */
    static Tensor initialGuess(String what, Tensor x0) {
        if (x0 == null) {
            throw new IllegalArgumentException(what + ": needs an initial guess x0");
        }
        return x0.detach();
    }

    /** The stopping rule every iterative solver takes: a positive tolerance and at least one iteration. */
    static void checkStopping(String what, double tol, int maxIter) {
        if (!(tol > 0) || maxIter < 1) {
            throw new IllegalArgumentException(what + ": need tol > 0 and maxIter >= 1, got tol " + tol + ", maxIter " + maxIter);
        }
    }

    static void checkInterrupt(String where) {
        if (Thread.currentThread().isInterrupted()) {
            throw new CancellationException("interrupted during " + where);
        }
    }
}
