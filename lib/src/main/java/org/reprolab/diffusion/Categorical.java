package org.reprolab.diffusion;

import java.util.SplittableRandom;

/**
 * Categorical distributions over {@code 0 .. K−1}: drawing by the Gumbel-max trick in a chosen
 * {@link SamplingPrecision} (the way masked diffusion models sample tokens, and the place where Zheng et al. 2024
 * found float32 truncation lowering the temperature), Zipf laws, and entropies.
 */
public final class Categorical {
    private Categorical() {}

    /**
     * One draw from {@code probabilities} (non-negative, not necessarily normalised) by Gumbel-max:
     * {@code argmax_c (log p_c + g_c)} with {@code g_c = −log(−log u_c)}, every quantity rounded to {@code precision}
     * and the uniforms carrying its number of random bits. Zero-probability categories are never drawn; ties keep the
     * first category. In float64 this is an exact sampler up to the 2⁻⁵³ grid; in lower precisions categories far
     * below the leader are never drawn (Zheng et al. 2024).
     */
    public static int sample(double[] probabilities, SamplingPrecision precision, SplittableRandom random) {
        double[] logs = new double[probabilities.length];
        for (int c = 0; c < logs.length; c++) {
            double p = probabilities[c];
            if (!(p >= 0) || Double.isInfinite(p)) throw new IllegalArgumentException("categorical: probability " + c + " is " + p + "; probabilities must be finite and >= 0");
            logs[c] = precision.round(Math.log(p));
        }
        return gumbelMax(logs, logs.length, precision, random);
    }

    /**
     * Gumbel-max over the first {@code n} log-probabilities, already rounded to {@code precision} ({@code −∞} for
     * categories that cannot be drawn); a uniform is drawn for every category, as vectorised implementations do.
     */
    static int gumbelMax(double[] logProbabilities, int n, SamplingPrecision precision, SplittableRandom random) {
        int best = -1;
        double top = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < n; c++) {
            double g = precision.gumbel(precision.uniform(random));
            double score = precision.round(logProbabilities[c] + g);
            if (score > top) {
                top = score;
                best = c;
            }
        }
        if (best < 0) throw new IllegalArgumentException("categorical: no category has positive probability");
        return best;
    }

    /** The Zipf law {@code p_k ∝ (k + 1)^−exponent}, k = 0 .. size − 1. */
    public static double[] zipf(int size, double exponent) {
        if (size < 1 || !(exponent >= 0)) throw new IllegalArgumentException("zipf needs size >= 1 and exponent >= 0, got " + size + ", " + exponent);
        double[] p = new double[size];
        double sum = 0;
        for (int k = 0; k < size; k++) sum += p[k] = Math.pow(k + 1, -exponent);
        for (int k = 0; k < size; k++) p[k] /= sum;
        return p;
    }

    /** The entropy {@code −Σ p log p} in nats of a probability vector. */
    public static double entropy(double[] p) {
        double h = 0;
        for (double q : p) if (q > 0) h -= q * Math.log(q);
        return h;
    }

    /** The plug-in entropy in nats of every token of {@code samples} pooled (values 0 .. vocabulary − 1). */
    public static double entropy(int[][] samples, int vocabulary) {
        double[] counts = new double[vocabulary];
        long total = 0;
        for (int[] s : samples) {
            for (int v : s) {
                if (v < 0 || v >= vocabulary) throw new IllegalArgumentException("token " + v + " is outside the vocabulary 0.." + (vocabulary - 1));
                counts[v]++;
                total++;
            }
        }
        if (total == 0) throw new IllegalArgumentException("entropy of no tokens");
        for (int v = 0; v < vocabulary; v++) counts[v] /= total;
        return entropy(counts);
    }
}
