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
 * worker joins: the lost task is retried there and the runs are still the local ones. One cluster for
 * all of it, since starting one is most of the cost; afterwards no process of it is left.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkNotebookTest {

    private static final Magics MAGICS = new Magics();

    private static Object cell(JShellSession session, String code) {
        Magics.Cell cell = MAGICS.apply(code, session, 1);
        return cell.code().isBlank() ? null : session.eval(cell.code()).value();
    }

    /** Runs of about a second each, so that one is running when the worker is killed. */
    private static org.reprolab.lab.OptimizeExperiment killSweep() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(10_000).noise(0.3)
                .seeds(3).sweep("lr", 1e-3, 1e-2).progress(Progress.none());
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
            cell(session, "var cluster = Cluster.spark(\"" + standalone.url() + "\", Map.of(\"spark.executor.memory\", \"512m\", "
                    + "\"spark.driver.host\", \"127.0.0.1\", \"spark.driver.bindAddress\", \"127.0.0.1\"));");
            try {
                Object value = cell(session, """
                        var runs = Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(adam(1e-2)).steps(300).noise(0.2)
                                      .seeds(3).sweep("lr", 1e-3, 1e-2).progress(Progress.none()).on(cluster).run();
                        runs""");
                Runs remote = (Runs) value;
                Runs local = Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).compare(Optimizers.adam(1e-2)).steps(300).noise(0.2)
                        .seeds(3).sweep("lr", 1e-3, 1e-2).progress(Progress.none()).run();
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

                // fault tolerance: once a task has finished, the only worker and its executor are killed, a new worker joins
                Cluster cluster = (Cluster) cell(session, "cluster");
                Runs expected = killSweep().run();
                var killed = new AtomicBoolean();
                Runs survived = killSweep().on(cluster).progress(new Progress() {
                    @Override
                    public void update(Event event) {
                        if (event.done() >= 1 && killed.compareAndSet(false, true)) {
                            Standalone.kill(first);
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
                assertFalse(survived.partial());
                assertEquals(expected.runs().size(), survived.runs().size());
                for (int i = 0; i < expected.runs().size(); i++) {
                    assertTrue(expected.runs().get(i).sameResult(survived.runs().get(i)), "run " + i + " after the kill");
                }
            } finally {
                cell(session, "cluster.close();");
            }
            standalone.close();
            assertEquals(List.of(), standalone.alive(), "processes left behind");
        }
    }
}
