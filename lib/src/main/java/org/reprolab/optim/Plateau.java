package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * torch's {@code ReduceLROnPlateau} ({@code torch/optim/lr_scheduler.py}, 1.13) as a {@link Schedule}:
 * the multiplier falls by {@code factor} (not below {@code minScale}) when more than {@code patience}
 * observed metrics in a row failed to improve on the best by {@code threshold} (relative or absolute),
 * then waits {@code cooldown} observations before counting again. Unlike the other schedules it is
 * not a pure function of the step count: it depends on the metrics {@link #observe observed}. It
 * records the step count of every reduction, so {@link #at} stays a function of the count given the
 * observations, and {@link #state()} / {@link #load} carry it across a checkpoint (save it beside the
 * optimizer's state).
 *
 * <p>torch works on each group's absolute rate ({@code min_lr}, and {@code eps}: a reduction smaller
 * than it is skipped); here both are in units of the base rate, which is the same for one group with
 * base rate 1 and for every group when they share {@code min_lr / lr}.
 */
public final class Plateau implements Schedule {
    private final boolean maximize, relative;
    private final double factor, threshold, minScale, eps;
    private final int patience, cooldown;
    private double best;
    private int bad, cooling;
    private final List<Long> at = new ArrayList<>();
    private final List<Double> scales = new ArrayList<>();

    /** The state to save beside the optimizer's: the running best, counters, and every reduction's count and scale. */
    public record State(double best, int bad, int cooling, long[] counts, double[] scales) {
        public State {
            counts = counts.clone();
            scales = scales.clone();
            Check.that(counts.length == scales.length, "plateau state", counts.length + " counts but " + scales.length + " scales");
        }

        @Override public long[] counts() { return counts.clone(); }
        @Override public double[] scales() { return scales.clone(); }

        @Override
        public boolean equals(Object o) {
            return o instanceof State s && Double.compare(best, s.best) == 0 && bad == s.bad && cooling == s.cooling
                    && Arrays.equals(counts, s.counts) && Arrays.equals(scales, s.scales);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(counts) * 31 + Arrays.hashCode(scales);
        }
    }

    /**
     * @param maximize  torch's {@code mode='max'} (else {@code 'min'})
     * @param factor    the multiplier per reduction, in (0, 1)
     * @param patience  observations without improvement tolerated before a reduction
     * @param threshold the improvement that counts: relative ({@code best (1 -/+ threshold)}) or absolute
     * @param relative  torch's {@code threshold_mode='rel'} (else {@code 'abs'})
     * @param cooldown  observations after a reduction during which bad ones are not counted
     * @param minScale  the floor of the multiplier (torch's {@code min_lr / lr})
     * @param eps       reductions smaller than this (in units of the base rate) are skipped
     */
    public Plateau(boolean maximize, double factor, int patience, double threshold, boolean relative, int cooldown,
            double minScale, double eps) {
        String who = "reduce-on-plateau schedule";
        Check.that(factor > 0 && factor < 1, who, "factor must be in (0, 1), got " + factor);
        NOT_NEGATIVE.check(who, "patience", patience);
        NON_NEGATIVE.check(who, "threshold", threshold);
        NOT_NEGATIVE.check(who, "cooldown", cooldown);
        NON_NEGATIVE.check(who, "min_scale", minScale);
        NON_NEGATIVE.check(who, "eps", eps);
        this.maximize = maximize;
        this.factor = factor;
        this.patience = patience;
        this.threshold = threshold;
        this.relative = relative;
        this.cooldown = cooldown;
        this.minScale = minScale;
        this.eps = eps;
        best = maximize ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY;
    }

    /** The multiplier at step {@code count}: that of the last reduction recorded at or before it, else 1. */
    @Override
    public double at(long count) {
        double s = 1;
        for (int i = 0; i < at.size() && at.get(i) <= count; i++) s = scales.get(i);
        return s;
    }

    /** The multiplier after every observation so far. */
    public double scale() {
        return scales.isEmpty() ? 1 : scales.getLast();
    }

    private boolean better(double a) {
        if (relative) return maximize ? a > best * (threshold + 1) : a < best * (1 - threshold);
        return maximize ? a > best + threshold : a < best - threshold;
    }

    /**
     * Observes a metric measured when the optimizer had completed {@code count} steps (its
     * {@link Optimizer#count()}); a reduction it triggers applies from step {@code count} on. Counts
     * must not decrease.
     */
    public void observe(double metric, long count) {
        if (Double.isNaN(metric)) throw new IllegalArgumentException("reduce-on-plateau schedule: metric is NaN at step " + count);
        if (!at.isEmpty() && count < at.getLast())
            throw new IllegalArgumentException("reduce-on-plateau schedule: step count " + count + " is before the last reduction at "
                    + at.getLast());
        if (better(metric)) {
            best = metric;
            bad = 0;
        } else {
            bad++;
        }
        if (cooling > 0) {
            cooling--;
            bad = 0;
        }
        if (bad > patience) {
            double old = scale(), next = Math.max(old * factor, minScale);
            if (old - next > eps) {
                at.add(count);
                scales.add(next);
            }
            cooling = cooldown;
            bad = 0;
        }
    }

    public State state() {
        return new State(best, bad, cooling, at.stream().mapToLong(Long::longValue).toArray(), scales.stream().mapToDouble(d -> d).toArray());
    }

    public void load(State s) {
        best = s.best();
        bad = s.bad();
        cooling = s.cooling();
        at.clear();
        scales.clear();
        for (long c : s.counts()) at.add(c);
        for (double v : s.scales()) scales.add(v);
    }

    @Override
    public String toString() {
        return "Plateau[factor=" + factor + ", patience=" + patience + ", reductions=" + scales.size() + "]";
    }
}
