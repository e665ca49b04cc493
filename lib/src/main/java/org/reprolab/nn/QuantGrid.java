package org.reprolab.nn;

import java.util.Arrays;
import org.reprolab.tensor.Tensor;

/**
 * A calibrated uniform integer grid: value {@code x} of channel {@code c} maps to
 * {@code q = clamp(round(x / scale[c]) + zeroPoint[c], qmin, qmax)} and back to {@code (q − zeroPoint[c])·scale[c]}
 * ("fake quantisation": the rounding error of integer arithmetic, computed in floating point; Jacob et al., CVPR
 * 2018). One channel is the whole tensor; several are the slices along the first axis (a weight's output rows).
 * Rounding is half to even, as {@code torch.round}.
 *
 * @param scale     step of each channel's grid (> 0)
 * @param zeroPoint the integer that represents 0 in each channel (0 for a symmetric grid)
 * @param qmin      smallest integer level
 * @param qmax      largest integer level
 */
public record QuantGrid(double[] scale, int[] zeroPoint, int qmin, int qmax) {
    public QuantGrid {
        if (scale.length == 0 || scale.length != zeroPoint.length) {
            throw new IllegalArgumentException("QuantGrid: need one scale and one zero point per channel, got " + scale.length + " and " + zeroPoint.length);
        }
        if (qmin >= qmax) throw new IllegalArgumentException("QuantGrid: qmin " + qmin + " must be below qmax " + qmax);
        for (double s : scale) if (!(s > 0 && Double.isFinite(s))) throw new IllegalArgumentException("QuantGrid: scales must be positive and finite, got " + s);
        scale = scale.clone();
        zeroPoint = zeroPoint.clone();
    }

    /** The number of channels (1 for a per-tensor grid). */
    public int channels() {
        return scale.length;
    }

    /** {@code x} rounded to channel {@code c}'s grid. */
    public double apply(double x, int c) {
        return roundTrip(x, scale[c], zeroPoint[c], qmin, qmax);
    }

    /** {@code x} to the integer level of the grid {@code (scale, zero, qmin, qmax)} and back. */
    static double roundTrip(double x, double scale, double zero, int qmin, int qmax) {
        double q = Math.rint(x / scale) + zero;
        return (Math.min(qmax, Math.max(qmin, q)) - zero) * scale;
    }

    /** {@code x} rounded to the grid, a new f64 tensor of the same shape (no gradient: post-training quantisation). */
    public Tensor apply(Tensor x) {
        double[] v = x.toDoubleArray();
        apply(v, x.rank() == 0 ? 1 : x.size(0));
        return Tensor.of(v, x.shape()).to(x.dtype());
    }

    /** Rounds {@code v} in place, read as {@code rows} equal slices when there are several channels. */
    void apply(double[] v, int rows) {
        if (channels() == 1) {
            for (int i = 0; i < v.length; i++) v[i] = apply(v[i], 0);
            return;
        }
        if (rows != channels()) {
            throw new IllegalArgumentException("QuantGrid: " + channels() + " channels, but the tensor's first axis has " + rows);
        }
        int per = v.length / rows;
        for (int i = 0; i < v.length; i++) v[i] = apply(v[i], i / per);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof QuantGrid g && Arrays.equals(scale, g.scale) && Arrays.equals(zeroPoint, g.zeroPoint) && qmin == g.qmin && qmax == g.qmax;
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(scale) + Arrays.hashCode(zeroPoint)) + 31 * qmin + qmax;
    }

    @Override
    public String toString() {
        return "QuantGrid[scale=" + Arrays.toString(scale) + ", zeroPoint=" + Arrays.toString(zeroPoint) + ", q=" + qmin + ".." + qmax + "]";
    }
}
