package org.reprolab.lab;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.knowm.xchart.BitmapEncoder;
import org.reprolab.plot.Figure;

/**
 * A standalone HTML page of one or more {@link Runs} — each one's headline, summary table and
 * headline-metric figure — and the code that produced them, to attach to a paper review. Standalone:
 * the style is inline and figures are PNG data URIs, so the one file opens anywhere, offline.
 *
 * <p>The code is, by default, the cells the kernel recorded when the last of the runs was built
 * ({@link Runs#code()}); {@link #code(List)} replaces it, e.g. with a script's source outside a notebook.
 * Extra figures of your own ({@code runs.plot("epoch", "test_loss")}) go in with {@link #figure}.
 */
public final class Report {
    private static final String STYLE = """
            body{font-family:system-ui,sans-serif;max-width:72rem;margin:2rem auto;padding:0 1rem;color:#222}
            table.dataframe{border-collapse:collapse;font-size:.9rem;margin:.5rem 0}
            table.dataframe th,table.dataframe td{border:1px solid #ccc;padding:.2rem .5rem;text-align:right}
            table.dataframe tr.dtypes th{color:#777;font-weight:normal}
            pre{background:#f6f8fa;border:1px solid #ddd;padding:.6rem;overflow-x:auto;font-size:.85rem}
            .cell-number{color:#777;font-size:.8rem;margin-top:1rem}
            img{max-width:100%}
            """;

    private final String title;
    private final List<Runs> results;
    private final List<Figure> figures;
    private final List<String> code;

    private Report(String title, List<Runs> results, List<Figure> figures, List<String> code) {
        this.title = title;
        this.results = List.copyOf(results);
        this.figures = List.copyOf(figures);
        this.code = List.copyOf(code);
    }

    /** The report of one result, with its recorded code. */
    public static Report of(Runs runs) {
        return new Report(runs.title(), List.of(runs), List.of(), runs.code());
    }

    /** The report of several results (a notebook's), titled {@code title}, with the code recorded by the last. */
    public static Report of(String title, List<Runs> results) {
        if (title == null || title.isBlank()) throw new IllegalArgumentException("report: the title must not be empty");
        return new Report(title, results, List.of(), results.isEmpty() ? List.of() : results.getLast().code());
    }

    /** The same report titled {@code newTitle}. */
    public Report title(String newTitle) {
        return of(newTitle, results).code(code).withFigures(figures);
    }

    /** The same report with {@code more} results after these; the code becomes the later one's if it has any. */
    public Report add(Runs more) {
        List<Runs> all = new ArrayList<>(results);
        all.add(Objects.requireNonNull(more, "runs"));
        return new Report(title, all, figures, more.code().isEmpty() ? code : more.code());
    }

    /** The same report with an extra figure after the results'. */
    public Report figure(Figure figure) {
        List<Figure> all = new ArrayList<>(figures);
        all.add(Objects.requireNonNull(figure, "figure"));
        return withFigures(all);
    }

    private Report withFigures(List<Figure> all) {
        return new Report(title, results, all, code);
    }

    /** The same report showing {@code cells} (one string per cell or file, in order) as the code. */
    public Report code(List<String> cells) {
        return new Report(title, results, figures, cells);
    }

    /** {@link #code(List)} of the given sources. */
    public Report code(String... cells) {
        return code(List.of(cells));
    }

    /** The code the report shows. */
    public List<String> code() {
        return code;
    }

    /** The page: one HTML document, style inline, figures as data URIs. */
    public String html() {
        StringBuilder html = new StringBuilder("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>")
                .append(Frames.escape(title)).append("</title>\n<style>\n").append(STYLE).append("</style>\n</head>\n<body>\n<h1>")
                .append(Frames.escape(title)).append("</h1>\n");
        for (Runs runs : results) {
            html.append("<section class=\"runs\">\n<h2>").append(Frames.escape("Lab." + runs.pillar() + " on " + runs.title())).append("</h2>\n<p>")
                    .append(Frames.escape(runs.headline())).append("</p>\n").append(Frames.html(runs.table())).append('\n');
            if (runs.runs().stream().anyMatch(r -> r.history().values().stream().anyMatch(h -> h.length > 1))) {
                html.append(image(runs.plot(), runs.title() + ": " + runs.metrics().getFirst().name())).append('\n');
            }
            html.append("</section>\n");
        }
        for (Figure figure : figures) html.append(image(figure, "figure")).append('\n');
        if (!code.isEmpty()) {
            html.append("<section class=\"code\">\n<h2>Code</h2>\n");
            for (int i = 0; i < code.size(); i++) {
                html.append("<div class=\"cell-number\">[").append(i + 1).append("]</div>\n<pre><code>")
                        .append(Frames.escape(code.get(i))).append("</code></pre>\n");
            }
            html.append("</section>\n");
        }
        html.append("<footer><p><small>Made with Reprolab (Java ").append(Runtime.version().feature()).append(").</small></p></footer>\n");
        return html.append("</body>\n</html>\n").toString();
    }

    /** Writes {@link #html()} to {@code path}, creating its folder. */
    public Path save(Path path) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) Files.createDirectories(parent);
        Files.writeString(path, html(), StandardCharsets.UTF_8);
        return path;
    }

    private static String image(Figure figure, String alt) {
        try {
            byte[] png = BitmapEncoder.getBitmapBytes(figure.chart(), BitmapEncoder.BitmapFormat.PNG);
            return "<figure><img alt=\"" + Frames.escape(alt) + "\" src=\"data:image/png;base64," + Base64.getEncoder().encodeToString(png) + "\"/></figure>";
        } catch (IOException e) {
            throw new UncheckedIOException("report: drawing " + alt, e);
        }
    }

    @Override
    public String toString() {
        return "Report \"" + title + "\": " + results.size() + " result" + (results.size() == 1 ? "" : "s") + ", " + figures.size() + " extra figure"
                + (figures.size() == 1 ? "" : "s") + ", " + code.size() + " code cell" + (code.size() == 1 ? "" : "s");
    }
}
