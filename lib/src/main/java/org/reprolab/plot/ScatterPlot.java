package org.reprolab.plot;

import java.util.ArrayList;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Point clouds in the plane: samples of a generative model over samples of its target, several clouds in one
 * figure. Markers are small and translucent, so dense regions show as darker, and the axes can be fixed so that
 * figures side by side compare.
 *
 * <pre>{@code
 * ScatterPlot.titled("DPM-Solver++(2M), 10 NFE").range(-1.5, 1.5, -1.5, 1.5)
 *     .points("target", target.rows()).points("samples", samples.rows())
 * }</pre>
 *
 * <p>Ticks are round, as in {@link LinePlot}; the legend goes in a corner no point falls in, else to the
 * right ({@link #legendOutside()}, {@link #legendBelow()} fix it); {@link #palette(Palette)} shares
 * colours by series name with the other figures of a comparison.
 */
public final class ScatterPlot extends XYFigure<ScatterPlot> {

    private record Series(String name, double[] xs, double[] ys) {}

    private final List<Series> series = new ArrayList<>();
    private final java.util.Map<String, java.awt.Color> ramped = new java.util.HashMap<>();
    private double[] range;
    private int markerSize = 4;
    private int alpha = 110;

    private ScatterPlot(String title) {
        super(title, "x", "y", 480, 480);
    }

    public static ScatterPlot titled(String title) {
        return new ScatterPlot(title);
    }

    /** Fixed axes (points outside are clipped). */
    public ScatterPlot range(double xmin, double xmax, double ymin, double ymax) {
        if (!(xmax > xmin) || !(ymax > ymin)) throw new IllegalArgumentException("ScatterPlot.range: need xmin < xmax and ymin < ymax");
        this.range = new double[] {xmin, xmax, ymin, ymax};
        return this;
    }

    /** Marker diameter in pixels and opacity in [0, 1]. */
    public ScatterPlot markers(int sizePixels, double opacity) {
        if (sizePixels < 1 || !(opacity > 0 && opacity <= 1)) throw new IllegalArgumentException("ScatterPlot.markers: size >= 1, opacity in (0, 1]");
        this.markerSize = sizePixels;
        this.alpha = (int) Math.round(255 * opacity);
        return this;
    }

    public ScatterPlot series(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("ScatterPlot.series(" + name + "): " + xs.length + " x values but " + ys.length + " y values");
        }
        series.add(new Series(name, xs.clone(), ys.clone()));
        return this;
    }

    /**
     * Points coloured by a third quantity on a sequential (viridis) ramp, one legend entry per range between
     * consecutive {@code edges} (ascending; a point belongs to the range {@code (edges[k], edges[k+1]]}, the first
     * range also taking {@code edges[0]}; points outside every range are left out, and so is a range with no points): a trajectory coloured by time,
     * such as the information plane coloured by epoch (Shwartz-Ziv and Tishby 2017, Fig. 2),
     * {@code colouredBy("epoch", xs, ys, epochs, 1, 10, 100, 1000)}.
     */
    public ScatterPlot colouredBy(String quantity, double[] xs, double[] ys, double[] values, double... edges) {
        if (xs.length != ys.length || xs.length != values.length) {
            throw new IllegalArgumentException("ScatterPlot.colouredBy(" + quantity + "): " + xs.length + " x, " + ys.length + " y and " + values.length + " values");
        }
        if (edges.length < 2) throw new IllegalArgumentException("ScatterPlot.colouredBy(" + quantity + "): need at least two edges, got " + edges.length);
        for (int k = 1; k < edges.length; k++) {
            if (!(edges[k] > edges[k - 1])) throw new IllegalArgumentException("ScatterPlot.colouredBy(" + quantity + "): edges must ascend, got " + java.util.Arrays.toString(edges));
        }
        for (int k = 0; k + 1 < edges.length; k++) {
            List<Integer> in = new ArrayList<>();
            for (int i = 0; i < values.length; i++) {
                if ((values[i] > edges[k] || (k == 0 && values[i] == edges[0])) && values[i] <= edges[k + 1]) in.add(i);
            }
            if (in.isEmpty()) continue;
            String name = quantity + " " + edge(edges[k]) + "–" + edge(edges[k + 1]);
            ramped.put(name, Palette.ramp(edges.length == 2 ? 0 : k / (double) (edges.length - 2)));
            series(name, in.stream().mapToDouble(i -> xs[i]).toArray(), in.stream().mapToDouble(i -> ys[i]).toArray());
        }
        return this;
    }

    private static String edge(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : String.format(java.util.Locale.ROOT, "%.3g", v);
    }

    /** A cloud from rows {@code [x, y]} (further columns are ignored). */
    public ScatterPlot points(String name, double[][] rows) {
        double[] xs = new double[rows.length], ys = new double[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length < 2) throw new IllegalArgumentException("ScatterPlot.points(" + name + "): row " + i + " has " + rows[i].length + " columns, need 2");
            xs[i] = rows[i][0];
            ys[i] = rows[i][1];
        }
        return series(name, xs, ys);
    }

    @Override
    public XYChart chart() {
        Palette colours = colours();
        double[] xLimits = range != null ? new double[] {range[0], range[1]} : Axes.limits(false, series.stream().map(Series::xs).toList());
        double[] yLimits = range != null ? new double[] {range[2], range[3]} : Axes.limits(false, series.stream().map(Series::ys).toList());
        XYChart chart = newChart(xLimits, yLimits, false, false);
        var st = chart.getStyler();
        st.setDefaultSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
        st.setMarkerSize(markerSize);
        double[] xView = Axes.view(xLimits, false, st.getPlotContentSize());
        double[] yView = Axes.view(yLimits, false, st.getPlotContentSize());
        List<LegendPlacement.Trace> traces = new ArrayList<>();
        for (Series s : series) {
            XYSeries added = chart.addSeries(s.name(), s.xs(), s.ys());
            added.setMarker(SeriesMarkers.CIRCLE);
            java.awt.Color colour = ramped.containsKey(s.name()) ? ramped.get(s.name()) : colours.color(s.name());
            added.setMarkerColor(Palette.withAlpha(colour, alpha));
            traces.add(new LegendPlacement.Trace(Axes.fractions(s.xs(), xView, false), Axes.fractions(s.ys(), yView, false), false));
        }
        List<String> names = series.stream().map(Series::name).distinct().toList();
        placeLegend(chart, names, traces);
        return chart;
    }
}
