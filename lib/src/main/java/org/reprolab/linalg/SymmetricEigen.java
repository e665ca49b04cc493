package org.reprolab.linalg;

import java.util.Arrays;
import java.util.Comparator;
import java.util.function.DoubleUnaryOperator;
import java.util.stream.IntStream;

/**
 * The eigendecomposition {@code A = Q·Λ·Qᵀ} of a small dense symmetric matrix by cyclic Jacobi rotations
 * (Golub and Van Loan, <i>Matrix Computations</i>, 4th ed., §8.5): the one eigen-solver behind the Lanczos
 * matrix of {@code optim.HessianSpectrum}, the Gram spectrum of {@code optim.GaussNewton} and the matrix powers
 * of the closed-form Gaussian references in {@code diffusion} (entropic OT, the Bures–Wasserstein distance).
 * Slow for large matrices (each sweep is O(n³)) but exact to rounding and with orthonormal eigenvectors
 * for the few dimensions these callers need.
 *
 * <p>Sweeps run until the off-diagonal mass {@code Σ_{i<j} a_ij²} is at most {@code 10⁻³²·Σ_i a_ii²}
 * (at most 100 sweeps; Jacobi converges quadratically, so a handful suffice).
 */
public final class SymmetricEigen {

    private final double[] values;
    private final double[][] vectors;
    /** {@code diagonalOrder[j]}: the index in {@link #values} of the j-th diagonal entry the rotations left. */
    private final int[] diagonalOrder;

    private SymmetricEigen(double[] values, double[][] vectors, int[] diagonalOrder) {
        this.values = values;
        this.vectors = vectors;
        this.diagonalOrder = diagonalOrder;
    }

    /** Relative asymmetry {@code |a_ij − a_ji|} (against the largest entry) beyond which a matrix is rejected. */
    static final double SYMMETRY_TOLERANCE = 1e-10;

    /** The decomposition of {@code a} (not modified). */
    public static SymmetricEigen of(double[][] a) {
        double[][] m = checkedCopy(a);
        int n = m.length;
        double[][] v = new double[n][n];
        for (int i = 0; i < n; i++) v[i][i] = 1;
        diagonalize(m, v);
        Integer[] order = IntStream.range(0, n).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingDouble(k -> m[k][k]));
        double[] values = new double[n];
        double[][] vectors = new double[n][n];
        int[] diagonalOrder = new int[n];
        for (int k = 0; k < n; k++) {
            values[k] = m[order[k]][order[k]];
            for (int i = 0; i < n; i++) vectors[i][k] = v[i][order[k]];
            diagonalOrder[order[k]] = k;
        }
        return new SymmetricEigen(values, vectors, diagonalOrder);
    }

    /** The eigenvalues, ascending (a copy). */
    public double[] values() {
        return values.clone();
    }

    /** The orthonormal eigenvectors as the columns of Q: entry {@code [i][k]} is entry i of the eigenvector of {@code values()[k]} (a copy). */
    public double[][] vectors() {
        double[][] c = new double[vectors.length][];
        for (int i = 0; i < vectors.length; i++) c[i] = vectors[i].clone();
        return c;
    }

    /** The eigenvalues of {@code a} alone, ascending (the same rotations, without accumulating Q). */
    public static double[] values(double[][] a) {
        double[][] m = checkedCopy(a);
        diagonalize(m, null);
        double[] values = new double[m.length];
        for (int i = 0; i < m.length; i++) values[i] = m[i][i];
        Arrays.sort(values);
        return values;
    }

    /**
     * {@code Q·f(Λ)·Qᵀ}, the matrix function of {@code f} (a power of an SPD matrix for {@code f = λ ↦ λ^p}).
     * The eigenpairs are summed in the order the rotations left them on the diagonal, not ascending: the order
     * the diffusion references' own Jacobi copy summed in, so their matrix powers keep their bits (the ascending
     * order moves entries by up to ~1e-11 relative for ill-conditioned inverses).
     */
    public double[][] map(DoubleUnaryOperator f) {
        int n = values.length;
        double[][] out = new double[n][n];
        for (int d = 0; d < n; d++) {
            int k = diagonalOrder[d];
            double fk = f.applyAsDouble(values[k]);
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) out[i][j] += vectors[i][k] * fk * vectors[j][k];
        }
        return out;
    }

    private static double[][] checkedCopy(double[][] a) {
        int n = a.length;
        double[][] m = new double[n][];
        double largest = 0;
        for (int i = 0; i < n; i++) {
            if (a[i].length != n) throw new IllegalArgumentException("matrix is not square: row " + i + " has " + a[i].length + " entries, not " + n);
            m[i] = a[i].clone();
            for (int j = 0; j < n; j++) {
                if (!Double.isFinite(m[i][j])) throw new IllegalArgumentException("matrix entry (" + i + ", " + j + ") is " + m[i][j]);
                largest = Math.max(largest, Math.abs(m[i][j]));
            }
        }
        for (int i = 0; i < n; i++)
            for (int j = i + 1; j < n; j++)
                if (Math.abs(m[i][j] - m[j][i]) > SYMMETRY_TOLERANCE * largest) {
                    throw new IllegalArgumentException("matrix is not symmetric: entry (" + i + ", " + j + ") = " + m[i][j] + " but (" + j + ", " + i + ") = " + m[j][i]);
                }
        return m;
    }

    /** Cyclic sweeps over {@code m} in place; the rotations are accumulated into the columns of {@code v} when it is not null. */
    private static void diagonalize(double[][] m, double[][] v) {
        int n = m.length;
        for (int sweep = 0; sweep < 100; sweep++) {
            double off = 0, diag = 0;
            for (int i = 0; i < n; i++) {
                diag += m[i][i] * m[i][i];
                for (int j = i + 1; j < n; j++) off += m[i][j] * m[i][j];
            }
            if (off <= 1e-32 * Math.max(diag, Double.MIN_NORMAL)) return;
            for (int q = 0; q < n; q++) for (int r = q + 1; r < n; r++) if (m[q][r] != 0) rotate(m, v, q, r);
        }
    }

    /** One Jacobi rotation zeroing {@code m[q][r]}: {@code M ← Jᵀ·M·J} (columns, then rows q and r), and {@code V ← V·J}. */
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
        }
        if (v != null) {
            for (int i = 0; i < n; i++) {
                double vq = v[i][q], vr = v[i][r];
                v[i][q] = c * vq - s * vr;
                v[i][r] = s * vq + c * vr;
            }
        }
    }
}
