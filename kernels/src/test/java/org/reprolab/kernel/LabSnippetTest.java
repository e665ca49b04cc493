package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.kernel.display.Displayers;
import org.reprolab.kernel.display.MimeTypes;
import org.reprolab.kernel.shell.JShellSession;
import org.reprolab.lab.Lab;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Runs;
import org.reprolab.optim.Optimizers;
import org.reprolab.problems.Problems;

class LabSnippetTest {

    /** The snippet of DESIGN.md, verbatim, with nothing but the default imports. */
    static final String SNIPPET = """
            var runs = Lab.optimize(Problems.rosenbrock())
                          .from(-1.5, 2.0)
                          .compare(adam(1e-2), adan(1e-2), adaBelief(1e-2), lion(1e-3), diffGrad(1e-2))
                          .steps(2_000)
                          .run();""";

    @Test
    void theDesignSnippetRunsInJShellAndItsResultDisplaysAsTableCurvesAndPaths() {
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            session.eval(SNIPPET);
            Object runs = session.eval("runs").value();
            assertTrue(runs instanceof Runs, String.valueOf(runs));
            Runs r = (Runs) runs;
            assertEquals(List.of("Adam(lr=0.01)", "Adan(lr=0.01)", "AdaBelief(lr=0.01)", "Lion(lr=0.001)", "diffGrad(lr=0.01)"), r.methods());
            assertEquals(5, r.runs().size());
            Map<String, String> bundle = Displayers.global().display(runs);
            assertTrue(bundle.get(MimeTypes.HTML).contains("<table") && bundle.get(MimeTypes.HTML).contains("data:image/png;base64,"));
            assertTrue(bundle.get(MimeTypes.TEXT).contains("Adan(lr=0.01)"));
            Object paths = session.eval("runs.trajectories()").value();
            assertTrue(Displayers.global().display(paths).containsKey(MimeTypes.PNG));
            // the same numbers as the library called directly
            Runs direct = Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(2_000)
                    .progress(Progress.none()).run();
            assertEquals(direct.runs().getFirst().history("loss")[2000], r.runs().getFirst().history("loss")[2000], 0.0);
        }
    }

    /**
     * Parquet in a notebook: the Parquet jars are optional in reprolab-lib and declared by the kernel, so a cell with
     * only the default imports reads a file (lib's Spark-written fixture) and gets the data set its CSV twin gives.
     */
    @Test
    void aNotebookCellReadsParquetWithTheKernelsJars() {
        String fixtures = java.nio.file.Path.of("../lib/src/test/resources/org/reprolab/data/parquet").toAbsolutePath().normalize().toString();
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            session.eval("var dir = java.nio.file.Path.of(\"" + fixtures.replace("\\", "\\\\") + "\");");
            session.eval("var fromParquet = Datasets.parquet(dir.resolve(\"blobs.parquet\"), \"kind\");");
            session.eval("var fromCsv = Datasets.csv(dir.resolve(\"blobs.csv\"), \"kind\");");
            assertEquals(240, session.eval("fromParquet.size()").value());
            assertEquals(true, session.eval("java.util.Arrays.deepEquals(fromParquet.features(), fromCsv.features())"
                    + " && java.util.Arrays.equals(fromParquet.labels(), fromCsv.labels())").value());
        }
    }

    /**
     * The notebook's stop button during a long comparison: the runs finished so far come back as the
     * cell's value, marked partial, within a second, and the kernel answers the next cell.
     */
    @Test
    void anInterruptedRunReturnsThePartialRunsAsTheCellsValue() throws Exception {
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            var running = java.util.concurrent.CompletableFuture.supplyAsync(() -> session.eval("""
                    Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(sgd(1e-4), adam(1e-3))
                       .steps(100_000).seeds(20).progress(Progress.none()).run()"""));
            Thread.sleep(1500);
            long stopped = System.nanoTime();
            session.stop();
            Object value = running.get(20, java.util.concurrent.TimeUnit.SECONDS).value();
            double seconds = (System.nanoTime() - stopped) / 1e9;
            assertTrue(seconds < 1, "the cell answered " + seconds + " s after the interrupt");
            Runs partial = assertInstanceOf(Runs.class, value);
            assertTrue(partial.partial());
            assertTrue(partial.runs().size() > 0 && partial.runs().size() < 40, "runs kept: " + partial.runs().size());
            assertEquals(2, session.eval("1 + 1").value());
        }
    }

    @Test
    void theGuidesTrainingExampleCompilesWithTheDefaultImports() {
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            session.eval("""
                    var runs = Lab.train(seed -> new MLP(new int[] {64, 16, 10}, Activation::relu, seed), Datasets.digits())
                                  .compare(adam(3e-3))
                                  .epochs(1)
                                  .batch(64)
                                  .baseline("Smile logistic regression", (x, y) -> smile.classification.LogisticRegression.fit(x, y)::predict)
                                  .progress(Progress.none())
                                  .run();""");
            Runs runs = (Runs) session.eval("runs").value();
            assertEquals(List.of("Adam(lr=0.003)", "Smile logistic regression (baseline)"), runs.methods());
            double accuracy = runs.rows().getFirst().last("test_accuracy").mean();
            assertTrue(accuracy > 0.5 && accuracy <= 1, "one epoch on digits: " + accuracy);
        }
    }

    @Test
    void inTheNotebookOneDisplayIsCreatedAndThenUpdatedInPlace() {
        List<String> calls = new ArrayList<>();
        Notebook.install(new Notebook.DisplaySink() {
            @Override
            public void display(Map<String, String> bundle, String displayId) {
                calls.add("display " + displayId + " " + bundle.get(MimeTypes.HTML).contains("<progress"));
            }

            @Override
            public void update(String displayId, Map<String, String> bundle) {
                calls.add("update " + displayId);
            }

            @Override
            public void clearOutput(boolean wait) {}
        });
        try {
            Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(10).progress(new NotebookProgress()).run();
        } finally {
            Notebook.install(null);
        }
        assertTrue(calls.size() >= 2, calls.toString());
        assertTrue(calls.getFirst().startsWith("display ") && calls.getFirst().endsWith(" true"), calls.toString());
        String id = calls.getFirst().split(" ")[1];
        for (String c : calls.subList(1, calls.size())) assertEquals("update " + id, c);
    }
}
