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
            added.setMarkerColor(Palette.withAlpha(colours.color(s.name()), alpha));
            traces.add(new LegendPlacement.Trace(Axes.fractions(s.xs(), xView, false), Axes.fractions(s.ys(), yView, false), false));
        }
        List<String> names = series.stream().map(Series::name).distinct().toList();
        placeLegend(chart, names, traces);
        return chart;
    }
}
