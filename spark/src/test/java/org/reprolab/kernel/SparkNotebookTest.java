package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reprolab.kernel.shell.JShellSession;
import org.reprolab.lab.Lab;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Run;
import org.reprolab.lab.Runs;
import org.reprolab.optim.Optimizers;
import org.reprolab.problems.Problems;
import org.reprolab.spark.Standalone;

/**
 * Notebook cells, through the kernel's cell path ({@link Magics} then JShell), against a standalone
 * cluster of separate JVMs: {@code %spark}, a Lab sweep on {@code spark://}, and a task whose class a
 * cell defined (shipped to the executor through Spark's REPL class directory).
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class SparkNotebookTest {

    private static Object cell(JShellSession session, String code) {
        Magics.Cell cell = Magics.apply(code, session);
        return cell.code().isBlank() ? null : session.eval(cell.code()).value();
    }

    @Test
    void aNotebookSweepRunsOnAStandaloneClusterAndNotebookClassesReachTheExecutors() throws Exception {
        System.setProperty("reprolab.home", Path.of("..").toAbsolutePath().normalize().toString());
        String classPath = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        try (var standalone = new Standalone();
             JShellSession session = JShellSession.start(classPath, List.of(), System.out, System.err, System.in)) {
            standalone.addWorker();
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
            } finally {
                cell(session, "cluster.close();");
            }
            standalone.close();
            assertEquals(List.of(), standalone.alive(), "processes left behind");
        }
    }
}
