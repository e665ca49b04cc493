package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.reprolab.problems.Rosenbrock;

class FiguresTest {

    @Test
    void colouredByPutsEachPointInItsRangeWithTheRampsColour() {
        double[] t = {1, 2, 5, 10, 11, 50, 100, 400};
        double[] xs = new double[t.length], ys = new double[t.length];
        for (int i = 0; i < t.length; i++) {
            xs[i] = i;
            ys[i] = -i;
        }
        XYChart chart = ScatterPlot.titled("t").colouredBy("epoch", xs, ys, t, 1, 10, 100, 200, 1000).chart();
        org.junit.jupiter.api.Assertions.assertArrayEquals(new double[] {0, 1, 2, 3}, chart.getSeries("epoch 1–10").getXData(), 0.0,
                "the first range takes its lower edge");
        assertEquals(3, chart.getSeries("epoch 10–100").getXData().length, "11, 50, 100");
        assertEquals(1, chart.getSeries("epoch 200–1000").getXData().length);
        assertEquals(null, chart.getSeries("epoch 100–200"), "an empty range is left out");
        Color first = chart.getSeries("epoch 1–10").getMarkerColor(), last = chart.getSeries("epoch 200–1000").getMarkerColor();
        assertEquals(Palette.ramp(0).getRGB() & 0xFFFFFF, first.getRGB() & 0xFFFFFF);
        assertEquals(Palette.ramp(1).getRGB() & 0xFFFFFF, last.getRGB() & 0xFFFFFF);
        assertThrows(IllegalArgumentException.class, () -> ScatterPlot.titled("t").colouredBy("epoch", xs, ys, t, 10, 1));
        assertThrows(IllegalArgumentException.class, () -> ScatterPlot.titled("t").colouredBy("epoch", xs, ys, new double[2], 1, 10));
    }

    /** Where the example figures go, to look at (a reader's check, not an assertion). */
    private static final Path OUT = Path.of(System.getProperty("reprolab.plots", "target/plots"));

