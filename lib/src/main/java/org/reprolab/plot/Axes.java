package org.reprolab.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.geom.Line2D;
import java.util.Arrays;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import java.util.function.ToDoubleFunction;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.style.XYStyler;

/**
 * The axes every figure shares, drawn the way a matplotlib user expects: the view is the data's range
 * plus a small margin, ticks come from {@link Ticks} (round steps, 1-2-5 on log axes) and are painted
 * over XChart's chart, whose own tick labels are kept only, invisible, to reserve their space.
 */
final class Axes {

    /** Text and frame colour, matplotlib's near-black. */
    static final Color INK = new Color(0x262626);
    private static final Color INVISIBLE = new Color(0, 0, 0, 0);
    private static final int MAX_TICKS = 8;
    private static final int MAJOR_LENGTH = 5;
    private static final int MINOR_LENGTH = 3;

    private Axes() {}

    /** An XY chart that paints {@link Ticks} over XChart's rendering. */
    static XYChart chart(XYChartBuilder builder) {
        return new TickedChart(builder);
    }

    /**
     * The range of the finite values (positive ones on a log axis), widened around a single value so
     * that the axis has a span; {@code {0, 1}} when there is nothing to show.
     */
    static double[] limits(boolean log, List<double[]> arrays) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] values : arrays) {
            for (double v : values) {
                if (Double.isFinite(v) && (!log || v > 0)) {
                    lo = Math.min(lo, v);
                    hi = Math.max(hi, v);
                }
            }
        }
        if (lo > hi) {
            return log ? new double[] {1, 10} : new double[] {0, 1};
        }
        if (lo == hi) {
            return log ? new double[] {lo / 2, hi * 2} : new double[] {lo - Math.max(1, Math.abs(lo) * 0.1), hi + Math.max(1, Math.abs(hi) * 0.1)};
        }
        return new double[] {lo, hi};
    }

    /** Fixes the axis ranges and styles the chart so that only our ticks show. */
    static void style(XYChart chart, double[] x, double[] y, boolean logX, boolean logY) {
        XYStyler st = chart.getStyler();
        st.setXAxisLogarithmic(logX).setYAxisLogarithmic(logY);
        st.setXAxisMin(x[0]).setXAxisMax(x[1]).setYAxisMin(y[0]).setYAxisMax(y[1]);
        st.setChartBackgroundColor(Color.WHITE).setPlotBackgroundColor(Color.WHITE).setPlotBorderColor(INK);
        st.setPlotGridLinesVisible(false);
        st.setAxisTicksMarksVisible(false).setAxisTicksLineVisible(false).setAxisTickLabelsColor(INVISIBLE);
        st.setChartFontColor(INK);
        st.setYAxisTitleVisible(false); // painted by TickedChart, left of our widest tick label
        st.setLegendBorderColor(new Color(0xCCCCCC));
        // XChart's invisible labels size the margins: give the linear ones our format so they are as wide as ours
        if (!logX) {
            st.setXAxisTickLabelsFormattingFunction(labeller(view(x, false, st.getPlotContentSize())));
        }
        if (!logY) {
            st.setYAxisTickLabelsFormattingFunction(labeller(view(y, false, st.getPlotContentSize())));
        }
    }

    /** The visible range: the data range widened by the plot's margin, as XChart draws it. */
    static double[] view(double[] limits, boolean log, double contentSize) {
        DoubleUnaryOperator to = log ? Math::log10 : v -> v;
        DoubleUnaryOperator from = log ? v -> Math.pow(10, v) : v -> v;
        double a = to.applyAsDouble(limits[0]);
        double b = to.applyAsDouble(limits[1]);
        double margin = (1 - contentSize) / 2 / contentSize * (b - a);
        return new double[] {from.applyAsDouble(a - margin), from.applyAsDouble(b + margin)};
    }

    /** Where a value lands in the view, 0 at its low end and 1 at its high end. */
    static double fraction(double value, double[] view, boolean log) {
        return log
                ? (Math.log10(value) - Math.log10(view[0])) / (Math.log10(view[1]) - Math.log10(view[0]))
                : (value - view[0]) / (view[1] - view[0]);
    }

    private static java.util.function.Function<Double, String> labeller(double[] view) {
        Ticks ticks = Ticks.linear(view[0], view[1], MAX_TICKS);
        double difference = ticks.values().length > 1 ? ticks.values()[1] - ticks.values()[0] : view[1] - view[0];
        // 0.5 - 0.4 is 0.09999999999999998: rounded, or its 17 decimals make every label (and the margin they size) wide
        double step = new java.math.BigDecimal(difference).round(new java.math.MathContext(6)).doubleValue();
        double magnitude = Math.max(Math.abs(view[0]), Math.abs(view[1]));
        return v -> Ticks.label(v, step, magnitude);
    }

    /**
     * The ticks of one axis that fit: as many as {@value #MAX_TICKS}, fewer while neighbouring labels
     * (of {@code extent} pixels along the axis) would come closer than {@code minGap} pixels.
     */
    static Ticks fitting(double[] view, boolean log, double pixels, ToDoubleFunction<String> extent, double minGap) {
        for (int count = MAX_TICKS; count > 2; count--) {
            Ticks ticks = log ? Ticks.log(view[0], view[1], count) : Ticks.linear(view[0], view[1], count);
            if (fits(ticks, view, log, pixels, extent, minGap)) {
                return ticks;
            }
        }
        return log ? Ticks.log(view[0], view[1], 2) : Ticks.linear(view[0], view[1], 2);
    }

    private static boolean fits(Ticks ticks, double[] view, boolean log, double pixels, ToDoubleFunction<String> extent, double minGap) {
        double[] v = ticks.values();
        String[] labels = ticks.labels();
        for (int i = 1; i < v.length; i++) {
            double gap = (fraction(v[i], view, log) - fraction(v[i - 1], view, log)) * pixels;
            if (gap < (extent.applyAsDouble(labels[i]) + extent.applyAsDouble(labels[i - 1])) / 2 + minGap) {
                return false;
            }
        }
        return true;
    }

    /**
     * Where the y-axis title goes: its box (rotated text, {@code width} = the font's line height) ends
     * {@value #TITLE_GAP} pixels left of the widest y tick label, centred on the plot's height.
     */
    record YTitle(double right, double width, double centreY) {
        double left() {
            return right - width;
        }
    }

    private static final int TITLE_GAP = 6;
    private static final int TICK_LABEL_GAP = 5;

    /** The y title's place for the plot XChart has laid out last, or null when no ticks are painted. */
    static YTitle yTitle(XYChart chart, Graphics2D g) {
        return paintTicks(chart, g, true);
    }

    /** The y-axis title, rotated, at {@code place}, in the chart's font colour (nothing for an empty title). */
    static void paintYTitle(XYChart chart, Graphics2D g, YTitle place) {
        String title = chart.getYAxisTitle();
        if (title == null || title.isBlank() || place == null) {
            return;
        }
        XYStyler st = chart.getStyler();
        Font font = st.getAxisTitleFont();
        FontMetrics fm = g.getFontMetrics(font);
        Object aa = g.getRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setFont(font);
        g.setColor(st.getChartFontColor());
        java.awt.geom.AffineTransform before = g.getTransform();
        // baseline vertical at x = right - descent, reading bottom to top
        g.translate(place.right() - fm.getDescent(), place.centreY() + fm.stringWidth(title) / 2.0);
        g.rotate(-Math.PI / 2);
        g.drawString(title, 0, 0);
        g.setTransform(before);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, aa);
    }

    /**
     * Paints ticks and labels on the bottom and left edges of the plot XChart has drawn (only measures them when
     * {@code layoutOnly}); returns where the y title goes, or null when the axes have no fixed range.
     */
    private static YTitle paintTicks(XYChart chart, Graphics2D g, boolean layoutOnly) {
        XYStyler st = chart.getStyler();
        if (st.getXAxisMin() == null || st.getXAxisMax() == null || st.getYAxisMin() == null || st.getYAxisMax() == null) {
            return null;
        }
        boolean logX = st.isXAxisLogarithmic();
        boolean logY = st.isYAxisLogarithmic();
        double c = st.getPlotContentSize();
        double[] xView = view(new double[] {st.getXAxisMin(), st.getXAxisMax()}, logX, c);
        double[] yView = view(new double[] {st.getYAxisMin(), st.getYAxisMax()}, logY, c);
        double sx0 = chart.getScreenXFromChart(st.getXAxisMin());
        double sx1 = chart.getScreenXFromChart(st.getXAxisMax());
        double sy0 = chart.getScreenYFromChart(st.getYAxisMin());
        double sy1 = chart.getScreenYFromChart(st.getYAxisMax());
        double width = (sx1 - sx0) / c;
        double height = (sy0 - sy1) / c;
        if (!(width > 20 && height > 20)) {
            return null;
        }
        double left = sx0 - (1 - c) / 2 * width;
        double bottom = sy0 + (1 - c) / 2 * height;

        Font font = st.getAxisTickLabelsFont();
        FontMetrics fm = g.getFontMetrics(font);
        Ticks xTicks = fitting(xView, logX, width, fm::stringWidth, 12);
        Ticks yTicks = fitting(yView, logY, height, label -> fm.getHeight(), 0.8 * fm.getHeight());
        double widest = Arrays.stream(yTicks.labels()).mapToDouble(fm::stringWidth).max().orElse(0);
        YTitle title = new YTitle(left - TICK_LABEL_GAP - widest - TITLE_GAP, g.getFontMetrics(st.getAxisTitleFont()).getHeight(), bottom - height / 2);
        if (layoutOnly) {
            return title;
        }

        Object aa = g.getRenderingHint(RenderingHints.KEY_ANTIALIASING);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(INK);
        g.setStroke(new BasicStroke(1f));
        g.setFont(font);
        for (double v : xTicks.minor()) {
            double px = left + fraction(v, xView, logX) * width;
            g.draw(new Line2D.Double(px, bottom, px, bottom - MINOR_LENGTH));
        }
        for (double v : yTicks.minor()) {
            double py = bottom - fraction(v, yView, logY) * height;
            g.draw(new Line2D.Double(left, py, left + MINOR_LENGTH, py));
        }
        for (int i = 0; i < xTicks.values().length; i++) {
            double px = left + fraction(xTicks.values()[i], xView, logX) * width;
            g.draw(new Line2D.Double(px, bottom, px, bottom - MAJOR_LENGTH));
            String label = xTicks.labels()[i];
            g.drawString(label, (float) (px - fm.stringWidth(label) / 2.0), (float) (bottom + 4 + fm.getAscent()));
        }
        for (int i = 0; i < yTicks.values().length; i++) {
            double py = bottom - fraction(yTicks.values()[i], yView, logY) * height;
            g.draw(new Line2D.Double(left, py, left + MAJOR_LENGTH, py));
            String label = yTicks.labels()[i];
            g.drawString(label, (float) (left - TICK_LABEL_GAP - fm.stringWidth(label)), (float) (py + fm.getAscent() / 2.0 - 1));
        }
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, aa);
        return title;
    }

    /** The width and height of a legend listing {@code names}, as fractions of a plot of the given pixel size. */
    static double[] legendBox(org.knowm.xchart.style.Styler st, List<String> names, double plotWidth, double plotHeight) {
        Font font = st.getLegendFont();
        FontRenderContext frc = new FontRenderContext(null, true, false);
        double textWidth = names.stream().mapToDouble(n -> font.getStringBounds(n, frc).getWidth()).max().orElse(0);
        double lineHeight = font.getStringBounds("Ag", frc).getHeight();
        int pad = st.getLegendPadding();
        double w = textWidth + st.getLegendSeriesLineLength() + 4 * pad;
        double h = names.size() * (lineHeight + pad) + 2 * pad;
        return new double[] {w / plotWidth, h / plotHeight};
    }

    /** {@code values} mapped to view fractions, as {@link LegendPlacement} reads them. */
    static double[] fractions(double[] values, double[] view, boolean log) {
        return Arrays.stream(values).map(v -> fraction(v, view, log)).toArray();
    }

    private static final class TickedChart extends XYChart {
        TickedChart(XYChartBuilder builder) {
            super(builder);
        }

        /**
         * XChart reserves the y tick labels' room from its own (invisible) labels, which can be narrower than
         * ours (a log axis with no decade in view has none), so the y title is ours: a layout pass off-screen
         * finds where it must go, and when that is left of the image's padding the whole chart is drawn
         * shifted right by the difference, narrower by as much.
         */
        @Override
        public void paint(Graphics2D g, int width, int height) {
            java.awt.image.BufferedImage scratch = new java.awt.image.BufferedImage(Math.max(1, width), Math.max(1, height), java.awt.image.BufferedImage.TYPE_INT_ARGB);
            Graphics2D sg = scratch.createGraphics();
            super.paint(sg, width, height);
            YTitle place = yTitle(this, sg);
            sg.dispose();
            boolean titled = getYAxisTitle() != null && !getYAxisTitle().isBlank();
            int shift = place == null || !titled ? 0 : (int) Math.max(0, Math.ceil(getStyler().getChartPadding() - place.left()));
            if (shift > 0 && shift < width / 2) {
                g.setColor(getStyler().getChartBackgroundColor());
                g.fillRect(0, 0, shift, height);
                g.translate(shift, 0);
                super.paint(g, width - shift, height);
                keepTitleInside(g, -shift, width - shift);
                YTitle shifted = paintTicks(this, g, false);
                paintYTitle(this, g, shifted);
                g.translate(-shift, 0);
                setWidth(width); // XChart's paint keeps the width it was given: the figure stays its own size
            } else {
                super.paint(g, width, height);
                keepTitleInside(g, 0, width);
                paintYTitle(this, g, paintTicks(this, g, false));
            }
        }

        /**
         * XChart centres the chart title over the plot, so a title wider than a plot narrowed by a legend outside
         * it ran off the image's left edge ("ng8, class = mode 0: ..."). When it does not fit there, the title band
         * is cleared and the title drawn again as near the plot's centre as the image's padding allows. Titles
         * that fit are left as XChart drew them. {@code left} and {@code right} are the image's edges in {@code g}'s
         * coordinates (the chart may be drawn shifted right).
         */
        private void keepTitleInside(Graphics2D g, int left, int right) {
            String title = getTitle();
            if (title == null || title.isBlank() || !getStyler().isChartTitleVisible()) {
                return;
            }
            java.awt.geom.Rectangle2D area = plot.getBounds();
            Font font = getStyler().getChartTitleFont();
            FontMetrics fm = g.getFontMetrics(font);
            double textWidth = fm.stringWidth(title), pad = getStyler().getChartPadding();
            double centred = area.getX() + (area.getWidth() - textWidth) / 2;
            if (centred >= left + pad && centred + textWidth <= right - pad) {
                return;
            }
            double x = Math.max(left + pad, Math.min(centred, right - pad - textWidth));
            g.setColor(getStyler().getChartBackgroundColor());
            g.fill(new java.awt.geom.Rectangle2D.Double(left, 0, right - left, Math.max(0, area.getY() - 1)));
            Object aa = g.getRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING);
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(font);
            g.setColor(getStyler().getChartFontColor());
            g.drawString(title, (float) x, (float) (pad + fm.getAscent()));
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, aa);
        }
    }
}
