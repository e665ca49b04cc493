package org.reprolab.diffusion;

import java.util.Arrays;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * A batch of {@code n} points in {@code dim} dimensions, row-major in one {@code double[]}: the state every
 * sampler works on. This is the seam between the samplers (vectorised loops over the whole batch, no
 * per-point objects) and tensors ({@link #toTensor()}, {@link #of(Tensor)}) where a trained network lives.
 *
 * @param n    number of points
 * @param dim  dimension of each point
 * @param data {@code n·dim} values, point {@code i} at {@code [i·dim, (i+1)·dim)}; not copied
 */
public record Batch(int n, int dim, double[] data) {

    public Batch {
        if (n < 0 || dim <= 0) throw new IllegalArgumentException("Batch needs n >= 0 and dim > 0, got n=" + n + ", dim=" + dim);
        if (data.length != (long) n * dim)
            throw new IllegalArgumentException("Batch of " + n + "x" + dim + " needs " + (long) n * dim + " values, got " + data.length);
    }

    /** A batch from rows of equal length (copied). */
    public static Batch of(double[][] rows) {
        if (rows.length == 0) throw new IllegalArgumentException("Batch.of: no rows");
        int d = rows[0].length;
        double[] v = new double[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != d) throw new IllegalArgumentException("Batch.of: row " + i + " has length " + rows[i].length + ", expected " + d);
            System.arraycopy(rows[i], 0, v, i * d, d);
        }
        return new Batch(rows.length, d, v);
    }

    /** A batch from a rank-2 tensor {@code [n, dim]} (copied to the host in f64). */
    public static Batch of(Tensor t) {
        if (t.rank() != 2) throw new IllegalArgumentException("Batch.of: need a [n, dim] tensor, got shape " + Arrays.toString(t.shape()));
        return new Batch(t.size(0), t.size(1), t.toDoubleArray());
    }

    /** {@code n×dim} standard normals: elements {@code 0..n·dim} of {@code key}'s Philox normal stream (same on every device). */
    public static Batch normal(int n, int dim, RngKey key) {
        double[] v = new double[n * dim];
        Philox.fill(key, true, 0, v, 0, v.length);
        return new Batch(n, dim, v);
    }

    /** {@link #normal(int, int, RngKey)} from a seed. */
    public static Batch normal(int n, int dim, long seed) {
        return normal(n, dim, RngKey.of(seed));
    }

    /** An f64 tensor {@code [n, dim]} over a copy of the data. */
    public Tensor toTensor() {
        return Tensor.of(data, n, dim);
    }

    /** The rows as a new {@code double[n][dim]}. */
    public double[][] rows() {
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) r[i] = Arrays.copyOfRange(data, i * dim, (i + 1) * dim);
        return r;
    }

    /** Point {@code i}, coordinate {@code j}. */
    public double get(int i, int j) {
        return data[i * dim + j];
    }

    /** A deep copy. */
    public Batch copy() {
        return new Batch(n, dim, data.clone());
    }

    /** A batch of the same shape over new data. */
    Batch with(double[] values) {
        return new Batch(n, dim, values);
    }

    /** Rows {@code [from, to)} (copied). */
    public Batch rows(int from, int to) {
        return new Batch(to - from, dim, Arrays.copyOfRange(data, from * dim, to * dim));
    }

    @Override
    public String toString() {
        return "Batch[" + n + "x" + dim + "]";
    }
}
