package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import java.util.concurrent.atomic.AtomicBoolean;
import org.reprolab.kernel.shell.JShellSession;
import org.reprolab.lab.Cluster;
import org.reprolab.lab.Lab;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Run;
import org.reprolab.lab.Runs;
import org.reprolab.optim.Optimizers;
import org.reprolab.problems.Problems;
import org.reprolab.spark.Standalone;

/**
 * Notebook cells, through the kernel's cell path ({@link Magics} then JShell), against a standalone
 * cluster of separate JVMs on 127.0.0.1: {@code %spark}, a Lab sweep on {@code spark://} equal to the
 * local runs bit for bit, a task whose class a cell defined (shipped to the executor through Spark's REPL
 * class directory), and a sweep whose only worker is killed mid-run (executor and all) while a second
 * worker joins: the lost task is retried there (Spark counts the lost attempt) and the runs are still the
 * local ones; federated clients (DGC-compressed FedAvg-M) run per round as tasks on the executor JVM with the
 * local pool's server model. Then the same sweep from a notebook that nbclient executes against the kernel process itself,
 * whose JVM becomes the cluster's driver. One cluster for all of it, since starting one is most of the cost;
 * afterwards no process of it is left.
 */
@Timeout(value = 420, unit = TimeUnit.SECONDS)
class SparkNotebookTest {

    private static final Magics MAGICS = new Magics();

    private static Object cell(JShellSession session, String code) {
        Magics.Cell cell = MAGICS.apply(code, session, 1);
        return cell.code().isBlank() ? null : session.eval(cell.code()).value();
    }

    /** The cell that connects a notebook to the standalone cluster at {@code url} (executors and driver on 127.0.0.1). */
    private static String clusterCell(String url) {
        return "var cluster = Cluster.spark(\"" + url + "\", Map.of(\"spark.executor.memory\", \"512m\", "
                + "\"spark.driver.host\", \"127.0.0.1\", \"spark.driver.bindAddress\", \"127.0.0.1\"));";
    }

    /** The sweep a notebook cell runs on the cluster, as cell source (the kernel's default imports) ... */
    private static final String CELL_SWEEP = "Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(adam(1e-2)).steps(300).noise(0.2)"
            + ".seeds(3).sweep(\"lr\", 1e-3, 1e-2).progress(Progress.none())";

