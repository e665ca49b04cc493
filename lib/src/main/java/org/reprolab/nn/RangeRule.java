package org.reprolab.nn;

/**
 * How a {@link Quantizer} chooses the real interval its integer grid covers, from the values it calibrates on.
 * Min–max keeps every value representable but spends the grid on outliers; a percentile or a mean-squared-error
 * search clips the tails to make the common values finer (Nagel et al., "A white paper on neural network
 * quantization", 2021, §3.4; the MSE search is the range initialisation of BRECQ/QDrop, which PTQ4DM — Shang et
 * al., CVPR 2023 — uses for both weights and activations).
 */
public sealed interface RangeRule {

    /** The smallest interval holding every value. */
    static RangeRule minMax() {
        return new MinMax();
    }

    /** The interval between the {@code 1 − p} and {@code p} quantiles ({@code p} of {@code |x|} for a symmetric grid), 0.5 < p ≤ 1. */
    static RangeRule percentile(double p) {
        return new Percentile(p);
    }

    /** The min–max interval shrunk by the factor among 1, 0.99, …, 0.01 that minimises the squared quantisation error. */
    static RangeRule mse() {
        return new Mse(100);
    }

    /** See {@link #minMax()}. */
    record MinMax() implements RangeRule {
        @Override
        public String toString() {
            return "min-max";
        }
    }

    /** See {@link #percentile(double)}. */
    record Percentile(double p) implements RangeRule {
        public Percentile {
            if (!(p > 0.5 && p <= 1)) throw new IllegalArgumentException("RangeRule.percentile: p must be in (0.5, 1], got " + p);
        }

        @Override
        public String toString() {
            return "p" + new java.math.BigDecimal(Double.toString(p)).movePointRight(2).stripTrailingZeros().toPlainString();
        }
    }

    /** See {@link #mse()}: {@code candidates} shrink factors {@code k / candidates}, k = candidates … 1. */
    record Mse(int candidates) implements RangeRule {
        public Mse {
            if (candidates < 1) throw new IllegalArgumentException("RangeRule.Mse: candidates must be >= 1, got " + candidates);
        }

        @Override
        public String toString() {
            return candidates == 100 ? "MSE" : "MSE(" + candidates + ")";
        }
    }
}
