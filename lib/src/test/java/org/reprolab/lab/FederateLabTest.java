package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.data.Dataset;
import org.reprolab.data.Datasets;
import org.reprolab.federated.ClientRunner;
import org.reprolab.federated.Clock;
import org.reprolab.federated.FederatedMethod;
import org.reprolab.federated.FederatedRun;
import org.reprolab.federated.Federation;
import org.reprolab.federated.FlatNetwork;
import org.reprolab.federated.Partition;

class FederateLabTest {
    private static Federation federation() {
        Dataset.Split s = Datasets.digits().split(0.25, 0);
        Dataset train = s.train().standardizedLike(s.train()), test = s.test().standardizedLike(s.train());
        return Federation.of(FlatNetwork.softmax(64, 10), train, test, Partition.iid(train.size(), 4, 0), 16)
                .clock(new Clock(new double[] {1, 1, 2, 4}, 0.5)).target(0.5);
    }

    @Test
    void recordsWhatTheServerLoopReportsWhateverTheRunner() {
        Federation fed = federation();
        FederatedMethod m = FederatedMethod.fedAvg(0.1, 3);
        Runs pooled = Lab.federate(fed).compare(m).rounds(5).progress(Progress.none()).run();
        Runs serial = Lab.federate(fed).compare(m).rounds(5).clients(ClientRunner.serial()).progress(Progress.none()).run();
        assertArrayEquals(pooled.history("FedAvg", "test_accuracy"), serial.history("FedAvg", "test_accuracy"));
        assertTrue(pooled.sameResults(serial), "same runs, wall times aside");
        // on(cluster) hands the cluster each round's clients, not whole runs: 4 clients x 5 rounds = 20 tasks; the same runs again
        var tasks = new java.util.concurrent.atomic.AtomicInteger();
        Cluster counting = new Cluster() {
            @Override
            public String description() {
                return "counting";
            }

            @Override
            public <R> java.util.List<Outcome<R>> run(java.util.List<? extends Task<R>> list, java.util.function.Consumer<Tally> progress) {
                tasks.addAndGet(list.size());
                return Cluster.local().run(list, progress);
            }
        };
        assertTrue(pooled.sameResults(Lab.federate(fed).compare(m).rounds(5).on(counting).progress(Progress.none()).run()));
        assertEquals(20, tasks.get());
        assertFalse(pooled.sameResults(Lab.federate(fed).compare(m).rounds(5).seed(1).progress(Progress.none()).run()), "another seed");
        assertFalse(pooled.sameResults(Lab.federate(fed).compare(m).rounds(4).progress(Progress.none()).run()), "fewer rounds");
        // a synchronous round lasts as long as its slowest client: 3 steps of 4 s plus 0.5 s latency
        assertArrayEquals(new double[] {12.5, 25, 37.5, 50, 62.5}, pooled.history("FedAvg", "time"));
        // dense uploads: 4 clients x 650 values x 4 bytes per round
        assertEquals(5 * 4 * 650 * 4.0, pooled.scalar("FedAvg", "uplink_bytes").mean());
        double[] reference = new double[5];
        long seed = TrainExperiment.seedOf(org.reprolab.random.RngKey.of(0).split(1).get(0));
        new FederatedRun(fed, m, seed, ClientRunner.serial()).run(5, r -> {
            reference[r.index()] = r.accuracy();
            return true;
        });
        assertArrayEquals(reference, pooled.history("FedAvg", "test_accuracy"));
    }

    @Test
    void untilStopsAtTheSimulatedTime() {
        Runs runs = Lab.federate(federation()).compare(FederatedMethod.fedAvg(0.1, 3).async(1, 0.5).named("async"))
                .rounds(1000).until(20).progress(Progress.none()).run();
        double[] time = runs.history("async", "time");
        assertEquals(true, time[time.length - 1] >= 20 && time[time.length - 2] < 20);
        assertThrows(IllegalArgumentException.class, () -> Lab.federate(federation()).until(0));
    }
}
