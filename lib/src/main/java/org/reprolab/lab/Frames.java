package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import smile.data.DataFrame;

/**
 * How a Smile {@link DataFrame} reads in a notebook and a report, as pandas' repr does: column names
 * with their types under them, the row count, and for a big frame its first and last rows around an
 * ellipsis row rather than thousands of lines; {@link #page} shows any other slice. One renderer for
 * the kernel's display, {@link Runs#table()} in a report and {@link SmileReport}.
 */
public final class Frames {
    /** Frames up to this many rows show whole (pandas' {@code display.max_rows}). */
    public static final int MAX_ROWS = 60;
    /** Rows shown at each end of a longer frame (half of pandas' {@code display.min_rows}). */
    public static final int END_ROWS = 5;

    private Frames() {}

    /** One page of a frame: rows {@code page * size} up to {@code (page + 1) * size}, displayed with where they sit. */
    public record Page(DataFrame frame, int page, int size) {
        public Page {
            if (size < 1) throw new IllegalArgumentException("page: size must be >= 1, got " + size);
            int pages = Math.max(1, (frame.nrow() + size - 1) / size);
            if (page < 0 || page >= pages) throw new IllegalArgumentException("page " + page + " is outside 0.." + (pages - 1) + " (" + frame.nrow() + " rows, " + size + " a page)");
        }

        int from() {
            return page * size;
        }

        int to() {
            return Math.min(frame.nrow(), from() + size);
        }

        public String html() {
            return Frames.html(frame, range(from(), to()), "rows " + from() + "–" + (to() - 1) + " of " + frame.nrow() + " (page " + (page + 1) + " of "
                    + Math.max(1, (frame.nrow() + size - 1) / size) + ") × " + frame.ncol() + " columns");
        }

        @Override
        public String toString() {
            return Frames.text(frame, range(from(), to())) + "rows " + from() + "–" + (to() - 1) + " of " + frame.nrow() + "\n";
        }
    }

    /** Page {@code page} (from 0) of {@code size} rows: {@code Frames.page(df, 3, 20)}. */
    public static Page page(DataFrame frame, int page, int size) {
        return new Page(frame, page, size);
    }

    /** The frame as an HTML table: names and types in the header, first and last rows of a big frame, the shape below. */
    public static String html(DataFrame frame) {
        return html(frame, shown(frame), frame.nrow() + " rows × " + frame.ncol() + " columns");
    }

    /** The frame as fixed-width text in the same form, the shape on the last line. */
    public static String text(DataFrame frame) {
        return text(frame, shown(frame)) + "[" + frame.nrow() + " rows × " + frame.ncol() + " columns]\n";
    }

    /** Row indices to show, −1 for the ellipsis row. */
    static List<Integer> shown(DataFrame frame) {
        int n = frame.nrow();
        if (n <= MAX_ROWS) return range(0, n);
        List<Integer> rows = new ArrayList<>(range(0, END_ROWS));
        rows.add(-1);
        rows.addAll(range(n - END_ROWS, n));
        return rows;
    }

    private static List<Integer> range(int from, int to) {
        List<Integer> rows = new ArrayList<>();
        for (int i = from; i < to; i++) rows.add(i);
        return rows;
    }

    private static String html(DataFrame frame, List<Integer> rows, String caption) {
        String[] names = frame.names();
        StringBuilder html = new StringBuilder("<table class=\"dataframe\">\n<thead><tr><th></th>");
        for (String name : names) html.append("<th>").append(escape(name)).append("</th>");
        html.append("</tr>\n<tr class=\"dtypes\"><th></th>");
        for (int j = 0; j < names.length; j++) html.append("<th><small>").append(escape(dtype(frame, j))).append("</small></th>");
        html.append("</tr></thead>\n<tbody>\n");
        for (int i : rows) {
            html.append("<tr><th>").append(i < 0 ? "…" : i).append("</th>");
            for (int j = 0; j < names.length; j++) html.append("<td>").append(i < 0 ? "…" : escape(cell(frame, i, j))).append("</td>");
            html.append("</tr>\n");
        }
        return html.append("</tbody>\n</table>\n<p>").append(escape(caption)).append("</p>").toString();
    }

    private static String text(DataFrame frame, List<Integer> rows) {
        int columns = frame.ncol() + 1;
        List<String[]> lines = new ArrayList<>();
        String[] header = new String[columns], types = new String[columns];
        header[0] = types[0] = "";
        for (int j = 0; j < frame.ncol(); j++) {
            header[j + 1] = frame.names()[j];
            types[j + 1] = dtype(frame, j);
        }
        lines.add(header);
        lines.add(types);
        for (int i : rows) {
            String[] line = new String[columns];
            line[0] = i < 0 ? "..." : Integer.toString(i);
            for (int j = 0; j < frame.ncol(); j++) line[j + 1] = i < 0 ? "..." : cell(frame, i, j);
            lines.add(line);
        }
        int[] width = new int[columns];
        for (String[] line : lines) for (int j = 0; j < columns; j++) width[j] = Math.max(width[j], line[j].length());
        StringBuilder out = new StringBuilder();
        for (String[] line : lines) {
            for (int j = 0; j < columns; j++) {
                out.append(" ".repeat(width[j] - line[j].length())).append(line[j]).append(j + 1 < columns ? "  " : "\n");
            }
        }
        return out.toString();
    }

    /** The column's Smile type in pandas' words where they have one: int, double, String, ... */
    static String dtype(DataFrame frame, int column) {
        return frame.schema().field(column).dtype().name();
    }

    private static String cell(DataFrame frame, int row, int column) {
        Object value = frame.get(row, column);
        return value instanceof Double || value instanceof Float ? Format.number(((Number) value).doubleValue()) : String.valueOf(value);
    }

    static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
