package org.reprolab.plot;

import java.util.List;
import org.knowm.xchart.style.Styler.LegendPosition;

/**
 * Where a legend hides no data, as matplotlib's {@code loc="best"} decides: the first inside corner
 * (upper right, upper left, lower left, lower right) whose legend-sized box no curve or point enters,
 * else outside, to the right of the plot. Curves are given in view fractions ([0, 1] across the
 * visible plot), so log axes are already accounted for.
 */
final class LegendPlacement {

    /** Gap between the legend and the plot frame, as a fraction of the plot. */
    private static final double INSET = 0.02;
    /** Spacing of the points tested along a segment, as a fraction of the plot. */
    private static final double SAMPLE = 0.005;

    private static final LegendPosition[] CORNERS = {
        LegendPosition.InsideNE, LegendPosition.InsideNW, LegendPosition.InsideSW, LegendPosition.InsideSE
    };

    private LegendPlacement() {}

    /** Where a figure asks for its legend: the emptiest inside corner, or outside on the right or below. */
    enum Where { BEST, RIGHT, BELOW }

    /** One drawn series: its points in view fractions, and whether they are joined by lines. */
    record Trace(double[] xs, double[] ys, boolean joined) {}

    /**
     * The corner (or, when every corner is occupied, the outside right) for a legend box
     * {@code boxWidth} x {@code boxHeight} in view fractions.
     */
    static LegendPosition best(List<Trace> traces, double boxWidth, double boxHeight) {
        for (LegendPosition corner : CORNERS) {
            if (empty(traces, box(corner, boxWidth, boxHeight))) {
                return corner;
            }
        }
        return LegendPosition.OutsideE;
    }

    /**
     * The legend's position for {@code where}; for {@link Where#BEST}, a legend listing {@code names} on a
     * chart of {@code width} x {@code height} pixels, placed by {@link #best}.
     */
    static LegendPosition position(Where where, org.knowm.xchart.style.Styler styler, List<String> names, List<Trace> traces, int width, int height) {
        return switch (where) {
            case RIGHT -> LegendPosition.OutsideE;
            case BELOW -> LegendPosition.OutsideS;
            case BEST -> {
                // the plot is the chart less its title, axis titles and tick labels: about 90 x 100 pixels
                double[] size = Axes.legendBox(styler, names, Math.max(100, width - 90), Math.max(100, height - 100));
                yield best(traces, size[0], size[1]);
            }
        };
    }

    /** The box {x0, y0, x1, y1} the legend fills in {@code corner}, y up. */
    static double[] box(LegendPosition corner, double w, double h) {
        boolean east = corner == LegendPosition.InsideNE || corner == LegendPosition.InsideSE;
        boolean north = corner == LegendPosition.InsideNE || corner == LegendPosition.InsideNW;
        double x0 = east ? 1 - INSET - w : INSET;
        double y0 = north ? 1 - INSET - h : INSET;
        // a little slack: a line grazing the legend's edge still reads as hidden
        return new double[] {x0 - INSET, y0 - INSET, x0 + w + INSET, y0 + h + INSET};
    }

    private static boolean empty(List<Trace> traces, double[] box) {
        for (Trace t : traces) {
            for (int i = 0; i < t.xs().length; i++) {
                if (inside(t.xs()[i], t.ys()[i], box)) {
                    return false;
                }
                if (t.joined() && i > 0 && crosses(t.xs()[i - 1], t.ys()[i - 1], t.xs()[i], t.ys()[i], box)) {
                    return false;
                }
            }
        }
        return true;
    }

    private static boolean crosses(double x0, double y0, double x1, double y1, double[] box) {
        if (!Double.isFinite(x0 + y0 + x1 + y1)) {
            return false;
        }
        int samples = (int) Math.min(10_000, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / SAMPLE));
        for (int k = 1; k < samples; k++) {
            double f = (double) k / samples;
            if (inside(x0 + f * (x1 - x0), y0 + f * (y1 - y0), box)) {
                return true;
            }
        }
        return false;
    }

    private static boolean inside(double x, double y, double[] box) {
        return x >= box[0] && x <= box[2] && y >= box[1] && y <= box[3];
    }
}
