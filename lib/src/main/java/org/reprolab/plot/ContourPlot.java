package org.reprolab.plot;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleBinaryOperator;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;
import org.reprolab.problems.Objective;

/**
 * A contour map of a two-variable function with optimizer paths drawn over it: the figure of
 * every optimizer paper's toy experiment. Iso-lines come from {@link MarchingSquares}; by default
 * the levels are spaced geometrically above the minimum sampled value, which suits functions like
 * Rosenbrock whose interesting valley is orders of magnitude below its walls.
 *
 * <pre>{@code
 * ContourPlot.of(new Rosenbrock()).path("GD", gdPoints).path("momentum", momentumPoints)
 * }</pre>
 *
 * <p>Ticks are round, as in {@link LinePlot}; the legend sits outside, on the right, since the
 * contours fill the box; {@link #palette(Palette)} gives each path its method's colour in the other
 * figures of the comparison.
 */
public final class ContourPlot extends XYFigure<ContourPlot> {

    private record Path(String name, double[] xs, double[] ys) {}

    private final DoubleBinaryOperator f;
    private final double xmin;
    private final double xmax;
    private final double ymin;
    private final double ymax;
    private final List<Path> paths = new ArrayList<>();
    private int resolution = 160;
    private double[] levels;
    private int levelCount = 14;
    private double[] marker;

    private ContourPlot(DoubleBinaryOperator f, double xmin, double xmax, double ymin, double ymax) {
        if (!(xmax > xmin) || !(ymax > ymin)) {
            throw new IllegalArgumentException("ContourPlot: empty box x[" + xmin + ", " + xmax + "] y[" + ymin + ", " + ymax + "]");
        }
        super("", "x", "y", 640, 480);
        legendOutside();   // the contours fill the box: no corner is free
        this.f = Objects.requireNonNull(f, "f");
        this.xmin = xmin;
        this.xmax = xmax;
        this.ymin = ymin;
        this.ymax = ymax;
    }

    /** The objective over its own plot box, with its minimiser marked. */
    public static ContourPlot of(Objective objective) {
        if (objective.dimension() != 2) {
            throw new IllegalArgumentException("ContourPlot: " + objective.name() + " has dimension " + objective.dimension() + ", need 2");
        }
        double[] box = objective.plotBox();
        ContourPlot plot = new ContourPlot((x, y) -> objective.value(new double[] {x, y}), box[0], box[1], box[2], box[3]);
        double[] min = objective.minimizer();
        // a loss without a known minimiser (NaN) gets no marker, not an empty legend entry
        plot.marker = java.util.Arrays.stream(min).allMatch(Double::isFinite) ? min : null;
        plot.title(objective.name());
        return plot;
    }

    /** {@code f(x, y)} over the box {@code [xmin, xmax] x [ymin, ymax]}. */
    public static ContourPlot of(DoubleBinaryOperator f, double xmin, double xmax, double ymin, double ymax) {
        return new ContourPlot(f, xmin, xmax, ymin, ymax);
    }

    /** Draws these levels instead of the automatic ones. */
    public ContourPlot levels(double... values) {
        this.levels = values.clone();
        Arrays.sort(this.levels);
        return this;
    }

