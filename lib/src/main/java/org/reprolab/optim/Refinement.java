package org.reprolab.optim;

import java.util.Arrays;

/**
 * Schedule refinement from observed gradient norms: Defazio, Cutkosky, Mehta, Mishchenko, "When,
 * Why and How Much? Adaptive Learning Rate Scheduling by Refinement" (2023, arXiv 2310.07831),
 * Algorithm 1 (the SGD form). From the gradient norms {@code G_1..G_T} of a previous run:
 * {@code g^ = median_filter(G, width = tau T)}, {@code w_t = g^_t^-2 sum_{p > t} g^_p^2}, normalised by
 * its maximum. Constant norms give linear decay ({@code w_t proportional to T - t}), the worst-case
 * optimal schedule; norms that fall early and rise late give warmup and fast annealing.
 *
 * <p>Status: the rule is written from the paper as the research notes recall it (median filter with
 * nearest padding); only the constant-norm case (linear decay) is verified by a test. The paper's
 * variant for Adam-type methods (another norm) is not implemented.
 */
public final class Refinement {
    private Refinement() {}

    /** The refined multipliers, one per step, maximum 1. */
    public static double[] refine(double[] gradNorms, double tau) {
        int n = gradNorms.length;
        Check.that(n >= 2, "refine", "needs at least 2 gradient norms, got " + n);
        Check.that(tau >= 0 && tau <= 1, "refine", "tau must be in [0, 1], got " + tau);
        for (int i = 0; i < n; i++)
            Check.that(Double.isFinite(gradNorms[i]) && gradNorms[i] > 0, "refine",
                    "gradient norm " + i + " must be finite and > 0, got " + gradNorms[i]);
        double[] g = medianFilter(gradNorms, Math.max(1, (int) Math.round(tau * n)));
        double[] w = new double[n];
        double tail = 0;
        for (int t = n - 1; t >= 0; t--) {
            w[t] = tail / (g[t] * g[t]);
            tail += g[t] * g[t];
        }
        double max = Arrays.stream(w).max().orElse(1);
        for (int t = 0; t < n; t++) w[t] /= max;
        return w;
    }

    /** Running median of odd width (even widths round up), edges padded with the nearest value. */
    static double[] medianFilter(double[] x, int width) {
        int half = width / 2;
        double[] out = new double[x.length];
        double[] win = new double[2 * half + 1];
        for (int i = 0; i < x.length; i++) {
            for (int k = -half; k <= half; k++) win[k + half] = x[Math.min(Math.max(i + k, 0), x.length - 1)];
            Arrays.sort(win);
            out[i] = win[half];
        }
        return out;
    }
}
