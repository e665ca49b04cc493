package org.reprolab.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * Iso-lines of a function sampled on a regular grid, by marching squares (W. E. Lorensen and
 * H. E. Cline, "Marching cubes", SIGGRAPH 1987, in two dimensions): each grid cell is classified
 * by which corners lie above the level, and the crossing points on its edges are found by linear
 * interpolation. The two saddle cases are resolved with the cell's centre value.
 */
final class MarchingSquares {

    /** A line piece from (x0, y0) to (x1, y1). */
    record Segment(double x0, double y0, double x1, double y1) {}

    private MarchingSquares() {}

    /**
     * The segments of the iso-line {@code f = level} on the grid {@code values[i][j] = f(xs[j], ys[i])}.
     */
    static List<Segment> isoline(double[] xs, double[] ys, double[][] values, double level) {
        List<Segment> out = new ArrayList<>();
        for (int i = 0; i + 1 < ys.length; i++) {
            for (int j = 0; j + 1 < xs.length; j++) {
                double v00 = values[i][j];
                double v01 = values[i][j + 1];
                double v11 = values[i + 1][j + 1];
                double v10 = values[i + 1][j];
                int index = (v00 > level ? 1 : 0) | (v01 > level ? 2 : 0) | (v11 > level ? 4 : 0) | (v10 > level ? 8 : 0);
                if (index == 0 || index == 15) {
                    continue;
                }
                // crossing points on the four edges: bottom (00-01), right (01-11), top (10-11), left (00-10)
                double[] bottom = {lerp(xs[j], xs[j + 1], v00, v01, level), ys[i]};
                double[] right = {xs[j + 1], lerp(ys[i], ys[i + 1], v01, v11, level)};
                double[] top = {lerp(xs[j], xs[j + 1], v10, v11, level), ys[i + 1]};
                double[] left = {xs[j], lerp(ys[i], ys[i + 1], v00, v10, level)};
                double centre = (v00 + v01 + v11 + v10) / 4;
                switch (index) {
                    case 1, 14 -> add(out, left, bottom);
                    case 2, 13 -> add(out, bottom, right);
                    case 3, 12 -> add(out, left, right);
                    case 4, 11 -> add(out, right, top);
                    case 6, 9 -> add(out, bottom, top);
                    case 7, 8 -> add(out, left, top);
                    case 5 -> {
                        if (centre > level) {
                            add(out, left, top);
                            add(out, bottom, right);
                        } else {
                            add(out, left, bottom);
                            add(out, right, top);
                        }
                    }
                    case 10 -> {
                        if (centre > level) {
                            add(out, left, bottom);
                            add(out, right, top);
                        } else {
                            add(out, left, top);
                            add(out, bottom, right);
                        }
                    }
                    default -> throw new AssertionError(index);
                }
            }
        }
        return out;
    }

    private static void add(List<Segment> out, double[] p, double[] q) {
        out.add(new Segment(p[0], p[1], q[0], q[1]));
    }

    /** Where the level is crossed between a (value va) and b (value vb). */
    private static double lerp(double a, double b, double va, double vb, double level) {
        double t = (level - va) / (vb - va);
        return a + t * (b - a);
    }
}