    /** ... and the same sweep here, on the local pool. */
    private static org.reprolab.lab.OptimizeExperiment cellSweep() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(300).noise(0.2)
                .seeds(3).sweep("lr", 1e-3, 1e-2).progress(Progress.none());
    }

    /** Three rounds of DGC-compressed FedAvg-M over four digits clients, as cell source ... */
    private static final String FEDERATED = "Lab.federate(Federation.of(FlatNetwork.mlp(64, 16, 10), "
            + "Datasets.digits().split(0.25, 0).train(), Datasets.digits().split(0.25, 0).test(), "
            + "Partition.dirichlet(Datasets.digits().split(0.25, 0).train().labels(), 10, 4, 0.5, 10, 0), 16))"
            + ".compare(FederatedMethod.fedAvgM(0.05, 3, 0.5).compress(new Compressor.Dgc(0.01, 0.9, 2)).named(\"DGC\"))"
            + ".rounds(3).progress(Progress.none())";

    /** ... and the same here, on the local pool. */
    private static org.reprolab.lab.FederateExperiment federated() {
        var split = org.reprolab.data.Datasets.digits().split(0.25, 0);
        return Lab.federate(org.reprolab.federated.Federation.of(org.reprolab.federated.FlatNetwork.mlp(64, 16, 10), split.train(), split.test(),
                        org.reprolab.federated.Partition.dirichlet(split.train().labels(), 10, 4, 0.5, 10, 0), 16))
                .compare(org.reprolab.federated.FederatedMethod.fedAvgM(0.05, 3, 0.5)
                        .compress(new org.reprolab.federated.Compressor.Dgc(0.01, 0.9, 2)).named("DGC"))
                .rounds(3).progress(Progress.none());
    }

    /** Runs of about a second each, so that one is running when the worker is killed. */
    private static org.reprolab.lab.OptimizeExperiment killSweep() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(10_000).noise(0.3)
                .seeds(3).sweep("lr", 1e-3, 1e-2).progress(Progress.none());
    }

    /**
     * The first sweep again, now from a notebook that nbclient executes against the kernel process (Jupyter messages,
     * the kernel's cell threads, {@code %spark} finding this module's build through {@code REPROLAB_HOME}): the kernel's
     * JVM is the driver, the executor runs on the cluster's remaining worker, and a record a cell defines reaches it.
     * Each run's final loss is printed exactly ({@link Double#toString}) and compared with the local pool's here.
     */
    private static void sweepFromANotebookThroughTheKernel(String url) throws Exception {
        List<String> cells = List.of(
                "%spark",
                clusterCell(url),
                "var runs = " + CELL_SWEEP + ".on(cluster).run();\n"
                        + "System.out.println(\"runs = \" + runs.runs().size() + \"\\npartial = \" + (runs.partial() ? 1 : 0));\n"
                        + "for (int i = 0; i < runs.runs().size(); i++) {\n"
                        + "    double[] loss = runs.runs().get(i).history(\"loss\");\n"
                        + "    System.out.println(\"final loss \" + i + \" = \" + loss[loss.length - 1]);\n"
                        + "}",
                "record Cube(int k) implements Cluster.Task<Integer> {\n    public Integer call() { return k * k * k; }\n}\n"
                        + "System.out.println(\"sum of cubes = \" + cluster.map(List.of(new Cube(2), new Cube(3))).stream().mapToInt(Integer::intValue).sum());",
                "cluster.close();");
        var json = new com.google.gson.JsonObject();
        var cellArray = new com.google.gson.JsonArray();
        for (String code : cells) {
            var cell = new com.google.gson.JsonObject();
            cell.addProperty("cell_type", "code");
            cell.addProperty("execution_count", (Number) null);
            cell.add("metadata", new com.google.gson.JsonObject());
            cell.add("outputs", new com.google.gson.JsonArray());
            cell.addProperty("source", code);
            cellArray.add(cell);
        }
        json.add("cells", cellArray);
        json.add("metadata", new com.google.gson.JsonObject());
        json.addProperty("nbformat", 4);
        json.addProperty("nbformat_minor", 5);
        Path notebook = java.nio.file.Files.createTempDirectory("reprolab-spark-notebook-").resolve("spark-standalone-sweep.ipynb");
        java.nio.file.Files.writeString(notebook, json.toString());

        NotebookRun run = NotebookRun.execute(notebook);
        assertEquals(List.of(), run.errors(), run.log());
        assertTrue(run.stdout().contains("Spark on the class path"), run.stdout());
        assertEquals(6, run.number("runs"));
        assertEquals(0, run.number("partial"));
        Runs local = cellSweep().run();
        for (int i = 0; i < 6; i++) {
            double[] loss = local.runs().get(i).history("loss");
            assertEquals(loss[loss.length - 1], run.number("final loss " + i), 0.0, "run " + i + " through the kernel on spark://");
        }
        assertEquals(35, run.number("sum of cubes"));
    }

    @Test
    void aNotebookSweepRunsOnAStandaloneClusterSurvivesAKilledWorkerAndNotebookClassesReachTheExecutors() throws Exception {
        System.setProperty("reprolab.home", Path.of("..").toAbsolutePath().normalize().toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (var standalone = new Standalone();
             JShellSession session = JShellSession.start(classPath, List.of(), System.out, System.err, System.in)) {
            Process first = standalone.addWorker();
            session.addImports(DefaultImports.IMPORTS);
            cell(session, "%spark");
            cell(session, clusterCell(standalone.url()));
            try {
                Object value = cell(session, "var runs = " + CELL_SWEEP + ".on(cluster).run();\nruns");
                Runs remote = (Runs) value;
                Runs local = cellSweep().run();
                assertEquals(6, remote.runs().size());
                assertFalse(remote.partial());
                for (int i = 0; i < 6; i++) {
                    Run a = local.runs().get(i), b = remote.runs().get(i);
                    assertTrue(a.sameResult(b), a + " vs " + b);
                }
                // a class defined in a cell: the executor JVM loads it from the driver's class directory
                cell(session, """
                        record Square(int k) implements Cluster.Task<Integer> {
                            public Integer call() { return k * k; }
                        }""");
                assertEquals(List.of(9, 16, 25), cell(session, "cluster.map(List.of(new Square(3), new Square(4), new Square(5)))"));

                // federated clients as tasks on the executor JVM (each round's client updates serialized there and back,
                // DGC's worker state included), the server model bit for bit the local pool's
                Runs federated = (Runs) cell(session, "var fedRuns = " + FEDERATED + ".on(cluster).run();\nfedRuns");
                assertTrue(federated.sameResults(federated().run()), "federated clients on spark:// differ from the local pool");
                assertEquals(3, federated.history("DGC", "test_accuracy").length);

                // fault tolerance: once a task has finished, the only worker and its executor are killed, a new worker joins
                Cluster cluster = (Cluster) cell(session, "cluster");
                Runs expected = killSweep().run();
                var killed = new AtomicBoolean();
                var executorsKilled = new java.util.concurrent.atomic.AtomicInteger();
                List<Progress.Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
                Runs survived = killSweep().on(cluster).progress(new Progress() {
                    @Override
                    public void update(Event event) {
                        events.add(event);
                        if (event.done() >= 1 && killed.compareAndSet(false, true)) {
                            executorsKilled.set(standalone.kill(first));
                            try {
                                standalone.addWorker();
                            } catch (java.io.IOException e) {
                                throw new java.io.UncheckedIOException(e);
                            }
                        }
                    }

                    @Override
                    public void finish(Runs runs) {}
                }).run();
                assertTrue(killed.get(), "the worker was killed mid-sweep");
                assertFalse(first.isAlive());
                assertTrue(executorsKilled.get() >= 1, "the worker's executor process was killed with it");
                // a task was running on the killed executor: Spark counted its attempt failed and ran it again elsewhere
                assertTrue(events.getLast().current().matches(".*, [1-9][0-9]* retried"), events.getLast().current());
                assertFalse(survived.partial());
                assertEquals(expected.runs().size(), survived.runs().size());
                for (int i = 0; i < expected.runs().size(); i++) {
                    assertTrue(expected.runs().get(i).sameResult(survived.runs().get(i)), "run " + i + " after the kill");
                }
            } finally {
                cell(session, "cluster.close();");
            }
            sweepFromANotebookThroughTheKernel(standalone.url());
            standalone.close();
            assertEquals(List.of(), standalone.alive(), "processes left behind");
        }
    }
}
