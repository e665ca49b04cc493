package org.reprolab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.sgd;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reprolab.lab.Cluster;
import org.reprolab.lab.Lab;
import org.reprolab.lab.OptimizeExperiment;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Run;
import org.reprolab.lab.Runs;
import org.reprolab.problems.Rosenbrock;

/** A real Spark {@code local[2]} context running Lab sweeps: the same runs as the local pool, failures kept per row. */
class SparkClusterTest {
    static Cluster spark;

    @BeforeAll
    static void start() {
        spark = Cluster.spark("local[2]");
    }

    @AfterAll
    static void stop() {
        spark.close();
    }

    static OptimizeExperiment sweep() {
        return Lab.optimize(new Rosenbrock()).from(-1, 1).compare(adam(1e-2)).steps(150).noise(0.3).seeds(4)
                .sweep("lr", 1e-3, 1e-2, 3e-2).progress(Progress.none());
    }

    static void assertSameRuns(Runs expected, Runs actual) {
        assertEquals(expected.runs().size(), actual.runs().size());
        for (int i = 0; i < expected.runs().size(); i++) {
            Run a = expected.runs().get(i), b = actual.runs().get(i);
            assertTrue(a.sameResult(b), "run " + i + ": " + a + " vs " + b);
        }
    }

    @Test
    void sweepOnSparkEqualsTheLocalRunBitForBit() {
        Runs local = sweep().run();
        Runs onSpark = sweep().on(spark).run();
        assertEquals(12, onSpark.runs().size());
        assertFalse(onSpark.partial());
        assertSameRuns(local, onSpark);
        // the seeds really differ (noise), so equality is not the trivial one
        assertFalse(local.runs().get(0).sameResult(local.runs().get(1)));
    }

    @Test
    void federatedClientsRunAsSparkTasksWithTheLocalResults() {
        var digits = org.reprolab.data.Datasets.digits().split(0.25, 0);
        var train = digits.train().standardizedLike(digits.train());
        var test = digits.test().standardizedLike(digits.train());
        var partition = org.reprolab.federated.Partition.dirichlet(train.labels(), 10, 6, 0.3, 5, 1);
        var federation = org.reprolab.federated.Federation.of(org.reprolab.federated.FlatNetwork.mlp(64, 8, 10), train, test, partition, 16)
                .sampling(4);
        var method = org.reprolab.federated.FederatedMethod.fedAvgM(0.1, 3, 0.5).compress(new org.reprolab.federated.Compressor.TopK(0.1, true));
        var local = new org.reprolab.federated.FederatedRun(federation, method, 7, org.reprolab.federated.ClientRunner.serial());
        var onSpark = new org.reprolab.federated.FederatedRun(federation, method, 7, org.reprolab.federated.ClientRunner.on(spark));
        local.run(3, r -> true);
        onSpark.run(3, r -> true);
        org.junit.jupiter.api.Assertions.assertArrayEquals(local.model(), onSpark.model(), "bit-identical server model after 3 rounds");
    }

    @Test
    void mapReturnsEveryTaskResultInTaskOrder() {
        var tasks = new ArrayList<Cluster.Task<Integer>>();
        for (int i = 0; i < 5; i++) {
            int k = i;
            tasks.add(() -> k * k);
        }
        assertEquals(List.of(0, 1, 4, 9, 16), spark.map(tasks));
    }

    @Test
    void aRunThatThrowsIsKeptInItsRowAndTheOthersComplete() {
        var runs = Lab.optimize(new Exploding()).from(-1, 1).compare(sgd(1e-3)).steps(50).sweep("lr", 1e-3, 1.0)
                .progress(Progress.none()).on(spark).run();
        assertEquals(2, runs.runs().size());
        assertEquals(Run.Status.COMPLETE, runs.runs().get(0).status());
        Run failed = runs.runs().get(1);
        assertEquals(Run.Status.FAILED, failed.status());
        assertTrue(failed.error().contains("left the box"), failed.error());
        assertEquals(Map.of("lr", 1.0), failed.point());
        assertEquals("failed: " + failed.error(), runs.rows().get(1).status());
    }

    @Test
    void progressReportsTasksDoneRunningAndFailed() {
        List<Progress.Event> events = new CopyOnWriteArrayList<>();
        Progress watch = new Progress() {
            @Override
            public void update(Event event) {
                events.add(event);
            }

            @Override
            public void finish(Runs runs) {}
        };
        var runs = Lab.optimize(new Exploding()).from(-1, 1).compare(sgd(1e-3)).steps(3000).seeds(2).sweep("lr", 1e-4, 1.0)
                .progress(watch).on(spark).run();
        assertEquals(4, runs.runs().size());
        Progress.Event last = events.getLast();
        assertEquals(4, last.done());
        assertEquals(4, last.total());
        assertTrue(last.current().contains("spark local[2]: 0 running, 2 failed"), last.current());
    }

