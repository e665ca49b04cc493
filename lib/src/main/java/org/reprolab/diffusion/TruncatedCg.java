package org.reprolab.diffusion;

import java.util.function.UnaryOperator;

/**
 * Conjugate gradients run for a fixed number of iterations on a batch of independent symmetric positive definite
 * systems {@code M x_i = b_i}, one per row, each with its own step sizes. DDS (Chung, Lee &amp; Ye, ICLR 2024, §3.2)
 * needs exactly this: a few Krylov steps from the denoised estimate, stopped early on purpose (the truncation keeps
 * the update near the data manifold); {@code implicit.LinearSolver.cg} solves one system over a whole tensor to a
 * tolerance, which would couple the rows' step sizes.
 */
final class TruncatedCg {
    private TruncatedCg() {}

    /**
     * {@code iterations} CG steps from {@code x0} (not modified) on every row.
     *
     * @param op  {@code M} applied to all rows at once ({@code n·dim} values in and out)
     * @param b   right-hand sides, row-major
     * @param dim length of each row
     */
    static double[] solve(UnaryOperator<double[]> op, double[] b, double[] x0, int dim, int iterations) {
        if (b.length != x0.length || b.length % dim != 0) throw new IllegalArgumentException("CG: b and x0 need the same n·" + dim + " values");
        int n = b.length / dim;
        double[] x = x0.clone(), r = op.apply(x), p = new double[b.length], rr = new double[n];
        for (int i = 0; i < r.length; i++) { r[i] = b[i] - r[i]; p[i] = r[i]; }
        for (int row = 0; row < n; row++) rr[row] = dot(r, r, row, dim);
        for (int it = 0; it < iterations; it++) {
            Run.checkInterrupt("conjugate gradients");
            double[] ap = op.apply(p);
            for (int row = 0; row < n; row++) {
                double pap = dot(p, ap, row, dim);
                if (!(rr[row] > 0) || !(pap > 0)) continue; // converged (or a null direction): the row stays
                double a = rr[row] / pap, next = 0;
                for (int j = row * dim; j < (row + 1) * dim; j++) {
                    x[j] += a * p[j];
                    r[j] -= a * ap[j];
                    next += r[j] * r[j];
                }
                double beta = next / rr[row];
                for (int j = row * dim; j < (row + 1) * dim; j++) p[j] = r[j] + beta * p[j];
                rr[row] = next;
            }
        }
        return x;
    }

    private static double dot(double[] u, double[] v, int row, int dim) {
        double s = 0;
        for (int j = row * dim; j < (row + 1) * dim; j++) s += u[j] * v[j];
        return s;
    }
}