    private static double[] decay(int n, double rate, double floor) {
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            y[i] = Math.exp(-rate * i) + floor;
        }
        return y;
    }

    @Test
    void aDecayingCurveLeavesTheUpperRightCornerToTheLegend() {
        XYChart chart = LinePlot.titled("loss").series("GD", decay(2000, 0.01, 0.01)).chart();
        assertEquals(LegendPosition.InsideNE, chart.getStyler().getLegendPosition());
    }

    @Test
    void aRisingCurveSendsTheLegendToAnEmptyCorner() {
        double[] acc = new double[50];
        for (int i = 0; i < acc.length; i++) {
            acc[i] = 1 - Math.exp(-i / 8.0);
        }
        // rises from lower left to upper right: upper right and lower left are taken, upper left is free
        assertEquals(LegendPosition.InsideNW, LinePlot.titled("accuracy").series("Adam", acc).chart().getStyler().getLegendPosition());
    }

    @Test
    void curvesThroughEveryCornerPushTheLegendOutside() {
        double[] x = {0, 1};
        XYChart chart = LinePlot.titled("cross").series("up", x, new double[] {0, 1}).series("down", x, new double[] {1, 0})
                .series("top", x, new double[] {1, 1}).series("bottom", x, new double[] {0, 0}).chart();
        assertEquals(LegendPosition.OutsideE, chart.getStyler().getLegendPosition());
        assertEquals(LegendPosition.OutsideS, LinePlot.titled("t").legendBelow().series("up", x, x).chart().getStyler().getLegendPosition());
        assertEquals(LegendPosition.OutsideE, LinePlot.titled("t").legendOutside().series("up", x, x).chart().getStyler().getLegendPosition());
    }

    @Test
    void legendPlacementTestsSegmentsNotOnlyPoints() {
        // a line from (0, 1) to (1, 0) passes through the upper left and lower right corners only
        var diagonal = new LegendPlacement.Trace(new double[] {0, 1}, new double[] {1, 0}, true);
        assertEquals(LegendPosition.InsideNE, LegendPlacement.best(List.of(diagonal), 0.3, 0.2));
        // joined, two points in the middle of the top edge make a line through both upper corners
        var joined = new LegendPlacement.Trace(new double[] {0, 0.45, 0.55, 1}, new double[] {0.5, 0.9, 0.9, 0.5}, true);
        assertEquals(LegendPosition.InsideSW, LegendPlacement.best(List.of(joined), 0.3, 0.2));
        var unjoined = new LegendPlacement.Trace(new double[] {0, 0.45, 0.55, 1}, new double[] {0.5, 0.9, 0.9, 0.5}, false);
        assertEquals(LegendPosition.InsideNE, LegendPlacement.best(List.of(unjoined), 0.3, 0.2));
    }

    @Test
    void aSharedPaletteGivesAMethodOneColourInEveryFigure() {
        Palette colours = Palette.create();
        double[] y = {3, 2, 1};
        XYChart loss = LinePlot.titled("loss").palette(colours).series("Adam", y).series("Lion", y).chart();
        XYChart paths = ContourPlot.of(new Rosenbrock()).palette(colours)
                .path("Lion", List.of(new double[] {-1, 1}, new double[] {0, 0}))
                .path("Adam", List.of(new double[] {-1, 1}, new double[] {0.5, 0.5})).chart();
        XYChart samples = ScatterPlot.titled("s").palette(colours).series("Adam", y, y).chart();
        Color adam = loss.getSeries("Adam").getLineColor();
        assertEquals(adam, paths.getSeries("Adam").getLineColor());
        assertEquals(loss.getSeries("Lion").getLineColor(), paths.getSeries("Lion").getLineColor());
        assertEquals(adam.getRGB() & 0xFFFFFF, samples.getSeries("Adam").getMarkerColor().getRGB() & 0xFFFFFF);
        assertNotEquals(adam, loss.getSeries("Lion").getLineColor());
        assertEquals(Palette.series(0), adam, "first come, first colour");
        assertEquals(Color.RED, Palette.create().assign("SGD", Color.RED).color("SGD"));
    }

    @Test
    void aBandIsATranslucentPolygonInTheSeriesColourUnderItsMean() {
        double[] mean = {3, 2, 1.5, 1.2};
        double[] lo = {2.5, 1.7, 1.3, 1.1};
        double[] hi = {3.5, 2.4, 1.8, 1.3};
        XYChart chart = LinePlot.titled("5 seeds").band("Adam", mean, lo, hi).chart();
        XYSeries band = chart.getSeries("Adam interval");
        XYSeries line = chart.getSeries("Adam");
        assertEquals(XYSeries.XYSeriesRenderStyle.PolygonArea, band.getXYSeriesRenderStyle().orElseThrow());
        assertEquals(line.getLineColor().getRGB() & 0xFFFFFF, band.getFillColor().getRGB() & 0xFFFFFF);
        assertTrue(band.getFillColor().getAlpha() < 100, "translucent");
        assertEquals(false, band.isShowInLegend());
        // the polygon runs along hi, then back along lo
        assertEquals(List.of(3.5, 2.4, 1.8, 1.3, 1.1, 1.3, 1.7, 2.5), java.util.Arrays.stream(band.getYData()).boxed().toList());
        var e = assertThrows(IllegalArgumentException.class, () -> LinePlot.titled("t").band("x", mean, hi, lo));
        assertTrue(e.getMessage().contains("lo 3.5 > hi 2.5 at index 0"), e.getMessage());
    }

    @Test
    void ticksArePaintedAndXChartsOwnLabelsAreHidden() throws Exception {
        XYChart chart = LinePlot.titled("loss").series("GD", decay(2000, 0.01, 0.01)).chart();
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        assertEquals(0, chart.getStyler().getAxisTickLabelsColor().getAlpha());
        // dark tick-label pixels below the plot: our labels are drawn
        int bottomRows = 0;
        for (int y = image.getHeight() - 45; y < image.getHeight() - 25; y++) {
            for (int x = 80; x < image.getWidth() - 80; x++) {
                bottomRows += (image.getRGB(x, y) & 0xFF) < 100 ? 1 : 0;
            }
        }
        assertTrue(bottomRows > 20, "no tick labels under the plot");
    }

    @Test
    void exampleFiguresRender() throws Exception {
        Files.createDirectories(OUT);
        int n = 2000;
        double[] steps = new double[n];
        for (int i = 0; i < n; i++) {
            steps[i] = i;
        }
        Palette colours = Palette.create();
        LinePlot loss = LinePlot.titled("Rosenbrock: f(x) per step").xLabel("step").yLabel("f(x) - f*").logY().palette(colours);
        String[] names = {"Adam", "AdaBelief", "Lion", "diffGrad"};
        for (int k = 0; k < names.length; k++) {
            double[] mean = decay(n, 0.004 * (k + 1), 1e-6 * Math.pow(10, k));
            double[] lo = new double[n], hi = new double[n];
            for (int i = 0; i < n; i++) {
                lo[i] = mean[i] * 0.6;
                hi[i] = mean[i] * 1.6;
            }
            loss.band(names[k], steps, mean, lo, hi);
        }
        save(loss.chart(), "loss-bands-logy");

        double[] nfe = {4, 6, 8, 10, 15, 20, 30, 50, 100, 200};
        LinePlot work = LinePlot.titled("error vs NFE").xLabel("NFE").yLabel("mean squared error").logX().logY().size(820, 420);
        for (int k = 0; k < 3; k++) {
            double[] err = new double[nfe.length];
            for (int i = 0; i < nfe.length; i++) {
                err[i] = 3 * Math.pow(nfe[i], -(k + 1));
            }
            work.series("order " + (k + 1), nfe, err);
        }
        save(work.chart(), "error-vs-nfe-loglog");

        double[] grid = new double[16];
        double[] iters = new double[16];
        for (int i = 0; i < grid.length; i++) {
            grid[i] = 15 * i;
            iters[i] = 40 + 3 * i + 10 * Math.sin(i);
        }
        save(LinePlot.titled("iterations").xLabel("1/epsilon").yLabel("iterations").palette(colours).series("Adam", grid, iters).chart(), "linear-15-grid");
        save(LinePlot.titled("narrow log").logY().series("a", new double[] {1, 2, 3}, new double[] {12, 30, 55}).chart(), "narrow-log");

        ContourPlot contour = ContourPlot.of(new Rosenbrock()).palette(colours)
                .path("Adam", List.of(new double[] {-1.5, 2}, new double[] {-1, 1}, new double[] {0.2, 0.1}, new double[] {0.9, 0.8}))
                .path("Lion", List.of(new double[] {-1.5, 2}, new double[] {-0.5, 0.5}, new double[] {0.5, 0.2}));
        save(contour.chart(), "contour-paths");

        java.util.Random rnd = new java.util.Random(1);
        double[] sx = new double[500], sy = new double[500];
        for (int i = 0; i < 500; i++) {
            double t = Math.PI * rnd.nextDouble();
            sx[i] = Math.cos(t) + 0.1 * rnd.nextGaussian();
            sy[i] = Math.sin(t) + 0.1 * rnd.nextGaussian();
        }
        save(ScatterPlot.titled("moons").series("target", sx, sy).chart(), "scatter");
    }

    private static void save(XYChart chart, String name) throws Exception {
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        assertTrue(png.length > 1000, name);
        Files.write(OUT.resolve(name + ".png"), png);
    }
}
