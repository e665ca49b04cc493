package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.reprolab.optim.Optimizers;
import org.reprolab.problems.Rosenbrock;

/** The Cluster seam without Spark: the local pool's map/run, the error when the spark module is absent, serializable experiments. */
class ClusterTest {

    @Test
    void theLocalPoolMapsTasksInOrderAndKeepsAFailureInItsPlace() {
        List<Cluster.Task<Integer>> tasks = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            int k = i;
            tasks.add(() -> {
                if (k == 4) throw new IllegalArgumentException("four");
                return k * 10;
            });
        }
        List<Cluster.Tally> tallies = new CopyOnWriteArrayList<>();
        var outcomes = Cluster.local().run(tasks, tallies::add);
        assertEquals(new Cluster.Outcome.Done<>(30), outcomes.get(3));
        assertEquals(new Cluster.Outcome.Failed<Integer>("java.lang.IllegalArgumentException: four"), outcomes.get(4));
        assertEquals(new Cluster.Tally(6, 6, 0, 1, 0), tallies.getLast());
        var e = assertThrows(IllegalStateException.class, () -> Cluster.local().map(tasks));
        assertEquals("local pool: task 4 of 6 failed: java.lang.IllegalArgumentException: four", e.getMessage());
        assertEquals(List.of(0, 10), Cluster.local().map(tasks.subList(0, 2)));
    }

    @Test
    void sparkWithoutTheModuleSaysHowToGetIt() {
        var e = assertThrows(IllegalStateException.class, () -> Cluster.spark("local[2]"));
        assertTrue(e.getMessage().contains("reprolab-spark module is not on the class path") && e.getMessage().contains("%spark"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Cluster.spark(" "));
    }

    @Test
    void anExperimentOnTheLocalPoolExplicitlyIsTheDefaultRun() throws Exception {
        var a = Lab.optimize(new Rosenbrock()).from(-1, 1).compare(Optimizers.adam(1e-2)).steps(50).noise(0.1).seeds(2)
                .progress(Progress.none()).run();
        var b = Lab.optimize(new Rosenbrock()).from(-1, 1).compare(Optimizers.adam(1e-2)).steps(50).noise(0.1).seeds(2)
                .progress(Progress.none()).on(Cluster.local()).run();
        for (int i = 0; i < 2; i++) assertTrue(a.runs().get(i).sameResult(b.runs().get(i)));
        // what a spark:// cluster receives: the experiment round-trips through Java serialization and runs the same
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(new RemoteRuns.RunTask(Lab.optimize(new Rosenbrock()).from(-1, 1).compare(Optimizers.adam(1e-2)).steps(50)
                    .noise(0.1).seeds(2), 1));
        }
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            Run shipped = assertInstanceOf(RemoteRuns.RunTask.class, in.readObject()).call();
            assertTrue(a.runs().get(1).sameResult(shipped), shipped.toString());
        }
    }

    @Test
    void aFailedRunSaysWhyAndOnlyAFailedRunHasAnError() {
        Run failed = Run.failed("Adam", java.util.Map.of("lr", 1.0), 0, 0, "java.lang.IllegalStateException: boom");
        assertEquals("failed: java.lang.IllegalStateException: boom", failed.statusText("step"));
        assertThrows(IllegalArgumentException.class,
                () -> new Run("Adam", java.util.Map.of(), 0, Run.Status.FAILED, 0, 0, java.util.Map.of(), java.util.Map.of()));
    }
}
