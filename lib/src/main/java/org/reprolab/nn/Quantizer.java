package org.reprolab.nn;

import java.util.Arrays;
import java.util.Objects;
import org.reprolab.tensor.Tensor;

/**
 * A uniform integer quantiser, as a value: how many bits, symmetric (zero point 0, levels
 * {@code −(2^(b−1)−1) … 2^(b−1)−1}) or affine (levels {@code 0 … 2^b−1} with a zero point, the range widened to
 * hold 0), one grid for the whole tensor or one per channel (the slices along the first axis: a {@link Linear}
 * weight's output rows), and the {@link RangeRule} that sets the range. {@link #fit} calibrates it into a
 * {@link QuantGrid} on sample values (Nagel et al., "A white paper on neural network quantization", 2021, §2–3).
 * Post-training quantisation of diffusion models (PTQ4DM, Shang et al., CVPR 2023) uses symmetric per-channel
 * weights and symmetric per-tensor activations with the MSE range search; {@link FakeQuantization} applies such
 * quantisers to a module.
 *
 * @param bits       bits per value, 2 … 16
 * @param symmetric  zero point 0 and levels symmetric about it
 * @param channelwise one grid per slice of the first axis instead of one for the tensor
 * @param range      how the range is chosen
 */
public record Quantizer(int bits, boolean symmetric, boolean channelwise, RangeRule range) {
    public Quantizer {
        if (bits < 2 || bits > 16) throw new IllegalArgumentException("Quantizer: bits must be in 2..16, got " + bits);
        Objects.requireNonNull(range, "Quantizer: range rule");
    }

    /** Symmetric, per tensor, min–max range. */
    public static Quantizer symmetric(int bits) {
        return new Quantizer(bits, true, false, RangeRule.minMax());
    }

    /** Affine (asymmetric, with a zero point), per tensor, min–max range. */
    public static Quantizer affine(int bits) {
        return new Quantizer(bits, false, false, RangeRule.minMax());
    }

    /** This quantiser with one grid per slice of the first axis. */
    public Quantizer perChannel() {
        return new Quantizer(bits, symmetric, true, range);
    }

    /** This quantiser with another range rule. */
    public Quantizer range(RangeRule rule) {
        return new Quantizer(bits, symmetric, channelwise, rule);
    }

    /** This quantiser with another bit width. */
    public Quantizer withBits(int b) {
        return new Quantizer(b, symmetric, channelwise, range);
    }

    /** Largest integer level. */
    public int qmax() {
        return symmetric ? (1 << (bits - 1)) - 1 : (1 << bits) - 1;
    }

    /** Smallest integer level. */
    public int qmin() {
        return symmetric ? -qmax() : 0;
    }

    /** The grid calibrated on {@code sample}: per channel along its first axis, or one for all of it. */
    public QuantGrid fit(Tensor sample) {
        if (sample.numel() == 0) throw new IllegalArgumentException("Quantizer.fit: empty sample");
        double[] v = sample.toDoubleArray();
        int channels = channelwise ? (sample.rank() == 0 ? 1 : sample.size(0)) : 1;
        int per = v.length / channels;
        double[] scale = new double[channels];
        int[] zero = new int[channels];
        for (int c = 0; c < channels; c++) {
            double[] grid = fitChannel(Arrays.copyOfRange(v, c * per, (c + 1) * per));
            scale[c] = grid[0];
            zero[c] = (int) grid[1];
        }
        return new QuantGrid(scale, zero, qmin(), qmax());
    }

    /** {scale, zero point} for one channel's values. */
    private double[] fitChannel(double[] v) {
        for (double x : v) if (!Double.isFinite(x)) throw new IllegalArgumentException("Quantizer.fit: sample holds a non-finite value " + x);
        double lo = Arrays.stream(v).min().orElseThrow(), hi = Arrays.stream(v).max().orElseThrow();
        return switch (range) {
            case RangeRule.MinMax _ -> grid(lo, hi);
            case RangeRule.Percentile p -> percentile(v, p.p());
            case RangeRule.Mse m -> {
                double[] best = grid(lo, hi);
                double bestError = Double.POSITIVE_INFINITY;
                for (int k = m.candidates(); k >= 1; k--) {
                    if (Thread.currentThread().isInterrupted()) throw new java.util.concurrent.CancellationException("interrupted during Quantizer.fit");
                    double shrink = (double) k / m.candidates();
                    double[] g = grid(lo * shrink, hi * shrink);
                    double error = 0;
                    for (double x : v) {
                        double d = QuantGrid.roundTrip(x, g[0], g[1], qmin(), qmax()) - x;
                        error += d * d;
                    }
                    if (error < bestError) {
                        bestError = error;
                        best = g;
                    }
                }
                yield best;
            }
        };
    }

    private double[] percentile(double[] v, double p) {
        double[] s = v.clone();
        if (symmetric) for (int i = 0; i < s.length; i++) s[i] = Math.abs(s[i]);
        Arrays.sort(s);
        double hi = quantile(s, p);
        return symmetric ? grid(-hi, hi) : grid(quantile(s, 1 - p), hi);
    }

    /** Linear interpolation between order statistics (numpy's default). */
    private static double quantile(double[] sorted, double q) {
        double pos = q * (sorted.length - 1);
        int i = (int) Math.floor(pos);
        if (i + 1 >= sorted.length) return sorted[sorted.length - 1];
        return sorted[i] + (pos - i) * (sorted[i + 1] - sorted[i]);
    }

    /** {scale, zero point} of the grid covering [lo, hi]; a degenerate (all-zero) range gets scale 1. */
    private double[] grid(double lo, double hi) {
        if (symmetric) {
            double a = Math.max(Math.abs(lo), Math.abs(hi));
            return new double[] {a > 0 ? a / qmax() : 1, 0};
        }
        lo = Math.min(lo, 0);
        hi = Math.max(hi, 0);
        double scale = hi > lo ? (hi - lo) / qmax() : 1;
        return new double[] {scale, Math.rint(-lo / scale)};
    }
}