    /** How many automatic levels to draw. */
    public ContourPlot levelCount(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("ContourPlot: levelCount must be at least 1, got " + count);
        }
        this.levelCount = count;
        return this;
    }

    /** Grid points per axis (default 160). */
    public ContourPlot resolution(int points) {
        if (points < 4) {
            throw new IllegalArgumentException("ContourPlot: resolution must be at least 4, got " + points);
        }
        this.resolution = points;
        return this;
    }

    /** Adds an optimizer's path: a list of 2-D points in visiting order. */
    public ContourPlot path(String name, List<double[]> points) {
        double[] xs = new double[points.size()];
        double[] ys = new double[points.size()];
        for (int i = 0; i < xs.length; i++) {
            double[] p = points.get(i);
            if (p.length != 2) {
                throw new IllegalArgumentException("ContourPlot.path(" + name + "): point " + i + " has " + p.length + " coordinates, need 2");
            }
            xs[i] = p[0];
            ys[i] = p[1];
        }
        paths.add(new Path(name, xs, ys));
        return this;
    }

    /** The levels the figure draws: the ones given, or geometric steps above the sampled minimum. */
    public double[] levelValues() {
        if (levels != null) {
            return levels.clone();
        }
        double[][] grid = sample(axis(xmin, xmax), axis(ymin, ymax));
        double lo = Double.POSITIVE_INFINITY;
        double[] all = Arrays.stream(grid).flatMapToDouble(Arrays::stream).filter(Double::isFinite).sorted().toArray();
        lo = all[0];
        double hi = all[(int) (0.9 * (all.length - 1))];
        double span = Math.max(hi - lo, 1e-12);
        double first = span * 1e-3;
        double[] out = new double[levelCount];
        for (int k = 0; k < levelCount; k++) {
            out[k] = lo + first * Math.pow(span / first, levelCount == 1 ? 1 : (double) k / (levelCount - 1));
        }
        return out;
    }

    @Override
    public XYChart chart() {
        Palette colours = colours();
        XYChart chart = newChart(new double[] {xmin, xmax}, new double[] {ymin, ymax}, false, false);
        double[] xs = axis(xmin, xmax);
        double[] ys = axis(ymin, ymax);
        double[][] grid = sample(xs, ys);
        double[] lv = levelValues();
        for (int k = 0; k < lv.length; k++) {
            List<MarchingSquares.Segment> segments = MarchingSquares.isoline(xs, ys, grid, lv[k]);
            if (segments.isEmpty()) {
                continue;
            }
            // one series per level; NaN between segments breaks the line
            double[] sx = new double[segments.size() * 3];
            double[] sy = new double[segments.size() * 3];
            int n = 0;
            for (MarchingSquares.Segment s : segments) {
                sx[n] = s.x0();
                sy[n++] = s.y0();
                sx[n] = s.x1();
                sy[n++] = s.y1();
                sx[n] = s.x1();
                sy[n++] = Double.NaN;
            }
            XYSeries series = chart.addSeries("level " + k, sx, sy);
            series.setMarker(SeriesMarkers.NONE);
            series.setShowInLegend(false);
            series.setLineColor(Palette.ramp(lv.length == 1 ? 0 : (double) k / (lv.length - 1)));
            series.setLineWidth(1f);
        }
        for (int p = 0; p < paths.size(); p++) {
            Path path = paths.get(p);
            XYSeries series = chart.addSeries(path.name(), path.xs(), path.ys());
            series.setMarker(SeriesMarkers.CIRCLE);
            series.setLineColor(colours.color(path.name()));
            series.setMarkerColor(colours.color(path.name()));
            series.setLineWidth(1.6f);
        }
        chart.getStyler().setMarkerSize(3);
        if (marker != null) {
            XYSeries min = chart.addSeries("minimum", new double[] {marker[0]}, new double[] {marker[1]});
            min.setMarker(SeriesMarkers.DIAMOND);
            min.setMarkerColor(java.awt.Color.BLACK);
            min.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        }
        placeLegend(chart, paths.stream().map(Path::name).distinct().toList(), List.of());
        return chart;
    }

    private double[] axis(double lo, double hi) {
        double[] a = new double[resolution];
        for (int i = 0; i < resolution; i++) {
            a[i] = lo + (hi - lo) * i / (resolution - 1);
        }
        return a;
    }

    private double[][] sample(double[] xs, double[] ys) {
        double[][] grid = new double[ys.length][xs.length];
        for (int i = 0; i < ys.length; i++) {
            for (int j = 0; j < xs.length; j++) {
                grid[i][j] = f.applyAsDouble(xs[j], ys[i]);
            }
        }
        return grid;
    }
}
