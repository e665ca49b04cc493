package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.plot.ContourPlot;
import org.reprolab.plot.LinePlot;
import org.reprolab.plot.Palette;
import org.reprolab.problems.Objective;

/**
 * Every figure {@link Runs} draws, in one place so it follows the {@code plot} package as that
 * improves: curves (the mean over seeds, over a shaded 95% interval when there are several seeds; one
 * curve per method × sweep point) and trajectories over a contour map. All figures of one
 * {@code Runs} share its {@link Palette}, so a method has one colour in every figure.
 */
final class Figures {
    private Figures() {}

    /** How many points a drawn curve keeps at most: enough for the eye, small for the PNG encoder. */
    static final int MAX_POINTS = 500;

    /**
     * Points per drawn path: paths carry a marker per point, and markers closer than a few pixels
     * merge into a thick smear; 150 keeps the spacing of the steps visible, as the notebooks' every
     * 15th or 25th iterate did.
     */
    static final int MAX_PATH_POINTS = 150;

    static LinePlot curves(Runs runs, String x, String y) {
        if (runs.swept().contains(x) || isScalar(runs, x)) return againstSweep(runs, x, y);
        requireRecorded(runs, y);
        boolean againstUnit = x.equals(runs.unit());
        if (!againstUnit) requireRecorded(runs, x);
        var plot = LinePlot.titled(runs.title() + ": " + y + (againstUnit ? "" : " vs " + x)).xLabel(x).yLabel(y).palette(runs.palette());
        boolean lowerIsBetter = runs.metrics().stream().anyMatch(m -> m.name().equals(y) && m.lowerIsBetter());
        boolean log = lowerIsBetter && allPositive(runs, y);
        if (log) plot.logY();
        // a cost on the x axis (NFE, time) spans decades as the y error does: log-log, the work–precision diagram
        boolean costOnX = runs.metrics().stream().anyMatch(m -> m.name().equals(x) && m.lowerIsBetter()) && allPositive(runs, x);
        if (!againstUnit && (costOnX || spansDecades(runs.runs().stream().map(r -> r.history().getOrDefault(x, new double[0])).toList()))) plot.logX();
        for (String label : labels(runs)) {
            double[] ys = runs.history(label, y);
            double[] xs = againstUnit ? units(runs.origin(), ys.length) : runs.history(label, x);
            int[] kept = thinned(Math.min(xs.length, ys.length), MAX_POINTS);
            if (kept.length == 0) continue;
            List<Run> group = runs.runs().stream().filter(r -> r.label().equals(label)).toList();
            if (group.size() > 1) {
                double[][] band = interval(group, y, kept, log);
                plot.band(label, pick(xs, kept), band[0], band[1], band[2]);
            } else {
                plot.series(label, pick(xs, kept), pick(ys, kept));
            }
        }
        return plot;
    }

    /**
     * The final {@code y} (a recorded metric's last value, or a per-run number such as NFE) against a
     * swept hyper-parameter {@code x}: one curve per method and point of the other sweeps, means over
     * seeds; log axes where the values span a decade (tolerances, step counts, errors), points that
     * a log axis cannot show left out. {@code x} may also be a per-run number that varies along the first swept
     * axis (the network evaluations a guided run spent, as its NFE budget is swept): then the curves run along
     * that axis, each point at the number's mean — a work–precision diagram in the cost that matters.
     */
    static LinePlot againstSweep(Runs runs, String x, String y) {
        var rows = runs.rows();
        boolean xScalar = !runs.swept().contains(x);
        String along = xScalar ? runs.swept().getFirst() : x;
        java.util.function.Function<Row, Object> xOf = r -> xScalar ? (Object) r.scalars().get(x).mean() : r.point().get(x);
        boolean scalar = rows.stream().anyMatch(r -> r.scalars().containsKey(y));
        if (!scalar && rows.stream().noneMatch(r -> r.finals().containsKey(y))) {
            var known = new java.util.LinkedHashSet<String>();
            rows.forEach(r -> { known.addAll(r.finals().keySet()); known.addAll(r.scalars().keySet()); });
            throw new IllegalArgumentException("plot: nothing recorded as '" + y + "'; known: " + known);
        }
        java.util.function.ToDoubleFunction<Row> value = r -> {
            Estimate e = scalar ? r.scalars().get(y) : r.finals().get(y);
            return e == null ? Double.NaN : e.mean();
        };
        var plot = LinePlot.titled(runs.title() + ": " + y + " against " + x).xLabel(x).yLabel(y).palette(runs.palette());
        boolean logX = spansDecades(List.of(rows.stream().filter(r -> xOf.apply(r) instanceof Number)
                .mapToDouble(r -> ((Number) xOf.apply(r)).doubleValue()).toArray()));
        boolean logY = spansDecades(List.of(rows.stream().mapToDouble(value).toArray()));
        if (logX) plot.logX();
        if (logY) plot.logY();
        var curves = new java.util.LinkedHashMap<String, List<double[]>>();
        for (Row r : rows) {
            if (!(xOf.apply(r) instanceof Number n)) continue;
            var others = new java.util.LinkedHashMap<>(r.point());
            others.remove(along);
            double xv = n.doubleValue(), yv = value.applyAsDouble(r);
            if (!Double.isFinite(yv) || (logX && xv <= 0) || (logY && yv <= 0)) continue;
            curves.computeIfAbsent(Format.label(r.method(), others), k -> new ArrayList<>()).add(new double[] {xv, yv});
        }
        curves.values().forEach(pts -> pts.sort(java.util.Comparator.comparingDouble(p -> p[0])));
        curves.forEach((label, pts) -> plot.series(label, pts.stream().mapToDouble(p -> p[0]).toArray(), pts.stream().mapToDouble(p -> p[1]).toArray()));
        return plot;
    }

