package org.reprolab.kernel.display;

import java.util.ArrayList;
import java.util.LinkedHashMap;
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
 * is how SVG optimisers such as svgo shrink paths; other numbers keep two decimals. Rounding
 * absolute positions first and taking differences of rounded values keeps the error of every
 * point under 0.05 px (no drift along a path). Contour maps add thousands of one-segment
 * {@code <line>}s, each with its own copy of a long style: runs of them become one path, and
 * repeated styles become classes. Measured: XChart's default three-point line chart from
 * 104 kB to under 30 kB, our {@code LinePlot} from 25 kB to 11 kB, a Rosenbrock
 * {@code ContourPlot} from 1.8 MB to under 400 kB.
 */
final class SvgCompaction {

    /** Points a path coordinate is rounded to, per pixel. */
    static final int STEPS_PER_PIXEL = 10;

    private static final Pattern LONG_DECIMAL = Pattern.compile("(?<![\\w.])-?\\d+\\.\\d{3,}(?![\\w.])");
    private static final Pattern LINE = Pattern.compile(
            "<line style=\"([^\"]*)\" x1=\"([-\\d.Ee]+)\" x2=\"([-\\d.Ee]+)\" y1=\"([-\\d.Ee]+)\" y2=\"([-\\d.Ee]+)\"/>");
    private static final Pattern STYLE = Pattern.compile("style=\"([^\"]*)\"");
    private static final Pattern PATH_DATA = Pattern.compile(" d=\"([^\"]*)\"");
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z]|-?(?:\\d+\\.?\\d*|\\.\\d+)(?:[eE][-+]?\\d+)?");
    /** How many coordinates (x and y counted apart) each absolute command takes. */
    private static final Map<Character, Integer> ARITY = Map.of('M', 2, 'L', 2, 'Q', 4, 'C', 6, 'Z', 0);

    private SvgCompaction() {}

    /**
     * The SVG made small: runs of same-styled {@code <line>}s joined into paths, every {@code d}
     * attribute compacted (a path it cannot read is kept as it was), long decimals cut, and
     * repeated styles shared as classes.
     */
    static String compact(String svg) {
        return sharedStyles(roundLongDecimals(compactPaths(joinLines(svg))));
    }

    /**
     * Consecutive {@code <line>} elements of one style as one path, a segment that starts where
     * the last ended continuing it: contour maps draw thousands of marching-squares segments
     * this way. Separate segments with round caps meet in round joins, so the path gets them too.
     */
    static String joinLines(String svg) {
        Matcher m = LINE.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length());
        int copied = 0;
        while (m.find(copied)) {
            String style = m.group(1);
            StringBuilder d = new StringBuilder();
            int end = m.start();
            String lastX = null;
            String lastY = null;
            Matcher run = LINE.matcher(svg);
            int at = m.start();
            while (run.find(at) && run.start() == at && run.group(1).equals(style)) {
                if (!(run.group(2).equals(lastX) && run.group(4).equals(lastY))) {
                    d.append('M').append(run.group(2)).append(',').append(run.group(4)).append(' ');
                }
                d.append('L').append(run.group(3)).append(',').append(run.group(5)).append(' ');
                lastX = run.group(3);
                lastY = run.group(5);
                end = run.end();
                at = end;
                while (at < svg.length() && Character.isWhitespace(svg.charAt(at))) {
                    at++;
                }
            }
            out.append(svg, copied, m.start());
            String joinedStyle = style.contains("stroke-linecap:round") && !style.contains("stroke-linejoin") ? style + "stroke-linejoin:round;" : style;
            out.append("<path style=\"").append(joinedStyle).append("\" d=\"").append(d.toString().strip()).append("\"/>");
            copied = end;
        }
        return out.append(svg, copied, svg.length()).toString();
    }

    /**
     * Styles used more than once become classes in a {@code <style>} element. A notebook page
     * inlines every figure's SVG into one document, where CSS rules are global: class names carry
     * a hash of all the figure's rules, so two figures share a name only if they share its rule.
     */
    static String sharedStyles(String svg) {
        Map<String, Integer> counts = new LinkedHashMap<>();
        Matcher m = STYLE.matcher(svg);
        while (m.find()) {
            counts.merge(m.group(1), 1, Integer::sum);
        }
        List<String> shared = counts.entrySet().stream().filter(e -> e.getValue() > 1).map(Map.Entry::getKey).toList();
        int open = svg.indexOf('>', Math.max(0, svg.indexOf("<svg")));
        if (shared.isEmpty() || open < 0) {
            return svg;
        }
        String prefix = "r" + Integer.toHexString(String.join("|", shared).hashCode() & 0x7fffffff) + "-";
        Map<String, String> classes = new LinkedHashMap<>();
        StringBuilder rules = new StringBuilder("<style>");
        for (String style : shared) {
            String name = prefix + classes.size();
            classes.put(style, name);
            // an attribute's &quot; is a plain quote in a style sheet
            rules.append('.').append(name).append('{').append(style.replace("&quot;", "'")).append('}');
        }
        rules.append("</style>");
        StringBuilder out = new StringBuilder(svg.length());
        m = STYLE.matcher(svg);
        while (m.find()) {
            String name = classes.get(m.group(1));
            m.appendReplacement(out, Matcher.quoteReplacement(name == null ? m.group() : "class=\"" + name + "\""));
        }
        m.appendTail(out);
        return out.insert(open + 1, "\n" + rules).toString();
    }

    private static String compactPaths(String svg) {
        Matcher m = PATH_DATA.matcher(svg);
        StringBuilder out = new StringBuilder(svg.length() / 3);
        while (m.find()) {
            m.appendReplacement(out, Matcher.quoteReplacement(" d=\"" + compactPath(m.group(1)) + "\""));
        }
        m.appendTail(out);
        return out.toString();
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
