package org.reprolab.optim;

import java.util.Arrays;
import java.util.function.Function;
import org.reprolab.linalg.SymmetricEigen;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The Gauss–Newton matrix {@code G = (1/n) Jᵀ J} of the square loss {@code L(θ) = (1/2n) Σ_i (f_i(θ) − y_i)²},
 * {@code J} the Jacobian of the n outputs (row i is the per-example gradient {@code g_i = ∇f_i}). At an
 * interpolating minimum every residual is zero and {@code G} <i>is</i> the Hessian, so its trace, spectrum and the
 * linear stability of (S)GD there follow exactly from the n×n Gram matrix {@code K = J Jᵀ}, never forming the
 * p×p Hessian.
 *
 * <p>Why these numbers: Wu and Su, "The implicit regularization of dynamical stability in stochastic gradient
 * descent" (ICML 2023), show that a minimum GD can converge to at step η has {@code λ_max(H) ≤ 2/η}, while one
 * SGD can converge to has a bounded trace, {@code tr(H) ≤ 2/η} for one example per step. Linearised at the minimum,
 * SGD with a batch of B of the n examples drawn without replacement moves the residuals {@code r = Jδ} by
 * {@code r ← (I − η K D) r}, {@code D = diag(batch indicator)/B}; the second moment of the residuals grows by
 * the factor {@link #meanSquareGrowth} per step. Its diagonal (per-example) noise term carries the weight
 * {@code (n − B)/(B(n − 1))}, which is where the batch size enters: stability forces a (residual-weighted)
 * average of {@code ‖g_i‖²} below {@code 2B(n − 1)/(η(n − B))}, {@code tr(H)} itself when the residual
 * variance is spread evenly over the examples ({@link #traceBound}); for B = 1 that is the paper's
 * {@code tr(H) ≤ 2/η}, for B = n the noise vanishes and only GD's {@code λ_max ≤ 2/η} remains
 * (the factor is the mixing probability of Mulayoff and Michaeli, "Exact mean square linear stability analysis for SGD",
 * arXiv 2306.07850).
 */
public final class GaussNewton {
    private final double[][] gram; // K = J Jᵀ, n×n
    private final int parameters;

    private GaussNewton(double[][] gram, int parameters) {
        this.gram = gram;
        this.parameters = parameters;
    }

    /**
     * The Gauss–Newton matrix of the outputs {@code outputs(θ)} (a vector of n predictions, one per example) at
     * {@code theta}, from their Jacobian by reverse-mode autodiff (n sweeps).
     */
    public static GaussNewton of(Function<Tensor, Tensor> outputs, double[] theta) {
        if (theta.length == 0) throw new IllegalArgumentException("GaussNewton.of: theta is empty");
        Tensor j = Autodiff.jacobian(outputs, Tensor.of(theta.clone()));
        if (j.rank() != 2) {
            throw new IllegalArgumentException("GaussNewton.of: the outputs must be a vector (one per example), got Jacobian shape "
                    + Arrays.toString(j.shape()));
        }
        return ofJacobian(j);
    }

    /** From the Jacobian itself, shape [n examples, p parameters]: row i is the gradient of output i. */
    public static GaussNewton ofJacobian(Tensor jacobian) {
        if (jacobian.rank() != 2 || jacobian.size(0) < 1 || jacobian.size(1) < 1) {
            throw new IllegalArgumentException("GaussNewton.ofJacobian: need a non-empty [n, p] matrix, got shape " + Arrays.toString(jacobian.shape()));
        }
        int n = jacobian.size(0), p = jacobian.size(1);
        double[] flat = jacobian.toDoubleArray();
        for (double v : flat) if (!Double.isFinite(v)) throw new IllegalArgumentException("GaussNewton: the Jacobian has a non-finite entry");
        double[][] k = new double[n][n];
        for (int a = 0; a < n; a++) {
            for (int b = a; b < n; b++) {
                double s = 0;
                for (int c = 0; c < p; c++) s += flat[a * p + c] * flat[b * p + c];
                k[a][b] = k[b][a] = s;
            }
        }
        return new GaussNewton(k, p);
    }

    /** n, the number of examples. */
    public int examples() {
        return gram.length;
    }

    /** p, the number of parameters. */
    public int parameters() {
        return parameters;
    }

    /** {@code tr(G) = (1/n) Σ_i ‖g_i‖²}: the Hessian's trace at an interpolating minimum. */
    public double trace() {
        double s = 0;
        for (int i = 0; i < gram.length; i++) s += gram[i][i];
        return s / gram.length;
    }

    /** The nonzero part of the spectrum: the eigenvalues of {@code K/n}, largest first (the other p − n are 0). */
    public double[] eigenvalues() {
        int n = gram.length;
        double[][] scaled = new double[n][n];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) scaled[i][j] = gram[i][j] / n;
        double[] up = SymmetricEigen.values(scaled);
        double[] down = new double[n];
        for (int i = 0; i < n; i++) down[i] = up[n - 1 - i];
        return down;
    }

    /** {@code λ_max(G)}, the sharpness at an interpolating minimum. */
    public double sharpness() {
        return eigenvalues()[0];
    }

    /** {@code ‖G‖_F = ‖K‖_F / n}. */
    public double frobenius() {
        double s = 0;
        for (double[] row : gram) for (double v : row) s += v * v;
        return Math.sqrt(s) / gram.length;
    }

    /**
     * The trace SGD at step {@code lr} and batch {@code batch} can tolerate when the residual variance is spread
     * evenly over the examples: {@code 2B(n − 1)/(lr (n − B))}, which is {@code 2/lr} at B = 1 (Wu and Su's bound)
     * and infinite at B = n (full-batch GD, no noise).
     */
    public double traceBound(double lr, int batch) {
        checkStep(lr, batch);
        int n = gram.length;
        return batch == n ? Double.POSITIVE_INFINITY : 2.0 * batch * (n - 1) / (lr * (n - batch));
    }

    /**
     * The factor by which the second moment of the linearised SGD iterates grows per step at this minimum, with
     * step {@code lr} and {@code batch} examples drawn uniformly without replacement each step: the spectral
     * radius of {@code R ↦ E[(I − lr K D) R (I − lr D K)]} on the residuals' second moments, by power iteration
     * from {@code R = K}. At most 1: the minimum is linearly stable in mean square; above 1 SGD leaves it
     * exponentially fast. At {@code batch = n} it is {@code max_i (1 − lr λ_i)²}, GD's criterion.
     */
    public double meanSquareGrowth(double lr, int batch) {
        checkStep(lr, batch);
        int n = gram.length;
        // E[D R D] = same·R + diag·diag(R): same = (B−1)/(nB(n−1)), diag = (n−B)/(nB(n−1)); B = n gives R/n².
        double same = n == 1 ? 1.0 : (batch - 1.0) / ((double) n * batch * (n - 1));
        double diagonal = n == 1 ? 0.0 : (n - batch) / ((double) n * batch * (n - 1));
        double[][] r = copy(gram);
        normalize(r);
        double growth = 0;
        for (int it = 0; it < 20_000; it++) {
            if ((it & 63) == 0 && Thread.currentThread().isInterrupted()) // the flag stays set for enclosing loops
                throw new java.util.concurrent.CancellationException("interrupted during GaussNewton.meanSquareGrowth");
            double[][] next = step(r, lr, same, diagonal);
            double size = normalize(next);
            if (size == 0) return 0;
            boolean settled = Math.abs(size - growth) <= 1e-13 * size && it > 10;
            growth = size;
            r = next;
            if (settled) break;
        }
        return growth;
    }

    /** One application of the second-moment map. */
    private double[][] step(double[][] r, double lr, double same, double diagonal) {
        int n = gram.length;
        double[][] kr = multiply(gram, r);
        double[][] m = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i][j] = same * r[i][j];
            m[i][i] += diagonal * r[i][i];
        }
        double[][] kmk = multiply(multiply(gram, m), gram);
        double[][] out = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                // K R + R K = K R + (K R)ᵀ for symmetric R; written symmetric so that rounding cannot grow an
                // antisymmetric part, on which this formula is not the second-moment map
                double rij = (r[i][j] + r[j][i]) / 2, kmkij = (kmk[i][j] + kmk[j][i]) / 2;
                out[i][j] = out[j][i] = rij - lr / n * (kr[i][j] + kr[j][i]) + lr * lr * kmkij;
            }
        }
        return out;
    }

    private void checkStep(double lr, int batch) {
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("GaussNewton: the step size must be finite and > 0, got " + lr);
        if (batch < 1 || batch > gram.length) {
            throw new IllegalArgumentException("GaussNewton: the batch must be between 1 and the " + gram.length + " examples, got " + batch);
        }
    }

    private static double[][] multiply(double[][] a, double[][] b) {
        int n = a.length;
        double[][] c = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < n; k++) {
                double aik = a[i][k];
                if (aik == 0) continue;
                for (int j = 0; j < n; j++) c[i][j] += aik * b[k][j];
            }
        }
        return c;
    }

    private static double[][] copy(double[][] a) {
        double[][] c = new double[a.length][];
        for (int i = 0; i < a.length; i++) c[i] = a[i].clone();
        return c;
    }

    /** Scales to unit Frobenius norm; returns the norm before. */
    private static double normalize(double[][] a) {
        double s = 0;
        for (double[] row : a) for (double v : row) s += v * v;
        double norm = Math.sqrt(s);
        if (norm > 0) for (double[] row : a) for (int j = 0; j < row.length; j++) row[j] /= norm;
        return norm;
    }
}
