package org.reprolab.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

class MarchingSquaresTest {

    private static double[] axis(double lo, double hi, int n) {
        double[] a = new double[n];
        for (int i = 0; i < n; i++) {
            a[i] = lo + (hi - lo) * i / (n - 1);
        }
        return a;
    }

    @Test
    void isolineOfAParaboloidIsTheCircleOfThatRadius() {
        double[] xs = axis(-2, 2, 121);
        double[] ys = axis(-2, 2, 121);
        double[][] v = new double[ys.length][xs.length];
        for (int i = 0; i < ys.length; i++) {
            for (int j = 0; j < xs.length; j++) {
                v[i][j] = xs[j] * xs[j] + ys[i] * ys[i];
            }
        }
        double r = 1.3;
        List<MarchingSquares.Segment> segments = MarchingSquares.isoline(xs, ys, v, r * r);
        double length = 0;
        for (MarchingSquares.Segment s : segments) {
            assertEquals(r, Math.hypot(s.x0(), s.y0()), 2e-3);
            assertEquals(r, Math.hypot(s.x1(), s.y1()), 2e-3);
            length += Math.hypot(s.x1() - s.x0(), s.y1() - s.y0());
        }
        assertEquals(2 * Math.PI * r, length, 1e-2);
    }

    @Test
    void aLevelOutsideTheRangeGivesNoSegments() {
        double[][] v = {{0, 1}, {1, 2}};
        assertTrue(MarchingSquares.isoline(new double[] {0, 1}, new double[] {0, 1}, v, 5).isEmpty());
    }

    @Test
    void saddleCellsGiveTwoSegments() {
        double[][] v = {{1, 0}, {0, 1}};
        assertEquals(2, MarchingSquares.isoline(new double[] {0, 1}, new double[] {0, 1}, v, 0.5).size());
    }
}
