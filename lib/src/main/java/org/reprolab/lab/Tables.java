package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import smile.data.DataFrame;
import smile.data.vector.ValueVector;

/**
 * The summary table of {@link Runs} in its two forms, a Smile frame and fixed-width text, built from
 * one list of columns so they never disagree. Columns: method, the swept values, seeds, status, then
 * per metric its final value (mean), the 95% half-width when seeds > 1, and its best value; then the
 * per-run scalars and the wall time in milliseconds.
 */
final class Tables {
    private Tables() {}

    /** A named column: its values per row as numbers (NaN for none) or, when text, as strings. */
    private record Column(String name, double[] numbers, String[] texts) {}

    static DataFrame of(Runs runs, List<Row> rows) {
        List<ValueVector> vectors = new ArrayList<>();
        for (Column c : columns(runs, rows)) {
            vectors.add(c.texts() != null ? ValueVector.of(c.name(), c.texts()) : ValueVector.of(c.name(), c.numbers()));
        }
        return new DataFrame(vectors.toArray(ValueVector[]::new));
    }

    static String text(Runs runs, List<Row> rows) {
        List<Column> cols = columns(runs, rows);
        List<String[]> cells = new ArrayList<>();
        for (Column c : cols) {
            String[] s = new String[rows.size()];
            for (int i = 0; i < s.length; i++) s[i] = c.texts() != null ? c.texts()[i] : Format.number(c.numbers()[i]);
            cells.add(s);
        }
        StringBuilder out = new StringBuilder();
        int[] width = new int[cols.size()];
        for (int j = 0; j < cols.size(); j++) {
            width[j] = cols.get(j).name().length();
            for (String s : cells.get(j)) width[j] = Math.max(width[j], s.length());
        }
        for (int j = 0; j < cols.size(); j++) out.append(pad(cols.get(j).name(), width[j], j == 0)).append(j + 1 < cols.size() ? "  " : "\n");
        for (int i = 0; i < rows.size(); i++) {
            for (int j = 0; j < cols.size(); j++) {
                out.append(pad(cells.get(j)[i], width[j], j == 0 || cols.get(j).texts() != null)).append(j + 1 < cols.size() ? "  " : "\n");
            }
        }
        return out.toString();
    }

    private static String pad(String s, int width, boolean left) {
        String space = " ".repeat(width - s.length());
        return left ? s + space : space + s;
    }

    private static List<Column> columns(Runs runs, List<Row> rows) {
        List<Column> cols = new ArrayList<>();
        cols.add(texts("method", rows, Row::method));
        for (String h : runs.swept()) {
            boolean numeric = rows.stream().allMatch(r -> r.point().get(h) instanceof Number);
            cols.add(numeric ? numbers(h, rows, r -> ((Number) r.point().get(h)).doubleValue())
                    : texts(h, rows, r -> Format.value(r.point().get(h))));
        }
        cols.add(numbers("seeds", rows, r -> r.seeds()));
        cols.add(texts("status", rows, Row::status));
        boolean seeded = rows.stream().anyMatch(r -> r.seeds() > 1);
        for (Metric m : runs.metrics()) {
            if (rows.stream().noneMatch(r -> r.finals().containsKey(m.name()))) continue;
            cols.add(numbers(m.name(), rows, r -> estimate(r.finals(), m.name()).mean()));
            if (seeded) cols.add(numbers(m.name() + "_ci95", rows, r -> estimate(r.finals(), m.name()).halfWidth()));
            cols.add(numbers("best_" + m.name(), rows, r -> estimate(r.bests(), m.name()).mean()));
        }
        Set<String> scalars = new LinkedHashSet<>();
        rows.forEach(r -> scalars.addAll(r.scalars().keySet()));
        for (String s : scalars) cols.add(numbers(s, rows, r -> estimate(r.scalars(), s).mean()));
        cols.add(numbers("wall_ms", rows, r -> r.wallMillis().mean()));
        return cols;
    }

    private static Estimate estimate(Map<String, Estimate> m, String key) {
        return m.getOrDefault(key, new Estimate(Double.NaN, Double.NaN, 0));
    }

    private static Column numbers(String name, List<Row> rows, java.util.function.ToDoubleFunction<Row> f) {
        return new Column(name, rows.stream().mapToDouble(f).toArray(), null);
    }

    private static Column texts(String name, List<Row> rows, Function<Row, String> f) {
        return new Column(name, null, rows.stream().map(f).toArray(String[]::new));
    }
}
