package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code docs/papers.md}, the index of the seed papers, in step with the repository: every
 * report and notebook is listed, every link resolves (a {@code Class.method} link names a method that
 * is there), each status is one of the five and fits its links, the counts at the top are the rows'
 * counts, and there is one row per paper of {@code ../shared/papers/abstracts.md}, in its groups and
 * order.
 */
class PapersIndexTest {

    /** The statuses in the order of the counts table's columns. */
    static final List<String> STATUSES = List.of("reproduced in magnitude", "reproduced in direction",
            "implemented without a notebook", "not yet", "not feasible here");

    private static final Pattern LINK = Pattern.compile("\\[([^\\]]+)\\]\\(([^)\\s]+)\\)");
    private static final Pattern METHOD_LINK = Pattern.compile("(\\w+)\\.(\\w+)");

    /** One link of the page: its text and the file it points to. */
    record Link(String text, Path target) {}

    /** One paper row: group, title, status, what follows the status, and the links of each column. */
    record Row(String group, String title, String status, String note, List<Link> code, List<Link> tests,
            List<Link> notebooks, List<Link> reports) {

        String where() {
            return "papers.md, " + group + ", \"" + title + "\"";
        }
    }

    /** The parsed page: the counts table (group to counts per status, then the paper total) and the rows. */
    record Page(Map<String, List<Integer>> counts, List<Row> rows, List<Link> links) {

        static Page read(Path docs) throws IOException {
            List<String> lines = Files.readAllLines(docs.resolve("papers.md"));
            Map<String, List<Integer>> counts = new LinkedHashMap<>();
            List<Row> rows = new ArrayList<>();
            String section = "";
            for (String line : lines) {
                if (line.startsWith("## ")) {
                    section = line.substring(3).strip();
                } else if (line.startsWith("|") && !line.startsWith("| ---")) {
                    List<String> cells = cells(line);
                    if (section.equals("Counts") && !cells.getFirst().equals("group")) {
                        counts.put(cells.getFirst(), cells.subList(1, cells.size()).stream().map(Integer::valueOf).toList());
                    } else if (counts.containsKey(section) && !cells.getFirst().equals("paper")) {
                        rows.add(row(section, cells, docs));
                    }
                }
            }
            return new Page(counts, rows, links(String.join("\n", lines), docs));
        }

        private static List<String> cells(String line) {
            String inner = line.strip();
            inner = inner.substring(1, inner.endsWith("|") ? inner.length() - 1 : inner.length());
            return Arrays.stream(inner.split("\\|", -1)).map(String::strip).toList();
        }

        private static Row row(String group, List<String> cells, Path docs) {
            if (cells.size() != 6) {
                fail("papers.md, " + group + ": a paper row needs 6 cells (paper, status, code, test, notebook, report), got "
                        + cells.size() + ": " + cells);
            }
            String statusCell = cells.get(1);
            String status = STATUSES.stream().filter(s -> statusCell.equals(s) || statusCell.startsWith(s + " — "))
                    .findFirst().orElseThrow(() -> new AssertionError("papers.md, " + group + ", \"" + cells.getFirst()
                            + "\": the status must start with one of " + STATUSES + ", got \"" + statusCell + "\""));
            String note = statusCell.substring(status.length()).replaceFirst("^ — ", "").strip();
            return new Row(group, cells.getFirst(), status, note, links(cells.get(2), docs), links(cells.get(3), docs),
                    links(cells.get(4), docs), links(cells.get(5), docs));
        }

        private static List<Link> links(String text, Path docs) {
            List<Link> links = new ArrayList<>();
            Matcher m = LINK.matcher(text);
            while (m.find()) {
                String target = m.group(2);
                if (!target.startsWith("http://") && !target.startsWith("https://")) {
                    links.add(new Link(m.group(1), docs.resolve(target.replaceFirst("#.*$", "")).normalize()));
                }
            }
            return links;
        }

        Set<Path> targets() {
            return links.stream().map(Link::target).collect(Collectors.toSet());
        }
    }

    private static Path docs() {
        return Python.projectRoot().resolve("docs");
    }

    @Test
    void everyLinkResolvesAndEveryMethodLinkNamesAMethodThatIsThere() throws IOException {
        Page page = Page.read(docs());
        assertTrue(page.links().size() > 50, "papers.md has only " + page.links().size() + " links: not parsed?");
        for (Link link : page.links()) {
            assertTrue(Files.exists(link.target()), "papers.md links \"" + link.text() + "\" to a missing file: " + link.target());
            Matcher m = METHOD_LINK.matcher(link.text());
            if (m.matches() && link.target().getFileName().toString().equals(m.group(1) + ".java")) {
                assertTrue(Files.readString(link.target()).contains("void " + m.group(2) + "("),
                        "papers.md links \"" + link.text() + "\" but " + link.target() + " has no method " + m.group(2));
            }
        }
    }

