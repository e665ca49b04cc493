package org.reprolab.optim;

import java.util.Arrays;

/**
 * Schedule refinement from observed gradient norms: Defazio, Cutkosky, Mehta, Mishchenko, "When,
 * Why and How Much? Adaptive Learning Rate Scheduling by Refinement" (2023, arXiv 2310.07831), as the
 * official code computes it (facebookresearch/adaptive_scheduling: {@code find_closed_form_schedule} in
 * {@code find_schedule.py}, the median filter of its README and {@code visual.py}). From the norms
 * {@code G_0..G_{T-1}} of a previous run of the same problem:
 * <ol>
 * <li>smooth: {@code g^ = median_filter(G, width)} with {@code width = 2⌊⌊τT⌋/2⌋ + 1}, the sequence extended
 * at its end by {@code 2·width} reflected values and the filter's edges padded with the nearest value
 * (scipy's {@code median_filter(np.pad(G, (0, pad), 'reflect'), size=width, mode='nearest')[:-pad]});</li>
 * <li>weigh: {@code w_t = g^_t^{-p}}, with p = 2 for SGD (ℓ2 norms of the gradients) and p = 1 for the
 * Adam-type variant, whose norms are the ℓ1 norms of the gradients ({@code weights=gnorms**-1} on the
 * {@code norm_sequences_l1} runs);</li>
 * <li>schedule: {@code η_t ∝ w_t Σ_{p>t} w_p}, {@code η_{T-1} = 0}, divided by its maximum.</li>
 * </ol>
 * Constant norms give linear decay {@code (T−1−t)/(T−1)}, the worst-case optimal schedule of the paper's
 * last-iterate analysis; norms that are large early give a warm-up, norms that grow late a faster anneal.
 */
public final class Refinement {
    private Refinement() {}

    /** The refined SGD schedule from ℓ2 gradient norms (weights {@code G^-2}): one multiplier per step, maximum 1. */
    public static double[] refine(double[] gradNorms, double tau) {
        return refine(gradNorms, tau, 2);
    }

    /**
     * The refined schedule of the Adam-type variant from the ℓ1 norms of the gradients (weights
     * {@code G^-1}): one multiplier per step, maximum 1.
     */
    public static double[] refineAdam(double[] l1GradNorms, double tau) {
        return refine(l1GradNorms, tau, 1);
    }

    private static double[] refine(double[] norms, double tau, double power) {
        int n = norms.length;
        Check.that(n >= 2, "refine", "needs at least 2 gradient norms, got " + n);
        Check.that(tau >= 0 && tau <= 1, "refine", "tau must be in [0, 1], got " + tau);
        for (int i = 0; i < n; i++)
            Check.that(Double.isFinite(norms[i]) && norms[i] > 0, "refine",
                    "gradient norm " + i + " must be finite and > 0, got " + norms[i]);
        double[] w = medianFilter(norms, 2 * ((int) (tau * n) / 2) + 1);
        for (int t = 0; t < n; t++) w[t] = Math.pow(w[t], -power);
        double[] schedule = new double[n];
        double tail = 0;
        for (int t = n - 1; t >= 0; t--) {
            schedule[t] = w[t] * tail;
            tail += w[t];
        }
        double max = Arrays.stream(schedule).max().orElse(1);
        for (int t = 0; t < n; t++) schedule[t] /= max;
        return schedule;
    }

    /**
     * Running median of odd {@code width} as the official code takes it: the sequence extended at its end
     * by {@code 2·width} values reflected about the last one (numpy's {@code 'reflect'}), the window clamped
     * to the nearest value at both edges (scipy's {@code mode='nearest'}).
     */
    static double[] medianFilter(double[] x, int width) {
        int n = x.length, half = width / 2;
        int extended = n + 2 * width;
        double[] out = new double[n];
        double[] win = new double[2 * half + 1];
        for (int i = 0; i < n; i++) {
            for (int k = -half; k <= half; k++) win[k + half] = x[reflected(Math.min(Math.max(i + k, 0), extended - 1), n)];
            Arrays.sort(win);
            out[i] = win[half];
        }
        return out;
    }

    /** Index {@code i ≥ 0} of the sequence extended by reflection about its last element (period 2(n−1)). */
    private static int reflected(int i, int n) {
        if (n == 1) return 0;
        int period = 2 * (n - 1), r = i % period;
        return r < n ? r : period - r;
    }
}
