package org.reprolab.plot;

import java.awt.Color;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves against step or time: loss curves, error against function evaluations. A log y axis is
 * one call away, since losses span decades.
 *
 * <pre>{@code
 * LinePlot.titled("loss").xLabel("step").yLabel("f(x)").logY().series("GD", losses)
 * LinePlot.titled("loss over 5 seeds").logY().palette(colours).band("Adam", steps, mean, lo, hi)
 * }</pre>
 *
 * <p>Ticks are round (steps of 1, 2, 2.5, 5 x 10^k) and log axes are labelled 1-2-5 or by decade, as
 * matplotlib does ({@link Ticks}). The legend goes in the first corner no curve enters, else to the
 * right of the plot; {@link #legendOutside()} and {@link #legendBelow()} fix it there. {@link #band}
 * draws a mean curve over its shaded interval (a 95% interval over seeds, say) in the series' colour.
 * {@link #palette(Palette)} shares series colours with the other figures of one comparison.
 */
public final class LinePlot extends XYFigure<LinePlot> {

    /** A curve; {@code lo} and {@code hi} bound its shaded band, or are null. */
    private record Series(String name, double[] xs, double[] ys, double[] lo, double[] hi) {}

    /** Opacity of an interval band (matplotlib's fill_between examples use 0.2 to 0.3). */
    private static final int BAND_ALPHA = 56;

    private final List<Series> series = new ArrayList<>();
    private boolean logX;
    private boolean logY;

    private LinePlot(String title) {
        super(title, "step", "", 640, 400);
    }

    public static LinePlot titled(String title) {
        return new LinePlot(title);
    }

    public LinePlot logX() {
        this.logX = true;
        return this;
    }

    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    /** A curve over x = 0, 1, 2, ... */
    public LinePlot series(String name, double[] ys) {
        return series(name, indices(ys.length), ys);
    }

    public LinePlot series(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("LinePlot.series(" + name + "): " + xs.length + " x values but " + ys.length + " y values");
        }
        series.add(new Series(name, xs.clone(), ys.clone(), null, null));
        return this;
    }

    /** {@link #band(String, double[], double[], double[], double[])} over x = 0, 1, 2, ... */
    public LinePlot band(String name, double[] mean, double[] lo, double[] hi) {
        return band(name, indices(mean.length), mean, lo, hi);
    }

    /**
     * The curve {@code mean} over a shaded band from {@code lo} to {@code hi}, in the series' colour:
     * the mean of seeded runs and its interval.
     */
    public LinePlot band(String name, double[] xs, double[] mean, double[] lo, double[] hi) {
        if (xs.length != mean.length || lo.length != mean.length || hi.length != mean.length) {
            throw new IllegalArgumentException("LinePlot.band(" + name + "): lengths differ: " + xs.length + " x, " + mean.length
                    + " mean, " + lo.length + " lo, " + hi.length + " hi");
        }
        for (int i = 0; i < mean.length; i++) {
            if (lo[i] > hi[i]) {
                throw new IllegalArgumentException("LinePlot.band(" + name + "): lo " + lo[i] + " > hi " + hi[i] + " at index " + i);
            }
        }
        series.add(new Series(name, xs.clone(), mean.clone(), lo.clone(), hi.clone()));
        return this;
    }

    private static double[] indices(int n) {
        double[] xs = new double[n];
        for (int i = 0; i < n; i++) {
            xs[i] = i;
        }
        return xs;
    }

    @Override
    public XYChart chart() {
        Palette colours = colours();
        List<double[]> xs = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        List<Series> drawn = new ArrayList<>();
        for (Series s : series) {
            Series d = logY ? positive(s) : s;
            drawn.add(d);
            xs.add(d.xs());
            ys.add(d.ys());
            if (d.lo() != null) {
                ys.add(d.lo());
                ys.add(d.hi());
            }
        }
        double[] xLimits = Axes.limits(logX, xs);
        double[] yLimits = Axes.limits(logY, ys);
        XYChart chart = newChart(xLimits, yLimits, logX, logY);
        List<LegendPlacement.Trace> traces = new ArrayList<>();
        double[] xView = Axes.view(xLimits, logX, chart.getStyler().getPlotContentSize());
        double[] yView = Axes.view(yLimits, logY, chart.getStyler().getPlotContentSize());
        for (Series s : drawn) {
            Color colour = colours.color(s.name());
            if (s.lo() != null) {
                XYSeries band = chart.addSeries(s.name() + " interval", concat(s.xs(), reversed(s.xs())), concat(s.hi(), reversed(s.lo())));
                band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
                band.setFillColor(Palette.withAlpha(colour, BAND_ALPHA));
                band.setLineColor(Palette.withAlpha(colour, 0));
                band.setMarker(SeriesMarkers.NONE);
                band.setShowInLegend(false);
                traces.add(new LegendPlacement.Trace(Axes.fractions(s.xs(), xView, logX), Axes.fractions(s.lo(), yView, logY), true));
                traces.add(new LegendPlacement.Trace(Axes.fractions(s.xs(), xView, logX), Axes.fractions(s.hi(), yView, logY), true));
            }
            XYSeries added = chart.addSeries(s.name(), s.xs(), s.ys());
            added.setMarker(SeriesMarkers.NONE);
            added.setLineColor(colour);
            added.setLineWidth(1.8f);
            traces.add(new LegendPlacement.Trace(Axes.fractions(s.xs(), xView, logX), Axes.fractions(s.ys(), yView, logY), true));
        }
        List<String> names = drawn.stream().map(Series::name).distinct().toList();
        placeLegend(chart, names, traces);
        return chart;
    }

    /**
     * A log axis cannot show zero or negative values: a curve leaves a gap there (matplotlib's
     * {@code nonpositive="mask"}; flooring them drew a false plunge, e.g. a step size of 0 before the
     * first step), and a band's edges are floored at the smallest positive value so the shading stays closed.
     */
    private static Series positive(Series s) {
        double floor = Arrays.stream(s.ys()).filter(v -> v > 0).min().orElse(1e-300);
        if (s.lo() != null) {
            floor = Math.min(floor, Arrays.stream(s.lo()).filter(v -> v > 0).min().orElse(floor));
        }
        double f = floor;
        double[] masked = Arrays.stream(s.ys()).map(v -> v > 0 ? v : Double.NaN).toArray();
        return new Series(s.name(), s.xs(), masked, s.lo() == null ? null : floorAt(s.lo(), f), s.hi() == null ? null : floorAt(s.hi(), f));
    }

    private static double[] floorAt(double[] values, double floor) {
        return Arrays.stream(values).map(v -> v > 0 ? v : floor).toArray();
    }

    private static double[] reversed(double[] a) {
        double[] r = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            r[i] = a[a.length - 1 - i];
        }
        return r;
    }

    private static double[] concat(double[] a, double[] b) {
        double[] c = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}
