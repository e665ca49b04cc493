package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;

/**
 * The y-axis title must sit left of the widest y tick label. The title is painted in pure red here (the
 * chart font colour) and our tick labels in near-black ink, so the two are told apart by pixel colour in
 * the rendered PNG: the title's right edge must be left of the tick labels' left edge.
 */
class AxisLabelLayoutTest {

    private static final Path OUT = Path.of("target", "figures");

    @ParameterizedTest
    @ValueSource(strings = {"tiny-linear", "tiny-offset-linear", "tiny-log", "huge-linear", "negative-linear", "thousands-log", "fractions-log", "narrow-tiny-log", "milli-linear"})
    void yTitleSitsLeftOfTheWidestTickLabel(String kind) throws Exception {
        double[] x = new double[50], y = new double[50];
        for (int i = 0; i < x.length; i++) {
            x[i] = i;
            double s = Math.sin(i / 7.0);
            y[i] = switch (kind) {
                case "tiny-linear" -> 1e-4 * (1.2 + s);
                case "tiny-offset-linear" -> 1.2e-4 + 1e-7 * s;
                case "tiny-log" -> Math.pow(10, -12 + 8 * i / 49.0);
                case "huge-linear" -> 1.234e7 * (2 + s);
                case "thousands-log" -> 1000 * Math.pow(50, i / 49.0);
                case "fractions-log" -> 0.011 * Math.pow(45, i / 49.0);
                case "narrow-tiny-log" -> 2e-5 * Math.pow(4.5, i / 49.0);
                case "milli-linear" -> 0.00125 * (1 + s);
                default -> -0.000123 * (1.5 + s);
            };
        }
        LinePlot plot = LinePlot.titled(kind).xLabel("step").yLabel("relative error").series("a", x, y);
        XYChart chart = (kind.endsWith("log") ? plot.logY() : plot).chart();
        chart.getStyler().setChartFontColor(Color.RED);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Files.createDirectories(OUT);
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        Files.write(OUT.resolve("ylabel-" + kind + ".png"), png);
        BufferedImage again = ImageIO.read(new ByteArrayInputStream(png));
        assertEquals(640, again.getWidth(), "a second rendering keeps the figure's width");
        assertEquals(image.getRGB(again.getWidth() - 20, image.getHeight() / 2), again.getRGB(again.getWidth() - 20, image.getHeight() / 2), "and its layout");

        // the plot's left edge: the first column of the frame, a long dark vertical run in the middle rows
        int mid = image.getHeight() / 2, plotLeft = -1;
        for (int c = 0; c < image.getWidth() / 2 && plotLeft < 0; c++) {
            int run = 0;
            for (int r = mid - 40; r < mid + 40; r++) run += isInk(image.getRGB(c, r)) ? 1 : 0;
            if (run > 70) plotLeft = c;
        }
        assertTrue(plotLeft > 0, "no plot frame found");
        int titleRight = -1, ticksLeft = Integer.MAX_VALUE;
        for (int r = 30; r < image.getHeight() - 30; r++) {
            for (int c = 0; c < plotLeft - 1; c++) {
                int rgb = image.getRGB(c, r);
                if (isRed(rgb)) titleRight = Math.max(titleRight, c);
                if (isInk(rgb)) ticksLeft = Math.min(ticksLeft, c);
            }
        }
        assertTrue(titleRight > 0, "no y title found");
        assertTrue(ticksLeft < plotLeft, "no y tick labels found");
        assertTrue(titleRight < ticksLeft, kind + ": the y title reaches column " + titleRight + ", the tick labels start at " + ticksLeft);
    }

    /**
     * A title wider than a plot that an outside legend narrows stays whole inside the image (XChart centres it over the
     * plot, which ran it off the left edge): the title's red ink spans its text's width and touches neither side.
     */
    @org.junit.jupiter.api.Test
    void aLongTitleOverANarrowedPlotStaysInsideTheImage() throws Exception {
        String title = "ring8, class = mode 0: CFG vs APG (eta = 0), a long title";
        ScatterPlot plot = ScatterPlot.titled(title).range(-1, 1, -1, 1);
        java.util.List<double[]> everywhere = new java.util.ArrayList<>();
        for (int i = -10; i <= 10; i++)
            for (int j = -10; j <= 10; j++) everywhere.add(new double[] {i / 10.0, j / 10.0}); // every corner taken: legend outside
        double[][] grid = everywhere.toArray(double[][]::new);
        plot.points("a grid over the whole view", grid).points("the same grid again, longer name", grid);
        XYChart chart = plot.chart();
        chart.getStyler().setChartFontColor(Color.RED);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Files.createDirectories(OUT);
        ImageIO.write(image, "png", OUT.resolve("long-title.png").toFile());
        int left = Integer.MAX_VALUE, right = -1;
        for (int r = 0; r < 40; r++)
            for (int c = 0; c < image.getWidth(); c++)
                if (isRed(image.getRGB(c, r))) {
                    left = Math.min(left, c);
                    right = Math.max(right, c);
                }
        java.awt.Graphics2D g = image.createGraphics();
        int textWidth = g.getFontMetrics(chart.getStyler().getChartTitleFont()).stringWidth(title);
        g.dispose();
        assertTrue(textWidth < image.getWidth() - 20, "the test's title must fit the image: " + textWidth);
        assertTrue(left >= 2 && right <= image.getWidth() - 3, "title ink from column " + left + " to " + right + " of " + image.getWidth());
        assertTrue(right - left >= textWidth - 6, "the whole title is drawn: ink " + (right - left) + " px, text " + textWidth + " px");
    }

    private static boolean isRed(int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        return r > 150 && g < 120 && b < 120;
    }

    private static boolean isInk(int rgb) {
        int r = rgb >> 16 & 0xFF, g = rgb >> 8 & 0xFF, b = rgb & 0xFF;
        return r < 110 && g < 110 && b < 110;
    }
}
