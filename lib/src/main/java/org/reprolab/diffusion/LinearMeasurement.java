package org.reprolab.diffusion;

import org.reprolab.random.RngKey;

/**
 * A linear measurement {@code y = A x + σ_y n}, {@code n ~ N(0, I)}: the forward model of a linear inverse problem
 * (inpainting is a mask, denoising the identity, compressed sensing a random matrix). Posterior samplers with a
 * diffusion prior ({@link InverseSolver}: DPS, RED-diff, DDS) use only {@code A}, {@code Aᵀ} and σ_y; a
 * {@link GaussianMixture} prior turns the same measurement into an exact posterior
 * ({@link GaussianMixture#posterior}), the reference the solvers are checked against.
 *
 * @param matrix   {@code A}, {@code m × d} (not copied)
 * @param noiseStd σ_y &gt; 0 (a positive noise keeps the exact posterior a proper mixture)
 */
public record LinearMeasurement(double[][] matrix, double noiseStd) {

    public LinearMeasurement {
        if (matrix.length == 0 || matrix[0].length == 0) throw new IllegalArgumentException("measurement matrix must be non-empty");
        for (double[] row : matrix)
            if (row.length != matrix[0].length) throw new IllegalArgumentException("measurement matrix rows differ in length: " + row.length + " vs " + matrix[0].length);
        if (!(noiseStd > 0) || !Double.isFinite(noiseStd)) throw new IllegalArgumentException("measurement noise std must be finite and > 0, got " + noiseStd);
    }

    /** Inpainting: observe the coordinates {@code observed} of a {@code dim}-vector (a row-selection matrix). */
    public static LinearMeasurement mask(int dim, double noiseStd, int... observed) {
        if (observed.length == 0) throw new IllegalArgumentException("mask: observe at least one coordinate");
        double[][] a = new double[observed.length][dim];
        boolean[] seen = new boolean[dim];
        for (int i = 0; i < observed.length; i++) {
            int j = observed[i];
            if (j < 0 || j >= dim) throw new IllegalArgumentException("mask: coordinate " + j + " is outside 0.." + (dim - 1));
            if (seen[j]) throw new IllegalArgumentException("mask: coordinate " + j + " observed twice");
            seen[j] = true;
            a[i][j] = 1;
        }
        return new LinearMeasurement(a, noiseStd);
    }

    /** Denoising: {@code A = I}. */
    public static LinearMeasurement denoising(int dim, double noiseStd) {
        double[][] a = new double[dim][dim];
        for (int i = 0; i < dim; i++) a[i][i] = 1;
        return new LinearMeasurement(a, noiseStd);
    }

    /** Number of measurements m. */
    public int rows() {
        return matrix.length;
    }

    /** Dimension d of the signal. */
    public int dim() {
        return matrix[0].length;
    }

    /** {@code A x} for every row of {@code x} (no noise). */
    public Batch apply(Batch x) {
        checkDim(x.dim(), dim(), "signal");
        return new Batch(x.n(), rows(), times(x.data(), x.n(), false));
    }

    /** {@code Aᵀ r} for every row of {@code r} ({@code m}-vectors). */
    public Batch adjoint(Batch r) {
        checkDim(r.dim(), rows(), "measurement");
        return new Batch(r.n(), dim(), times(r.data(), r.n(), true));
    }

    /** {@code A x + σ_y n} with n the standard normals of {@code key}. */
    public Batch measure(Batch x, RngKey key) {
        Batch y = apply(x);
        Batch n = Batch.normal(y.n(), y.dim(), key);
        for (int i = 0; i < y.data().length; i++) y.data()[i] += noiseStd * n.data()[i];
        return y;
    }

    /** Row-major {@code A v} (or {@code Aᵀ v}) for {@code n} stacked vectors. */
    double[] times(double[] v, int n, boolean transpose) {
        int m = rows(), d = dim(), in = transpose ? m : d, out = transpose ? d : m;
        double[] o = new double[n * out];
        for (int p = 0; p < n; p++)
            for (int i = 0; i < m; i++) {
                double[] row = matrix[i];
                if (transpose) {
                    double vi = v[p * in + i];
                    if (vi != 0) for (int j = 0; j < d; j++) o[p * out + j] += row[j] * vi;
                } else {
                    double s = 0;
                    for (int j = 0; j < d; j++) s += row[j] * v[p * in + j];
                    o[p * out + i] = s;
                }
            }
        return o;
    }

    private static void checkDim(int got, int want, String what) {
        if (got != want) throw new IllegalArgumentException("measurement expects a " + what + " of dimension " + want + ", got " + got);
    }
}