    @Test
    void everyReportAndEveryNotebookIsLinked() throws IOException {
        Set<Path> linked = Page.read(docs()).targets();
        Path root = Python.projectRoot();
        for (Path dir : List.of(root.resolve("docs/reproductions"), root.resolve("notebooks"))) {
            try (Stream<Path> files = Files.list(dir)) {
                Set<String> missing = files.filter(p -> p.toString().endsWith(".md") || p.toString().endsWith(".ipynb"))
                        .filter(p -> !linked.contains(p.normalize())).map(p -> p.getFileName().toString())
                        .collect(Collectors.toCollection(TreeSet::new));
                assertEquals(Set.of(), missing, "not linked from docs/papers.md (add them to their paper's row, or to the"
                        + " section of notebooks beyond the seed papers)");
            }
        }
    }

    @Test
    void eachColumnLinksItsKindOfFileAndEachStatusFitsItsLinks() throws IOException {
        Path root = Python.projectRoot();
        for (Row row : Page.read(docs()).rows()) {
            row.code().forEach(l -> assertTrue(l.target().startsWith(root.resolve("lib/src/main")), row.where() + ": code " + l));
            row.tests().forEach(l -> assertTrue(l.target().toString().contains("/src/test/"), row.where() + ": test " + l));
            row.notebooks().forEach(l -> assertTrue(l.target().startsWith(root.resolve("notebooks"))
                    && l.target().toString().endsWith(".ipynb"), row.where() + ": notebook " + l));
            row.reports().forEach(l -> assertTrue(l.target().startsWith(root.resolve("docs/reproductions")), row.where() + ": report " + l));
            switch (row.status()) {
                case "reproduced in magnitude", "reproduced in direction" -> assertTrue(
                        !row.code().isEmpty() && !row.notebooks().isEmpty() && !row.reports().isEmpty(),
                        row.where() + ": a reproduced paper links its code, notebook and report");
                case "implemented without a notebook" -> assertTrue(!row.code().isEmpty() && !row.tests().isEmpty(),
                        row.where() + ": an implemented paper links its code and test");
                case "not feasible here" -> assertTrue(!row.note().isEmpty() && row.code().isEmpty(),
                        row.where() + ": \"not feasible here\" says why after \" — \" and has no code");
                default -> assertTrue(row.code().isEmpty(), row.where() + ": \"not yet\" but it links code");
            }
        }
    }

    @Test
    void theCountsAtTheTopAreTheRowsCounts() throws IOException {
        Page page = Page.read(docs());
        int[] all = new int[STATUSES.size()];
        for (var entry : page.counts().entrySet()) {
            if (entry.getKey().equals("all")) {
                continue;
            }
            List<Row> rows = page.rows().stream().filter(r -> r.group().equals(entry.getKey())).toList();
            List<Integer> counted = new ArrayList<>();
            for (int s = 0; s < STATUSES.size(); s++) {
                String status = STATUSES.get(s);
                counted.add((int) rows.stream().filter(r -> r.status().equals(status)).count());
                all[s] += counted.get(s);
            }
            counted.add(rows.size());
            assertEquals(counted, entry.getValue(), "papers.md: the counts of \"" + entry.getKey() + "\" (statuses "
                    + STATUSES + ", then papers) are not those of its rows");
        }
        List<Integer> total = new ArrayList<>(Arrays.stream(all).boxed().toList());
        total.add(page.rows().size());
        assertEquals(total, page.counts().get("all"), "papers.md: the counts of \"all\" are not the rows' totals");
    }

    @Test
    void onePaperRowPerPaperOfTheAbstractsInTheirGroupsAndOrder() throws IOException {
        String shared = System.getenv("REPROLAB_SHARED");
        Path abstracts = (shared != null && !shared.isBlank() ? Path.of(shared) : Python.projectRoot().resolve("../shared"))
                .resolve("papers/abstracts.md").normalize();
        assumeTrue(Files.exists(abstracts), "skipped: " + abstracts + " is absent (shared/ sits beside the clone in CI;"
                + " REPROLAB_SHARED names another place), so the rows cannot be counted against the papers");
        Map<String, List<String>> papers = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(abstracts);
        for (String line : lines.subList(1, lines.size())) {   // the first line is the file's own title
            if (line.startsWith("# ")) {
                papers.put(line.substring(2).strip(), new ArrayList<>());
            } else if (line.startsWith("## ")) {
                papers.values().stream().reduce((a, b) -> b).orElseThrow().add(line.substring(3).strip());
            }
        }
        Page page = Page.read(docs());
        List<String> groups = page.counts().keySet().stream().filter(g -> !g.equals("all")).toList();
        assertEquals(List.copyOf(papers.keySet()), groups, "papers.md's groups are not those of " + abstracts);
        assertEquals(papers.values().stream().mapToInt(List::size).sum(), page.rows().size(),
                "papers.md has not one row per paper of " + abstracts);
        for (String group : groups) {
            List<String> titles = papers.get(group);
            List<Row> rows = page.rows().stream().filter(r -> r.group().equals(group)).toList();
            assertEquals(titles.size(), rows.size(), "papers.md, " + group + ": rows vs papers in " + abstracts);
            for (int i = 0; i < titles.size(); i++) {
                String shortTitle = rows.get(i).title().replaceFirst(" \\([^)]*\\)$", "").replaceFirst("…$", "");
                assertTrue(titles.get(i).startsWith(shortTitle), rows.get(i).where() + " should be paper " + (i + 1)
                        + " of its group, \"" + titles.get(i) + "\" (a row's title is the start of the paper's)");
            }
        }
    }
}
