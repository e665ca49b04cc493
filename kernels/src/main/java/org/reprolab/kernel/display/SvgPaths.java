package org.reprolab.kernel.display;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Makes XChart's SVG small enough to keep. XChart draws every piece of text (tick labels,
 * titles, legends) as the outline of its glyphs, and VectorGraphics2D writes each outline point
 * as two absolute doubles ({@code Q16.236328125,-5.8125 16.486328125,-5.84375}): a three-point
 * line plot came to about 100 kB, 93% of it glyph path data, and past the old 400 kB cut every
 * figure reached the browser as PNG only. Here each path is rewritten with coordinates rounded
 * to a tenth of a pixel and written relative to the previous point ({@code q.2-.1.5-.1}), which
 * is how SVG optimisers such as svgo shrink paths; other numbers keep two decimals. XChart's
 * default three-point line chart goes from about 104 kB to under 30 kB, our {@code LinePlot}
 * from 25 kB to 11 kB.
 * Rounding absolute positions first and taking differences of rounded values keeps the error
 * of every point under 0.05 px (no drift along a path).
 */
final class SvgPaths {

    /** Points a path coordinate is rounded to, per pixel. */
    static final int STEPS_PER_PIXEL = 10;

    private static final Pattern LONG_DECIMAL = Pattern.compile("(?<![\\w.])-?\\d+\\.\\d{3,}(?![\\w.])");
    private static final Pattern PATH_DATA = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]|-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
    /** How many coordinates (x and y counted apart) each absolute command takes. */
    private static final Map<Character, Integer> ARITY = Map.of('M', 2, 'L', 2, 'Q', 4, 'C', 6, 'Z', 0);

    private SvgPaths() {}

    /** The SVG with every {@code d} attribute compacted; a path it cannot read is kept as it was. */
    static String compact(String svg) {
        Matcher m = PATH_DATA.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length() / 3);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(" d=\"" + compactPath(m.group(1)) + "\""));
        }
        m.appendTail(out);
        return roundLongDecimals(out.toString());
    }

    /** Other numbers ({@code translate(10 266.79984375000004)}, {@code x1="51.94499999999999"}) to two decimals. */
    private static String roundLongDecimals(String svg) {
        Matcher m = LONG_DECIMAL.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length());
        while (m.find()) {
            String rounded = java.math.BigDecimal.valueOf(Double.parseDouble(m.group()))
                    .setScale(2, java.math.RoundingMode.HALF_UP).stripTrailingZeros().toPlainString();
            m.appendReplacement(out, rounded);
        }
        return m.appendTail(out).toString();
    }

    /** One path's data in relative commands with tenth-of-a-pixel coordinates, or the input if it uses other commands. */
    static String compactPath(String d) {
        List<String> tokens = new ArrayList<>();
        Matcher t = TOKEN.matcher(d);
        while (t.find()) {
            tokens.add(t.group());
        }
        StringBuilder out = new StringBuilder(d.length() / 3);
        long x = 0, y = 0, startX = 0, startY = 0;
        int i = 0;
        while (i < tokens.size()) {
            String command = tokens.get(i++);
            Integer arity = command.length() == 1 ? ARITY.get(command.charAt(0)) : null;
            if (arity == null || i + arity > tokens.size()) {
                return d;
            }
            char c = command.charAt(0);
            if (c == 'Z') {
                out.append('z');
                x = startX;
                y = startY;
                continue;
            }
            long[] points = new long[arity];
            for (int k = 0; k < arity; k++) {
                String number = tokens.get(i + k);
                if (Character.isLetter(number.charAt(0))) {
                    return d;
                }
                points[k] = Math.round(Double.parseDouble(number) * STEPS_PER_PIXEL);
            }
            i += arity;
            boolean first = out.isEmpty();
            out.append(first ? 'M' : Character.toLowerCase(c));
            for (int k = 0; k < arity; k += 2) {
                appendNumber(out, first ? points[k] : points[k] - x);
                appendNumber(out, first ? points[k + 1] : points[k + 1] - y);
            }
            x = points[arity - 2];
            y = points[arity - 1];
            if (c == 'M') {
                startX = x;
                startY = y;
            }
        }
        return out.toString();
    }

    /** {@code steps} tenths of a pixel, shortest form: 15 → 1.5, -3 → -.3, 20 → 2; a separator only where the sign does not make one. */
    private static void appendNumber(StringBuilder out, long steps) {
        long whole = Math.abs(steps) / STEPS_PER_PIXEL;
        long tenth = Math.abs(steps) % STEPS_PER_PIXEL;
        String text = (whole == 0 && tenth != 0 ? "" : Long.toString(whole)) + (tenth == 0 ? "" : "." + tenth);
        char last = out.charAt(out.length() - 1);
        if (steps < 0) {
            out.append('-');
        } else if (!Character.isLetter(last) && !(text.startsWith(".") && lastNumberHasPoint(out))) {
            out.append(' ');
        }
        out.append(text);
    }

    /** Whether the number the output ends with has a decimal point, so that a following {@code .5} starts a new number. */
    private static boolean lastNumberHasPoint(StringBuilder out) {
        for (int k = out.length() - 1; k >= 0; k--) {
            char ch = out.charAt(k);
            if (ch == '.') {
                return true;
            }
            if (!Character.isDigit(ch)) {
                return false;
            }
        }
        return false;
    }
}
