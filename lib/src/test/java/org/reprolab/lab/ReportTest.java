package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.sgd;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprolab.problems.Problems;
import smile.data.DataFrame;
import smile.data.vector.ValueVector;

/** The standalone HTML report of a Runs value: its table values, a figure that decodes, the code that made it. */
class ReportTest {

    @AfterEach
    void uninstall() {
        Provenance.clear();
    }

    static Runs optimize() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(adam(1e-2), sgd(1e-3)).steps(50).progress(Progress.none()).run();
    }

    @Test
    void theReportHoldsTheTableTheFigureAndTheCellsThatRanIt(@TempDir Path dir) throws Exception {
        List<String> cells = new ArrayList<>(List.of("import org.reprolab.lab.*;", "var runs = Lab.optimize(f).run(); // a < b && c"));
        List<Runs> seen = new ArrayList<>();
        Provenance.install(() -> cells, seen::add);
        Runs runs = optimize();
        cells.add("runs.plot()");   // a later cell is not part of what built the runs
        assertEquals(List.of(runs), seen);
        assertEquals(2, runs.code().size());

        String html = runs.html();
        assertTrue(html.startsWith("<!DOCTYPE html>"), html.substring(0, 40));
        for (Row row : runs.rows()) {
            assertTrue(html.contains("<td>" + row.label() + "</td>"), row.label());
            assertTrue(html.contains("<td>" + Format.number(row.last("loss").mean()) + "</td>"), "final loss of " + row.label());
        }
        assertTrue(html.contains(runs.headline()));
        assertTrue(html.contains("var runs = Lab.optimize(f).run(); // a &lt; b &amp;&amp; c"), "the code, escaped");
        assertFalse(html.contains("runs.plot()"));
        assertFalse(html.contains("src=\"http") || html.contains("href=\"http"), "standalone: no external resources");

        Matcher png = Pattern.compile("src=\"data:image/png;base64,([A-Za-z0-9+/=]+)\"").matcher(html);
        assertTrue(png.find(), "an embedded figure");
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(Base64.getDecoder().decode(png.group(1))));
        assertEquals(runs.plot().chart().getWidth(), image.getWidth());
        assertEquals(runs.plot().chart().getHeight(), image.getHeight());

        Path saved = runs.saveReport(dir.resolve("reports/rosenbrock.html"));
        assertEquals(html.replaceAll("data:image/png;base64,[^\"]+", ""), Files.readString(saved).replaceAll("data:image/png;base64,[^\"]+", ""));
        String explicit = runs.report().code("double x = 1;").title("Review").html();
        assertTrue(explicit.contains("<title>Review</title>") && explicit.contains("double x = 1;") && !explicit.contains("Lab.optimize(f)"));
    }

    @Test
    void aNotebookReportHoldsEveryResultInOrder() {
        Runs first = optimize();
        Runs second = Lab.optimize(Problems.beale()).from(1, 1).compare(adam(1e-2)).steps(20).progress(Progress.none()).run();
        String html = Report.of("notebook", List.of(first, second)).html();
        int a = html.indexOf("Lab.optimize on " + first.title()), b = html.indexOf("Lab.optimize on " + second.title());
        assertTrue(a > 0 && b > a, "both results, in order");
        assertEquals(2, html.split("data:image/png;base64,").length - 1, "one figure each");
        assertFalse(html.contains("<h2>Code</h2>"), "outside a kernel no code was recorded");
    }

    @Test
    void aBigFrameShowsItsFirstAndLastRowsAndItsTypes() {
        int n = 1000;
        double[] x = new double[n];
        int[] k = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = i * 0.5;
            k[i] = i;
        }
        DataFrame frame = new DataFrame(ValueVector.of("x", x), ValueVector.of("k", k));
        String html = Frames.html(frame);
        assertTrue(html.contains("<th><small>double</small></th><th><small>int</small></th>"), html);
        assertTrue(html.contains("<tr><th>4</th><td>2</td><td>4</td></tr>"), html);
        assertTrue(html.contains("<tr><th>…</th>"), html);
        assertTrue(html.contains("<tr><th>999</th><td>499.5</td><td>999</td></tr>"), html);
        assertFalse(html.contains("<tr><th>5</th>"), html);
        assertTrue(html.contains("1000 rows × 2 columns"));
        String text = Frames.text(frame);
        assertEquals(2 + 11 + 1, text.split("\n").length, text);
        assertTrue(text.contains("\n999   499.5  999\n") && text.contains("\n...     ...  ...\n"), text);
        String page = Frames.page(frame, 2, 10).html();
        assertTrue(page.contains("<tr><th>20</th><td>10</td><td>20</td></tr>") && page.contains("<tr><th>29</th>") && !page.contains("<tr><th>30</th>"), page);
        assertTrue(page.contains("rows 20–29 of 1000 (page 3 of 100)"), page);
    }
}