    /** Whether {@code name} is a per-run number of every row (and a sweep gives the curves an axis to run along). */
    private static boolean isScalar(Runs runs, String name) {
        return !runs.swept().isEmpty() && !runs.rows().isEmpty() && runs.rows().stream().allMatch(r -> r.scalars().containsKey(name));
    }

    /** True when the positive values span at least a decade (most of them positive): a log axis reads better. */
    private static boolean spansDecades(List<double[]> values) {
        double lo = Double.POSITIVE_INFINITY, hi = 0;
        long positive = 0, total = 0;
        for (double[] vs : values) {
            for (double v : vs) {
                if (!Double.isFinite(v)) continue;
                total++;
                if (v > 0) {
                    positive++;
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        return positive > 0 && positive >= 0.8 * total && hi / lo >= 10;
    }

    /**
     * Mean, low and high of the 95% interval over the group's seeds at each kept index. On a log axis
     * the low edge stops at the lowest seed's value: a t-interval of a positive, skewed quantity (a
     * loss) can reach below zero, which a log axis would draw as a wall down to its floor.
     */
    private static double[][] interval(List<Run> group, String metric, int[] kept, boolean log) {
        double[][] out = new double[3][kept.length];
        double[] samples = new double[group.size()];
        for (int j = 0; j < kept.length; j++) {
            for (int s = 0; s < samples.length; s++) samples[s] = group.get(s).history().get(metric)[kept[j]];
            Estimate e = Estimate.of(samples);
            out[0][j] = e.mean();
            out[1][j] = log ? Math.max(e.low(), java.util.Arrays.stream(samples).min().orElseThrow()) : e.low();
            out[2][j] = e.high();
        }
        return out;
    }

    static ContourPlot trajectories(Runs runs, Objective f) {
        if (f.dimension() != 2) {
            throw new IllegalArgumentException("trajectories: " + f.name() + " has " + f.dimension() + " variables; paths are drawn for 2");
        }
        var plot = ContourPlot.of(f).title(runs.title() + ": paths from the start").palette(runs.palette());
        for (String label : labels(runs)) {
            double[] x0 = runs.history(label, "x0"), x1 = runs.history(label, "x1");
            List<double[]> path = new ArrayList<>();
            for (int i : thinned(Math.min(x0.length, x1.length), MAX_PATH_POINTS)) path.add(new double[] {x0[i], x1[i]});
            plot.path(label, path);
        }
        return plot;
    }

    /** At most about {@code max} indices of 0..n-1, evenly strided, the last always kept. */
    private static int[] thinned(int n, int max) {
        if (n == 0) return new int[0];
        int stride = Math.max(1, (n + max - 1) / max);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i += stride) kept.add(i);
        if ((n - 1) % stride != 0) kept.add(n - 1);
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    private static double[] pick(double[] values, int[] indices) {
        double[] out = new double[indices.length];
        for (int i = 0; i < indices.length; i++) out[i] = values[indices[i]];
        return out;
    }

    private static void requireRecorded(Runs runs, String series) {
        if (runs.runs().stream().noneMatch(r -> r.history().containsKey(series))) {
            var known = new java.util.LinkedHashSet<String>();
            known.add(runs.unit());
            runs.runs().forEach(r -> known.addAll(r.history().keySet()));
            throw new IllegalArgumentException("plot: nothing recorded as '" + series + "'; known: " + known);
        }
    }

    /** The labels drawn as curves (runs with more than one recorded unit), in compare order. */
    static List<String> labels(Runs runs) {
        return runs.runs().stream().filter(r -> !r.history().isEmpty() && r.history().values().iterator().next().length > 1)
                .map(Run::label).distinct().toList();
    }

    private static boolean allPositive(Runs runs, String metric) {
        return runs.runs().stream().allMatch(r -> java.util.Arrays.stream(r.history().getOrDefault(metric, new double[0])).allMatch(v -> v > 0));
    }

    private static double[] units(int origin, int n) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) xs[i] = origin + i;
        return xs;
    }
}
