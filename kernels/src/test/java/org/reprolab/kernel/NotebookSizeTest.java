package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps the notebooks short: they are meant to read like the paper's experiment in a few {@code Lab}
 * cells, so the experiment scaffolding (loops over methods, result records, timing, plot series)
 * belongs in the library, not in each notebook (issue 12). A line of code is a non-blank line of a
 * code cell that is not only a {@code //} comment; {@link #codeLines} is the one definition.
 */
class NotebookSizeTest {

    /** Issue 12 set 700 lines for the eighteen notebooks of the first wave together. */
    private static final int TOTAL_LIMIT = 700;

    private static final Set<String> FIRST_WAVE = Set.of("rosenbrock-descent", "optimizers-nonconvex", "lion-bound",
            "optimizers-digits", "neural-ode-regularization", "ode-work-precision", "adamp-scale-invariance", "neural-sde",
            "diffusion-samplers", "diffusion-training", "diffusion-guidance", "diffusion-momentum", "diffusion-digits",
            "implicit-ridge", "sinkhorn-newton-sparse", "deq-vs-node", "dataset-distillation", "bilevel-hypercleaning");

    /** Any one notebook: a paper's experiment in a few Lab cells (the longest of the first wave is under 60). */
    private static final int NOTEBOOK_LIMIT = 60;

    /** The code lines of one notebook, by the rule in the class comment. */
    static int codeLines(String notebookJson) {
        JsonObject nb = JsonParser.parseString(notebookJson).getAsJsonObject();
        int lines = 0;
        for (JsonElement cell : nb.getAsJsonArray("cells")) {
            JsonObject c = cell.getAsJsonObject();
            if (!"code".equals(c.get("cell_type").getAsString())) continue;
            JsonElement source = c.get("source");
            StringBuilder text = new StringBuilder();
            if (source.isJsonArray()) source.getAsJsonArray().forEach(e -> text.append(e.getAsString()));
            else text.append(source.getAsString());
            for (String line : text.toString().split("\n", -1)) {
                String t = line.strip();
                if (!t.isEmpty() && !t.startsWith("//")) lines++;
            }
        }
        return lines;
    }

    static Map<String, Integer> countAll() throws IOException {
        Map<String, Integer> counts = new TreeMap<>();
        try (Stream<Path> files = Files.list(Python.projectRoot().resolve("notebooks"))) {
            for (Path p : files.filter(f -> f.toString().endsWith(".ipynb")).toList()) {
                String name = p.getFileName().toString();
                counts.put(name.substring(0, name.length() - ".ipynb".length()), codeLines(Files.readString(p)));
            }
        }
        return counts;
    }

    @Test
    void theRuleCountsCodeNotCommentsOrBlankLines() {
        String nb = """
                {"cells": [
                  {"cell_type": "markdown", "source": ["# title\\n", "text"]},
                  {"cell_type": "code", "source": ["var runs = Lab.optimize(p)\\n", "\\n", "  // a comment\\n", "    .run();"]},
                  {"cell_type": "code", "source": "runs"}
                ]}""";
        assertEquals(3, codeLines(nb));
    }

    @Test
    void notebooksStayWithinTheLineBudget() throws IOException {
        Map<String, Integer> counts = countAll();
        int total = FIRST_WAVE.stream().mapToInt(n -> counts.getOrDefault(n, 0)).sum();
        StringBuilder report = new StringBuilder("code lines per notebook:\n");
        counts.forEach((name, n) -> report.append(String.format("  %4d  %s%n", n, name)));
        report.append(String.format("  %4d  the first wave's %d together (limit %d); any one notebook at most %d%n",
                total, FIRST_WAVE.size(), TOTAL_LIMIT, NOTEBOOK_LIMIT));
        System.out.print(report);
        assertTrue(counts.keySet().containsAll(FIRST_WAVE), "expected the first wave's notebooks, found " + List.copyOf(counts.keySet()));
        assertTrue(total <= TOTAL_LIMIT, report.toString());
        counts.forEach((name, n) -> assertTrue(n <= NOTEBOOK_LIMIT, name + " has " + n + " lines of code\n" + report));
    }
}
