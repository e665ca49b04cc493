package org.reprolab.spark;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.reprolab.lab.Cluster;
import org.reprolab.lab.Lab;
import org.reprolab.lab.OptimizeExperiment;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Runs;
import org.reprolab.problems.Rosenbrock;

/**
 * A Lab sweep on a real standalone Spark cluster (master and workers as separate JVMs on 127.0.0.1):
 * the tasks are serialized and shipped with the library's jars, and the runs equal the local pool's bit
 * for bit, also when the worker running them is killed mid-sweep and a second worker takes over.
 */
@Timeout(value = 240, unit = TimeUnit.SECONDS)
class StandaloneClusterTest {
    static Standalone standalone;
    static Process first;
    static Cluster spark;

    @BeforeAll
    static void start() throws Exception {
        standalone = new Standalone();
        first = standalone.addWorker();
        spark = Cluster.spark(standalone.url(), Map.of("spark.executor.memory", "512m", "spark.driver.host", "127.0.0.1",
                "spark.driver.bindAddress", "127.0.0.1"));
    }

    @AfterAll
    static void stop() throws Exception {
        try {
            if (spark != null) spark.close();
        } finally {
            standalone.close();
        }
        assertEquals(java.util.List.of(), standalone.alive(), "processes left behind");
    }

    static OptimizeExperiment sweep(int steps) {
        return Lab.optimize(new Rosenbrock()).from(-1, 1).compare(adam(1e-2)).steps(steps).noise(0.3).seeds(4)
                .sweep("lr", 1e-3, 1e-2).progress(Progress.none());
    }

    @Test
    void aSweepOnTheClusterEqualsTheLocalRunsEvenWhenAWorkerDies() throws Exception {
        Runs local = sweep(200).run();
        Runs remote = sweep(200).on(spark).run();
        SparkClusterTest.assertSameRuns(local, remote);

        // a longer sweep; once a task has finished, the only worker and its executor are killed and a new worker joins
        int steps = 10_000;
        Runs expected = sweep(steps).run();
        var killed = new AtomicBoolean();
        Progress killer = new Progress() {
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
        };
        Runs survived = sweep(steps).progress(killer).on(spark).run();
        assertTrue(killed.get(), "the worker was killed mid-sweep");
        assertFalse(first.isAlive());
        assertFalse(survived.partial());
        SparkClusterTest.assertSameRuns(expected, survived);
    }
}