    @Test
    void interruptingTheCallerCancelsTheSparkJobGroup() throws Exception {
        var caller = Thread.currentThread();
        var interrupter = Thread.ofPlatform().start(() -> {
            try {
                Thread.sleep(1500);
            } catch (InterruptedException e) {
                return;
            }
            caller.interrupt();
        });
        long t0 = System.nanoTime();
        var runs = Lab.optimize(new Rosenbrock()).from(-1, 1).compare(adam(1e-3)).steps(20_000_000).seeds(2)
                .progress(Progress.none()).on(spark).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        interrupter.join();
        assertTrue(runs.partial());
        assertTrue(seconds < 20, "cancelled after " + seconds + " s");
        assertFalse(Thread.interrupted(), "the interrupt is consumed");
        // the context still works after the cancel
        assertEquals(List.of(7), spark.map(List.<Cluster.Task<Integer>>of(() -> 7)));
    }

    /**
     * The notebook's stop button mid-sweep: 8 runs on two executor threads, the caller interrupted (from the progress
     * callback, which runs on the calling thread) once two runs have finished. The job group is cancelled, no task runs
     * on afterwards, and the finished runs come back as a partial {@code Runs}, each the local pool's run bit for bit.
     * Runs of 60,000 steps (about half a second each here when idle), so that the other six are still running when
     * the second finishes: with 6,000 steps all eight finished before the stop reached the driver on an idle machine.
     */
    @Test
    void anInterruptMidSweepCancelsTheJobGroupAndReturnsTheFinishedRuns() throws Exception {
        var sweep = (java.util.function.Supplier<OptimizeExperiment>) () -> Lab.optimize(new Rosenbrock()).from(-1, 1)
                .compare(adam(1e-2)).steps(60_000).noise(0.3).seeds(4).sweep("lr", 1e-3, 1e-2);
        Runs local = sweep.get().progress(Progress.none()).run();
        List<Progress.Event> events = new CopyOnWriteArrayList<>();
        var interrupted = new java.util.concurrent.atomic.AtomicBoolean();
        Progress stopButton = new Progress() {
            @Override
            public void update(Event event) {
                events.add(event);
                if (event.done() >= 2 && interrupted.compareAndSet(false, true)) Thread.currentThread().interrupt();
            }

            @Override
            public void finish(Runs runs) {}
        };
        Runs partial = sweep.get().progress(stopButton).on(spark).run();
        assertTrue(interrupted.get(), "interrupted mid-sweep");
        assertFalse(Thread.interrupted(), "the interrupt is consumed");
        assertTrue(partial.partial());
        int finished = partial.runs().size();
        assertTrue(finished >= 2 && finished < 8, finished + " runs finished");
        for (Run run : partial.runs()) {
            assertEquals(Run.Status.COMPLETE, run.status());
            Run same = local.runs().stream().filter(r -> r.point().equals(run.point()) && r.seed() == run.seed()).findFirst().orElseThrow();
            assertTrue(same.sameResult(run), run + " vs the local " + same);
        }
        // cancelled: within a few seconds no executor thread runs a task of it (Spark's own count, from its task-end events)
        var tracker = ((SparkCluster) spark).context().statusTracker();
        long deadline = System.nanoTime() + 5_000_000_000L;
        while (running(tracker) > 0 && System.nanoTime() < deadline) Thread.sleep(50);
        assertEquals(0, running(tracker), "tasks still running after the cancel");
        assertEquals(0, tracker.getActiveJobIds().length);
        // the live progress showed Spark's view while it worked: both executor threads busy, tasks done out of 8
        assertTrue(events.stream().anyMatch(e -> e.total() == 8 && e.current().startsWith("spark local[2]: 2 running, 0 failed")),
                events.stream().map(Progress.Event::current).distinct().toList().toString());
        assertTrue(events.stream().anyMatch(e -> e.done() >= 2 && e.done() < 8));
    }

    private static int running(org.apache.spark.api.java.JavaSparkStatusTracker tracker) {
        int n = 0;
        for (var executor : tracker.getExecutorInfos()) n += executor.numRunningTasks();
        return n;
    }

    @Test
    void aSecondMasterWhileOneRunsIsAClearError() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Cluster.spark("local[1]"));
        assertTrue(e.getMessage().contains("already runs a Spark context for local[2]"), e.getMessage());
        assertTrue(spark == Cluster.spark("local[2]"), "the same master shares the context");
    }

    /** Rosenbrock whose gradient refuses points far outside its plot box: a run that throws (not one that diverges). */
    record Exploding() implements org.reprolab.problems.TwoVariableObjective {
        @Override
        public double value(double[] x) {
            return new Rosenbrock().value(x);
        }

        @Override
        public double[] gradient(double[] x) {
            if (Math.abs(x[0]) > 100 || Math.abs(x[1]) > 100) throw new IllegalStateException("left the box at " + x[0]);
            return new Rosenbrock().gradient(x);
        }

        @Override
        public Landmarks landmarks() {
            return new Rosenbrock().landmarks();
        }
    }
}
