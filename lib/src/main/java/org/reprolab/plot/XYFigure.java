package org.reprolab.plot;

import java.util.List;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;

/**
 * What every x-y figure builder shares: title, axis labels, pixel size, the {@link Palette} that
 * colours series by name, and where the legend goes. The settings live here once, so a figure
 * builder only says what it draws; {@code F} is the builder's own type, so the shared setters chain.
 *
 * @param <F> the concrete builder
 */
public abstract sealed class XYFigure<F extends XYFigure<F>> implements Figure permits LinePlot, ScatterPlot, ContourPlot {

    private String title;
    private String xLabel;
    private String yLabel;
    private int width;
    private int height;
    private Palette palette;
    private LegendPlacement.Where legend = LegendPlacement.Where.BEST;

    XYFigure(String title, String xLabel, String yLabel, int width, int height) {
        this.title = Objects.requireNonNull(title, "title");
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.width = width;
        this.height = height;
    }

    @SuppressWarnings("unchecked")
    private F self() {
        return (F) this;
    }

    public F title(String text) {
        this.title = Objects.requireNonNull(text, "title");
        return self();
    }

    public F xLabel(String label) {
        this.xLabel = label;
        return self();
    }

    public F yLabel(String label) {
        this.yLabel = label;
        return self();
    }

    public F size(int widthPixels, int heightPixels) {
        if (widthPixels < 1 || heightPixels < 1) {
            throw new IllegalArgumentException("size: width and height must be positive, got " + widthPixels + " x " + heightPixels);
        }
        this.width = widthPixels;
        this.height = heightPixels;
        return self();
    }

    /** Colours series by name from {@code colours}, shared with other figures (default: a palette of this figure's own). */
    public F palette(Palette colours) {
        this.palette = Objects.requireNonNull(colours, "palette");
        return self();
    }

    /** Puts the legend outside the plot, on its right. */
    public F legendOutside() {
        this.legend = LegendPlacement.Where.RIGHT;
        return self();
    }

    /** Puts the legend outside the plot, below it. */
    public F legendBelow() {
        this.legend = LegendPlacement.Where.BELOW;
        return self();
    }

    /** The palette series are coloured from: the shared one, or a fresh one for this figure. */
    final Palette colours() {
        return palette != null ? palette : Palette.create();
    }

    /** A chart of this figure's size, title and labels, with our ticks painted over XChart's ({@link Axes}). */
    final XYChart newChart(double[] xLimits, double[] yLimits, boolean logX, boolean logY) {
        XYChart chart = Axes.chart(new XYChartBuilder().width(width).height(height).title(title).xAxisTitle(xLabel).yAxisTitle(yLabel));
        Axes.style(chart, xLimits, yLimits, logX, logY);
        return chart;
    }

    /** Puts the legend where it hides no trace (or where the user fixed it). */
    final void placeLegend(XYChart chart, List<String> names, List<LegendPlacement.Trace> traces) {
        chart.getStyler().setLegendPosition(LegendPlacement.position(legend, chart.getStyler(), names, traces, width, height));
    }
}
