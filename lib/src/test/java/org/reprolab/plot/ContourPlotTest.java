package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.reprolab.problems.Rosenbrock;

class ContourPlotTest {

    @Test
    void automaticLevelsRiseGeometricallyFromTheMinimum() {
        double[] levels = ContourPlot.of(new Rosenbrock()).levelCount(5).levelValues();
        assertEquals(5, levels.length);
        for (int k = 1; k < levels.length; k++) {
            assertTrue(levels[k] > levels[k - 1]);
        }
        double r1 = (levels[2] - levels[0]) / (levels[1] - levels[0]);
        double r2 = (levels[3] - levels[0]) / (levels[2] - levels[0]);
        assertTrue(r1 > 2 && r2 > 1.5, "geometric spacing expected: " + java.util.Arrays.toString(levels));
    }

    @Test
    void pathsBecomeNamedSeriesOverTheContours() throws Exception {
        XYChart chart = ContourPlot.of(new Rosenbrock())
                .path("GD", List.of(new double[] {-1.5, 2}, new double[] {-1, 1}, new double[] {0.5, 0.3}))
                .chart();
        assertTrue(chart.getSeries("GD") != null);
        assertTrue(chart.getSeries("minimum") != null);
        assertTrue(chart.getSeriesCollection().size() > 5, "contour levels missing");
        byte[] png = BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG);
        assertTrue(png.length > 1000);
    }

    @Test
    void badPathsAndBoxesAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ContourPlot.of(new Rosenbrock()).path("bad", List.of(new double[] {1, 2, 3})));
        assertTrue(e.getMessage().contains("point 0 has 3 coordinates"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> ContourPlot.of((x, y) -> x, 1, 0, 0, 1));
    }

    @Test
    void linePlotRefusesMismatchedSeries() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> LinePlot.titled("t").series("s", new double[] {1, 2}, new double[] {1}));
        assertTrue(e.getMessage().contains("2 x values but 1 y values"));
    }
}
