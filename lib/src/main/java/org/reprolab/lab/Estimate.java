package org.reprolab.lab;

import java.util.Arrays;
import java.util.Locale;
import smile.stat.distribution.TDistribution;

/**
 * A metric over repeated seeds: the mean and the half-width of its 95% confidence interval,
 * Student's t with {@code n - 1} degrees of freedom ({@code t(0.975, n-1) s / sqrt(n)}, s the sample
 * standard deviation), the interval seaborn and most papers draw. One seed gives a NaN half-width.
 *
 * @param mean      the average over seeds
 * @param halfWidth the interval is {@code mean ± halfWidth}
 * @param n         how many seeds
 */
public record Estimate(double mean, double halfWidth, int n) {

    /** The estimate of {@code samples}, one value per seed. */
    public static Estimate of(double... samples) {
        int n = samples.length;
        if (n == 0) return new Estimate(Double.NaN, Double.NaN, 0);
        double mean = Arrays.stream(samples).sum() / n;
        if (n == 1) return new Estimate(mean, Double.NaN, 1);
        double ss = 0;
        for (double v : samples) ss += (v - mean) * (v - mean);
        double sd = Math.sqrt(ss / (n - 1));
        return new Estimate(mean, new TDistribution(n - 1).quantile(0.975) * sd / Math.sqrt(n), n);
    }

    public double low() {
        return mean - halfWidth;
    }

    public double high() {
        return mean + halfWidth;
    }

    @Override
    public String toString() {
        return Double.isNaN(halfWidth) ? Format.number(mean) : Format.number(mean) + " ± " + Format.number(halfWidth);
    }
}
