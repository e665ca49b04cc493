package org.reprolab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.reprolab.plot.LinePlot;

class SvgCompactionTest {

    private static final Pattern D = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]|-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");

    @Test
    void aTypicalLinePlotKeepsItsSvgBesideThePngAndItIsSmall() {
        LinePlot plot = LinePlot.titled("loss").series("train", new double[] {0, 1, 2}, new double[] {0, 1, 4});
        Map<String, String> bundle = Displayers.global().display(plot);
        assertTrue(Base64.getDecoder().decode(bundle.get(MimeTypes.PNG)).length > 1000);
        String svg = bundle.get(MimeTypes.SVG);
        assertTrue(svg.startsWith("<svg") && svg.strip().endsWith("</svg>"), svg.substring(0, 80));
        // VectorGraphics2D's own output for this plot is about 25 kB
        assertTrue(svg.length() < 14_000, "SVG of a 3-point line plot: " + svg.length() + " chars");
        // and for XChart's default chart, whose tick labels are visible glyph outlines, about 104 kB
        XYChart chart = new XYChartBuilder().width(640).height(400).title("line").build();
        chart.addSeries("y", new double[] {0, 1, 2}, new double[] {0, 1, 4});
        String xchart = Displayers.global().display(chart).get(MimeTypes.SVG);
        assertTrue(xchart != null && xchart.length() < 35_000, "SVG of XChart's line chart: " + (xchart == null ? "none" : xchart.length()));
    }

    @Test
    void compactedPathsTraceTheSamePointsWithinAHalfTenthOfAPixel() throws Exception {
        LinePlot plot = LinePlot.titled("loss").series("train", new double[] {0, 1, 2}, new double[] {0, 1, 4});
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        VectorGraphicsEncoder.saveVectorGraphic(plot.chart(), out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
        String original = SvgCompaction.joinLines(out.toString(StandardCharsets.UTF_8));
        String compact = SvgCompaction.compact(original);
        List<String> before = paths(original);
        List<String> after = paths(compact);
        assertEquals(before.size(), after.size());
        assertTrue(before.size() > 10);
        int points = 0;
        for (int p = 0; p < before.size(); p++) {
            List<double[]> a = absolutePoints(before.get(p));
            List<double[]> b = absolutePoints(after.get(p));
            assertEquals(a.size(), b.size(), "path " + p);
            for (int k = 0; k < a.size(); k++) {
                assertEquals(a.get(k)[0], b.get(k)[0], 0.05 + 1e-9, "path " + p + " point " + k);
                assertEquals(a.get(k)[1], b.get(k)[1], 0.05 + 1e-9, "path " + p + " point " + k);
                points++;
            }
        }
        assertTrue(points > 500, points + " points compared");
        assertTrue(compact.length() * 2 < original.length(), compact.length() + " of " + original.length());
    }

    @Test
    void runsOfSameStyledLinesBecomeOnePathAndRepeatedStylesAClass() {
        String lines = """
                <svg width="10px">
                  <line style="stroke:red;stroke-linecap:round;" x1="1" x2="2" y1="1" y2="2"/>
                  <line style="stroke:red;stroke-linecap:round;" x1="2" x2="3" y1="2" y2="1.5"/>
                  <line style="stroke:red;stroke-linecap:round;" x1="5" x2="6" y1="5" y2="6"/>
                  <line style="stroke:blue;" x1="0" x2="1" y1="0" y2="0"/>
                  <rect style="stroke:blue;" x="0"/>
                  <rect style="fill:green;" x="0"/>
                </svg>""";
        assertEquals("""
                <svg width="10px">
                  <path style="stroke:red;stroke-linecap:round;stroke-linejoin:round;" d="M1,1 L2,2 L3,1.5 M5,5 L6,6"/>
                  <path style="stroke:blue;" d="M0,0 L1,0"/>
                  <rect style="stroke:blue;" x="0"/>
                  <rect style="fill:green;" x="0"/>
                </svg>""", SvgCompaction.joinLines(lines));
        String shared = SvgCompaction.sharedStyles(SvgCompaction.joinLines(lines));
        Matcher rule = Pattern.compile("<style>\\.(r[0-9a-f]+-0)\\{stroke:blue;}</style>").matcher(shared);
        assertTrue(rule.find(), shared);
        assertEquals(2, shared.split("class=\"" + rule.group(1) + "\"", -1).length - 1, shared);
        assertTrue(shared.contains("<rect style=\"fill:green;\" x=\"0\"/>"), shared);
    }

    @Test
    void aContourMapKeepsItsSvg() {
        var contour = org.reprolab.plot.ContourPlot.of((x, y) -> (1 - x) * (1 - x) + 100 * (y - x * x) * (y - x * x), -2, 2, -1, 3);
        String svg = Displayers.global().display(contour).get(MimeTypes.SVG);
        assertTrue(svg != null && svg.length() < BuiltinDisplayers.MAX_SVG_CHARS, "contour SVG: " + (svg == null ? "dropped" : svg.length()));
    }

    @Test
    void pathsWithCommandsItDoesNotKnowAreKeptAsTheyWere() {
        assertEquals("M0,0 A5,5 0 0 1 10,10", SvgCompaction.compactPath("M0,0 A5,5 0 0 1 10,10"));
        assertEquals("M1.5 2l-.3.5l2 0z", SvgCompaction.compactPath("M1.5,2 L1.2,2.5 L3.2,2.5 Z"));
    }

    private static List<String> paths(String svg) {
        List<String> ds = new ArrayList<>();
        Matcher m = D.matcher(svg);
        while (m.find()) {
            ds.add(m.group(1));
        }
        return ds;
    }

    /** Every point a path names, in absolute coordinates, read the way an SVG renderer reads M/L/Q/C/Z and m/l/q/c/z. */
    private static List<double[]> absolutePoints(String d) {
        List<String> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(d);
        while (t.find()) {
            tokens.add(t.group());
        }
        List<double[]> points = new ArrayList<>();
        double x = 0, y = 0, sx = 0, sy = 0;
        char command = 'M';
        int i = 0;
        while (i < tokens.size()) {
            if (Character.isLetter(tokens.get(i).charAt(0))) {
                command = tokens.get(i++).charAt(0);
                if (Character.toUpperCase(command) == 'Z') {
                    x = sx;
                    y = sy;
                    continue;
                }
            }
            int pairs = switch (Character.toUpperCase(command)) {
                case 'M', 'L' -> 1;
                case 'Q' -> 2;
                case 'C' -> 3;
                default -> throw new AssertionError("command " + command);
            };
            boolean relative = Character.isLowerCase(command);
            double[] last = null;
            for (int k = 0; k < pairs; k++) {
                double px = Double.parseDouble(tokens.get(i++)) + (relative ? x : 0);
                double py = Double.parseDouble(tokens.get(i++)) + (relative ? y : 0);
                last = new double[] {px, py};
                points.add(last);
            }
            x = last[0];
            y = last[1];
            if (Character.toUpperCase(command) == 'M') {
                sx = x;
                sy = y;
            }
        }
        return points;
    }
}
