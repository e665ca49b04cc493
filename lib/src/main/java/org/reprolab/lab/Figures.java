package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.plot.ContourPlot;
import org.reprolab.plot.Figure;
import org.reprolab.plot.LinePlot;
import org.reprolab.problems.Objective;

/**
 * Every figure {@link Runs} draws, in one place so it follows the {@code plot} package as that
 * improves: curves (mean over seeds; one curve per method × sweep point, in compare order so each
 * method keeps its colour across figures) and trajectories over a contour map.
 */
final class Figures {
    private Figures() {}

    /** How many points a drawn curve keeps at most: enough for the eye, small for the PNG encoder. */
    static final int MAX_POINTS = 500;

    static Figure curves(Runs runs, String x, String y) {
        requireRecorded(runs, y);
        boolean againstUnit = x.equals(runs.unit());
        if (!againstUnit) requireRecorded(runs, x);
        var plot = LinePlot.titled(runs.title() + ": " + y + (againstUnit ? "" : " vs " + x)).xLabel(x).yLabel(y);
        boolean lowerIsBetter = runs.metrics().stream().anyMatch(m -> m.name().equals(y) && m.lowerIsBetter());
        if (lowerIsBetter && allPositive(runs, y)) plot.logY();
        // a cost on the x axis (NFE, time) spans decades as the y error does: log-log, the work–precision diagram
        if (!againstUnit && runs.metrics().stream().anyMatch(m -> m.name().equals(x) && m.lowerIsBetter()) && allPositive(runs, x)) plot.logX();
        for (String label : labels(runs)) {
            double[] ys = runs.history(label, y);
            double[] xs = againstUnit ? units(runs.origin(), ys.length) : runs.history(label, x);
            int n = Math.min(xs.length, ys.length);
            if (n == 0) continue;
            int stride = Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
            List<double[]> kept = new ArrayList<>();
            for (int i = 0; i < n; i += stride) kept.add(new double[] {xs[i], ys[i]});
            if ((n - 1) % stride != 0) kept.add(new double[] {xs[n - 1], ys[n - 1]});
            plot.series(label, kept.stream().mapToDouble(p -> p[0]).toArray(), kept.stream().mapToDouble(p -> p[1]).toArray());
        }
        return plot;
    }

    static Figure trajectories(Runs runs, Objective f) {
        if (f.dimension() != 2) {
            throw new IllegalArgumentException("trajectories: " + f.name() + " has " + f.dimension() + " variables; paths are drawn for 2");
        }
        var plot = ContourPlot.of(f).title(runs.title() + ": paths from the start");
        for (String label : labels(runs)) {
            double[] x0 = runs.history(label, "x0"), x1 = runs.history(label, "x1");
            int stride = Math.max(1, (x0.length + MAX_POINTS - 1) / MAX_POINTS);
            List<double[]> path = new ArrayList<>();
            for (int i = 0; i < x0.length; i += stride) path.add(new double[] {x0[i], x1[i]});
            if (x0.length > 0 && (x0.length - 1) % stride != 0) path.add(new double[] {x0[x0.length - 1], x1[x1.length - 1]});
            plot.path(label, path);
        }
        return plot;
    }

    private static void requireRecorded(Runs runs, String series) {
        if (runs.runs().stream().noneMatch(r -> r.history().containsKey(series))) {
            var known = new java.util.LinkedHashSet<String>();
            known.add(runs.unit());
            runs.runs().forEach(r -> known.addAll(r.history().keySet()));
            throw new IllegalArgumentException("plot: nothing recorded as '" + series + "'; known: " + known);
        }
    }

    private static List<String> labels(Runs runs) {
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
