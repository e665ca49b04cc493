package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TicksTest {

    @Test
    void linearTicksTakeRoundStepsWithinTheCount() {
        Ticks t = Ticks.linear(0, 2000, 8);
        assertArrayEquals(new double[] {0, 500, 1000, 1500, 2000}, t.values(), 0);
        assertArrayEquals(new String[] {"0", "500", "1000", "1500", "2000"}, t.labels());
        // 0..225 (a 15-point grid): steps of 50, not of 15
        assertArrayEquals(new double[] {0, 50, 100, 150, 200}, Ticks.linear(-9, 234, 8).values(), 0);
        // 2.5 is one of the steps: 0..10 with at most 5 ticks
        assertArrayEquals(new double[] {0, 2.5, 5, 7.5, 10}, Ticks.linear(0, 10, 5).values(), 0);
        // one number of decimals along the axis, as matplotlib's ScalarFormatter writes them
        assertArrayEquals(new String[] {"0.0", "2.5", "5.0", "7.5", "10.0"}, Ticks.linear(0, 10, 5).labels());
        assertArrayEquals(new double[] {-1, -0.5, 0, 0.5, 1}, Ticks.linear(-1.2, 1.2, 6).values(), 0);
        assertArrayEquals(new String[] {"-1.0", "-0.5", "0.0", "0.5", "1.0"}, Ticks.linear(-1.2, 1.2, 6).labels());
    }

    @Test
    void linearTicksAreExactDecimalsWithLabelsOfTheStepsPrecision() {
        Ticks t = Ticks.linear(0.1, 0.7, 8);
        assertArrayEquals(new double[] {0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7}, t.values(), 0);
        assertEquals("0.3", t.labels()[2]);
        assertArrayEquals(new String[] {"0", "5e-5", "1e-4"}, Ticks.linear(0, 1e-4, 3).labels());
        assertArrayEquals(new String[] {"0", "1e6", "2e6", "3e6"}, Ticks.linear(0, 3.2e6, 5).labels());
        assertEquals("1.5e6", Ticks.label(1.5e6, 5e5, 3e6));
    }

    @Test
    void everyCountAndRangeGivesRoundStepsInsideTheView() {
        for (double lo : new double[] {-7.3, 0, 0.013, 41, 1e5}) {
            for (double span : new double[] {0.02, 1, 3.7, 226, 1999}) {
                for (int max = 2; max <= 8; max++) {
                    double[] v = Ticks.linear(lo, lo + span, max).values();
                    assertTrue(v.length <= max && v.length >= 1, lo + "+" + span + " max " + max + ": " + Arrays.toString(v));
                    assertTrue(v[0] >= lo - 1e-9 && v[v.length - 1] <= lo + span + 1e-9);
                    if (v.length > 1) {
                        double step = v[1] - v[0];
                        double mantissa = step / Math.pow(10, Math.floor(Math.log10(step) + 1e-6));
                        assertTrue(Arrays.stream(new double[] {1, 2, 2.5, 5}).anyMatch(m -> Math.abs(m - mantissa) < 1e-6), "step " + step);
                    }
                }
            }
        }
    }

    @Test
    void logTicksUseOneTwoFiveWhenTheyFitAndDecadesWhenNot() {
        Ticks narrow = Ticks.log(0.8, 60, 8);
        assertArrayEquals(new double[] {1, 2, 5, 10, 20, 50}, narrow.values(), 1e-12);
        assertArrayEquals(new String[] {"1", "2", "5", "10", "20", "50"}, narrow.labels());
        assertTrue(narrow.minor().length > 0 && Arrays.stream(narrow.minor()).noneMatch(m -> m == 2 || m == 5));

        Ticks wide = Ticks.log(1e-9, 10, 12);
        assertArrayEquals(new double[] {1e-9, 1e-8, 1e-7, 1e-6, 1e-5, 1e-4, 1e-3, 1e-2, 0.1, 1, 10}, wide.values(), 1e-20);
        assertArrayEquals(new String[] {"1e-9", "1e-8", "1e-7", "1e-6", "1e-5", "1e-4", "1e-3", "1e-2", "1e-1", "1e0", "1e1"}, wide.labels(),
                "one style per axis: no plain 0.01 beside 1e-3");
        assertArrayEquals(new String[] {"1e3", "1e4", "1e5", "1e6", "1e7"}, Ticks.log(300, 3e7, 6).labels(),
                "bytes from hundreds to tens of millions: not 1000, 10000, 1e5");
        assertEquals(10 * 8, wide.minor().length, "2..9 x 10^k for k = -9..0");

        Ticks strided = Ticks.log(1e-9, 10, 6);
        assertArrayEquals(new double[] {1e-8, 1e-6, 1e-4, 0.01, 1}, strided.values(), 1e-20);
        assertArrayEquals(new double[] {1e-9, 1e-7, 1e-5, 1e-3, 0.1, 10}, strided.minor(), 1e-20);
    }

    @Test
    void aLogViewWithinOneDecadeFallsBackToLinearTicks() {
        Ticks t = Ticks.log(11, 18, 8);
        assertArrayEquals(new double[] {11, 12, 13, 14, 15, 16, 17, 18}, t.values(), 1e-12);
    }

    @Test
    void logLabelsReadLikeMatplotlib() {
        assertEquals("1e-3", Ticks.logLabel(1e-3));
        assertEquals("0.01", Ticks.logLabel(0.01));
        assertEquals("0.1", Ticks.logLabel(0.1));
        assertEquals("1", Ticks.logLabel(1));
        assertEquals("100", Ticks.logLabel(100));
        assertEquals("2000", Ticks.logLabel(2000));
        assertEquals("10000", Ticks.logLabel(1e4));
        assertEquals("1e5", Ticks.logLabel(1e5));
        assertEquals("2e-5", Ticks.logLabel(2e-5));
        assertEquals("1e-10", Ticks.logLabel(1e-10));
    }

    @Test
    void labelsThatWouldTouchThinTheTicks() {
        // 30-pixel labels 12 pixels apart: 500 is 25 pixels on a 100-pixel axis, 1000 is 50
        double[] view = {0, 2000};
        assertArrayEquals(new double[] {0, 1000, 2000}, Axes.fitting(view, false, 100, label -> 30, 12).values(), 0);
        assertArrayEquals(new double[] {0, 500, 1000, 1500, 2000}, Axes.fitting(view, false, 600, label -> 30, 12).values(), 0);
        // on a log axis the 1-2-5 ticks crowd first, then decades remain
        assertArrayEquals(new double[] {1, 10, 100, 1000}, Axes.fitting(new double[] {1, 1000}, true, 300, label -> 30, 12).values(), 1e-12);
    }

    @Test
    void emptyViewsAreRefused() {
        var e = assertThrows(IllegalArgumentException.class, () -> Ticks.linear(1, 1, 5));
        assertTrue(e.getMessage().contains("lo < hi"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Ticks.log(0, 1, 5));
        assertThrows(IllegalArgumentException.class, () -> Ticks.linear(0, 1, 1));
    }
}
