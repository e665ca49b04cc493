package org.reprolab.plot;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Curves against step or time: loss curves, error against function evaluations. A log y axis is
 * one call away, since losses span decades.
 *
 * <pre>{@code
 * LinePlot.titled("loss").xLabel("step").yLabel("f(x)").logY().series("GD", losses)
 * }</pre>
 */
public final class LinePlot implements Figure {

    private record Series(String name, double[] xs, double[] ys) {}

    private final List<Series> series = new ArrayList<>();
    private final String title;
    private String xLabel = "step";
    private String yLabel = "";
    private boolean logX;
    private boolean logY;
    private int width = 640;
    private int height = 400;

    private LinePlot(String title) {
        this.title = Objects.requireNonNull(title);
    }

    public static LinePlot titled(String title) {
        return new LinePlot(title);
    }

    public LinePlot xLabel(String label) {
        this.xLabel = label;
        return this;
    }

    public LinePlot yLabel(String label) {
        this.yLabel = label;
        return this;
    }

    public LinePlot logX() {
        this.logX = true;
        return this;
    }

    public LinePlot logY() {
        this.logY = true;
        return this;
    }

    public LinePlot size(int widthPixels, int heightPixels) {
        this.width = widthPixels;
        this.height = heightPixels;
        return this;
    }

    /** A curve over x = 0, 1, 2, ... */
    public LinePlot series(String name, double[] ys) {
        double[] xs = new double[ys.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = i;
        }
        return series(name, xs, ys);
    }

    public LinePlot series(String name, double[] xs, double[] ys) {
        if (xs.length != ys.length) {
            throw new IllegalArgumentException("LinePlot.series(" + name + "): " + xs.length + " x values but " + ys.length + " y values");
        }
        series.add(new Series(name, xs.clone(), ys.clone()));
        return this;
    }

    /** Tick labels short enough not to collide: 950, 1.1k, 12k, 1.5M; fractions keep two decimals. */
    static String shortNumber(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(String.format(java.util.Locale.ROOT, "%.1f", v / 1e6)) + "M";
        }
        if (a >= 1e3) {
            return trim(String.format(java.util.Locale.ROOT, a >= 1e4 ? "%.0f" : "%.1f", v / 1e3)) + "k";
        }
        return trim(String.format(java.util.Locale.ROOT, a >= 10 || a == 0 ? "%.0f" : "%.2f", v));
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }

    @Override
    public XYChart chart() {
        XYChart chart = new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel).build();
        chart.getStyler().setXAxisLogarithmic(logX).setYAxisLogarithmic(logY).setChartBackgroundColor(java.awt.Color.WHITE);
        if (logX) {
            chart.getStyler().setXAxisDecimalPattern("0.#E0");
        } else {
            // XChart 4.0.3 spaces ticks at odd steps (215, 430, ...) whose long labels overlap; keep them short
            chart.getStyler().setXAxisTickLabelsFormattingFunction(LinePlot::shortNumber);
        }
        chart.getStyler().setPlotGridVerticalLinesVisible(false);
        chart.getStyler().setLegendPosition(org.knowm.xchart.style.Styler.LegendPosition.InsideNE);
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            double[] ys = s.ys();
            if (logY) {
                // a log axis cannot show zero or negative values: floor them at the smallest positive one
                double floor = java.util.Arrays.stream(ys).filter(v -> v > 0).min().orElse(1e-300);
                ys = java.util.Arrays.stream(ys).map(v -> v > 0 ? v : floor).toArray();
            }
            XYSeries added = chart.addSeries(s.name(), s.xs(), ys);
            added.setMarker(SeriesMarkers.NONE);
            added.setLineColor(Palette.series(i));
            added.setLineWidth(1.8f);
        }
        return chart;
    }
}
