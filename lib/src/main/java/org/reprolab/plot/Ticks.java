package org.reprolab.plot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * The tick marks of one axis: where the labelled (major) ticks go, their labels, and unlabelled minor
 * ticks. XChart 4.0.3 places x ticks at every k-th data value when the data are equally spaced (hence axes
 * reading "0 41 82 123") and labels a log axis only at decades, so the figures compute ticks here and
 * paint them themselves ({@link Axes}).
 *
 * <p>Linear axes use the nice-number rule of Heckbert ("Nice numbers for graph labels", Graphics Gems,
 * 1990) with matplotlib's {@code MaxNLocator} steps 1, 2, 2.5, 5 x 10^k: the smallest such step that
 * puts at most {@code maxCount} ticks inside the view. Log axes are labelled at 1, 2, 5 x 10^k when
 * those fit, else at decades (every s-th decade when even those are too many) with unlabelled minor
 * ticks between; a view narrower than three 1-2-5 ticks falls back to linear ticks.
 */
record Ticks(double[] values, String[] labels, double[] minor) {

    private static final double[] STEPS = {1, 2, 2.5, 5};
    private static final double[] LOG_STEPS = {1, 2, 5};

    /** Nice ticks inside {@code [lo, hi]}, at most {@code maxCount} of them (at least 2 asked). */
    static Ticks linear(double lo, double hi, int maxCount) {
        checkView(lo, hi, maxCount);
        int exponent = (int) Math.floor(Math.log10((hi - lo) / maxCount)) - 1;
        while (true) {
            for (double mantissa : STEPS) {
                BigDecimal step = BigDecimal.valueOf(mantissa).scaleByPowerOfTen(exponent);
                double s = step.doubleValue();
                long first = (long) Math.ceil(lo / s - 1e-9);
                long last = (long) Math.floor(hi / s + 1e-9);
                if (last - first + 1 <= maxCount) {
                    double[] values = new double[(int) Math.max(0, last - first + 1)];
                    String[] labels = new String[values.length];
                    for (int i = 0; i < values.length; i++) {
                        values[i] = step.multiply(BigDecimal.valueOf(first + i)).doubleValue();
                        labels[i] = label(values[i], s, Math.max(Math.abs(lo), Math.abs(hi)));
                    }
                    return new Ticks(values, labels, new double[0]);
                }
            }
            exponent++;
        }
    }

    /** Ticks for a log axis over {@code [lo, hi]} (both positive), at most {@code maxCount} labelled. */
    static Ticks log(double lo, double hi, int maxCount) {
        checkView(lo, hi, maxCount);
        if (!(lo > 0)) {
            throw new IllegalArgumentException("log axis needs a positive view, got [" + lo + ", " + hi + "]");
        }
        int e0 = (int) Math.floor(Math.log10(lo));
        int e1 = (int) Math.ceil(Math.log10(hi));
        List<Double> oneTwoFive = new ArrayList<>();
        for (int e = e0; e <= e1; e++) {
            for (double m : LOG_STEPS) {
                double v = power(m, e);
                if (inside(v, lo, hi)) {
                    oneTwoFive.add(v);
                }
            }
        }
        if (oneTwoFive.size() < 3) {
            return linear(lo, hi, maxCount);
        }
        if (oneTwoFive.size() <= maxCount) {
            double[] values = oneTwoFive.stream().mapToDouble(Double::doubleValue).toArray();
            return new Ticks(values, logLabels(values), minorBetween(lo, hi, e0, e1, values));
        }
        int decades = 0;
        for (int e = e0; e <= e1; e++) {
            decades += inside(power(1, e), lo, hi) ? 1 : 0;
        }
        int stride = Math.max(1, (decades + maxCount - 1) / maxCount);
        List<Double> major = new ArrayList<>();
        List<Double> minor = new ArrayList<>();
        for (int e = e0; e <= e1; e++) {
            double decade = power(1, e);
            if (inside(decade, lo, hi)) {
                (Math.floorMod(e, stride) == 0 ? major : minor).add(decade);
            }
            for (int m = 2; stride == 1 && m <= 9; m++) {
                if (inside(power(m, e), lo, hi)) {
                    minor.add(power(m, e));
                }
            }
        }
        double[] values = major.stream().mapToDouble(Double::doubleValue).toArray();
        return new Ticks(values, logLabels(values), minor.stream().mapToDouble(Double::doubleValue).toArray());
    }

