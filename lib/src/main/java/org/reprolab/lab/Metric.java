package org.reprolab.lab;

/**
 * A metric a pillar records, and which way is better: {@code best(...)} and the best-so-far column
 * use it.
 *
 * @param name          the history key ("loss", "test_accuracy")
 * @param lowerIsBetter true for losses and errors, false for accuracies
 */
public record Metric(String name, boolean lowerIsBetter) {

    static Metric lower(String name) {
        return new Metric(name, true);
    }

    static Metric higher(String name) {
        return new Metric(name, false);
    }

    /** The better of two values (NaN loses). */
    double better(double a, double b) {
        if (Double.isNaN(a)) return b;
        if (Double.isNaN(b)) return a;
        return lowerIsBetter ? Math.min(a, b) : Math.max(a, b);
    }

    /** The best value of a history. */
    double best(double[] history) {
        double best = Double.NaN;
        for (double v : history) best = better(best, v);
        return best;
    }
}