    /**
     * A linear tick's label with as many decimals as the step needs (0, 0.25, 0.5); scientific
     * ({@code 1.5e6}) when the axis reaches a million or the step is below 1e-4, as matplotlib
     * switches to an offset there.
     */
    static String label(double value, double step, double magnitude) {
        boolean scientific = magnitude >= 1e6 || step < 1e-4;
        if (value == 0 && scientific) {
            return "0";
        }
        if (scientific) {
            int exponent = (int) Math.floor(Math.log10(Math.abs(value)) + 1e-9);
            int digits = Math.max(0, Math.min(6, exponent - (int) Math.floor(Math.log10(step) + 1e-9)));
            String mantissa = String.format(Locale.ROOT, "%." + digits + "f", value / Math.pow(10, exponent));
            return trimZeros(mantissa) + "e" + exponent;
        }
        int decimals = Math.max(0, BigDecimal.valueOf(step).stripTrailingZeros().scale());
        return String.format(Locale.ROOT, "%." + decimals + "f", value == 0 ? 0.0 : value);
    }

    /**
     * A log tick's label in matplotlib's plain style: 0.01 to 50000 as decimals (so 1-2-5 ticks read 2000,
     * 5000, 10000), 1e-3 and 1e5 beyond, 2e-5 between decades.
     */
    static String logLabel(double value) {
        BigDecimal v = new BigDecimal(value, new MathContext(3)).stripTrailingZeros();
        return value >= 0.00999 && value < 99_999 ? v.toPlainString() : scientific(value);
    }

    /**
     * One style per axis: plain decimals when every tick is inside {@link #logLabel}'s plain range, else
     * every tick in {@code 1e<k>} form, so that an axis never reads "1000, 10000, 1e5, 1e6".
     */
    private static String[] logLabels(double[] values) {
        boolean plain = Arrays.stream(values).allMatch(v -> !logLabel(v).contains("e"));
        String[] labels = new String[values.length];
        for (int i = 0; i < values.length; i++) {
            labels[i] = plain ? logLabel(values[i]) : scientific(values[i]);
        }
        return labels;
    }

    private static String scientific(double value) {
        BigDecimal v = new BigDecimal(value, new MathContext(3)).stripTrailingZeros();
        int exponent = v.precision() - v.scale() - 1;
        return trimZeros(v.movePointLeft(exponent).toPlainString()) + "e" + exponent;
    }

    /** Unlabelled ticks at 2..9 x 10^k that are not already labelled. */
    private static double[] minorBetween(double lo, double hi, int e0, int e1, double[] major) {
        List<Double> minor = new ArrayList<>();
        for (int e = e0; e <= e1; e++) {
            for (int m = 2; m <= 9; m++) {
                double v = power(m, e);
                if (inside(v, lo, hi) && java.util.Arrays.stream(major).noneMatch(t -> Math.abs(t - v) <= 1e-9 * v)) {
                    minor.add(v);
                }
            }
        }
        return minor.stream().mapToDouble(Double::doubleValue).toArray();
    }

    private static double power(double mantissa, int exponent) {
        return BigDecimal.valueOf(mantissa).scaleByPowerOfTen(exponent).doubleValue();
    }

    private static boolean inside(double v, double lo, double hi) {
        return v >= lo - 1e-9 * Math.abs(lo) && v <= hi + 1e-9 * Math.abs(hi);
    }

    private static String trimZeros(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    private static void checkView(double lo, double hi, int maxCount) {
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(hi > lo)) {
            throw new IllegalArgumentException("ticks need a finite view lo < hi, got [" + lo + ", " + hi + "]");
        }
        if (maxCount < 2) {
            throw new IllegalArgumentException("ticks: maxCount must be at least 2, got " + maxCount);
        }
    }
}
