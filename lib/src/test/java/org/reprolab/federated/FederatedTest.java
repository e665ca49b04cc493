package org.reprolab.federated;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.reprolab.data.Dataset;
import org.reprolab.data.Datasets;

class FederatedTest {
    private static final Dataset.Split DIGITS = split();

    private static Dataset.Split split() {
        Dataset.Split s = Datasets.digits().split(0.25, 0);
        return new Dataset.Split(s.train().standardizedLike(s.train()), s.test().standardizedLike(s.train()));
    }

    @Test
    void gradientMatchesFiniteDifferences() {
        FlatNetwork net = FlatNetwork.mlp(64, 5, 10);
        double[] w = net.init(3), g = new double[net.size()];
        double[][] x = DIGITS.train().features();
        int[] y = DIGITS.train().labels(), rows = {0, 5, 9, 11};
        net.loss(w, x, y, rows, g);
        for (int i : new int[] {0, 17, 64 * 5 + 2, net.size() - 1, net.size() - 20}) {
            double h = 1e-6, keep = w[i];
            w[i] = keep + h;
            double up = net.loss(w, x, y, rows, null);
            w[i] = keep - h;
            double down = net.loss(w, x, y, rows, null);
            w[i] = keep;
            assertEquals((up - down) / (2 * h), g[i], 1e-7, "coordinate " + i);
        }
    }

    @Test
    void fedAvgWithOneFullBatchClientIsGradientDescent() {
        FlatNetwork net = FlatNetwork.softmax(64, 10);
        Dataset train = DIGITS.train();
        Federation fed = Federation.of(net, train, DIGITS.test(), new Partition(new int[][] {FlatNetwork.all(train.size())}), train.size());
        FederatedRun run = new FederatedRun(fed, FederatedMethod.fedAvg(0.3, 2), 5, ClientRunner.serial());
        run.run(4, r -> true);
        double[] w = net.init(5), g = new double[w.length];
        for (int step = 0; step < 8; step++) {
            net.loss(w, train.features(), train.labels(), FlatNetwork.all(train.size()), g);
            for (int i = 0; i < w.length; i++) w[i] -= 0.3 * g[i];
        }
        assertArrayEquals(w, run.model(), 1e-12);
    }

    @Test
    void topKSendsTheLargestEntriesAndCountsEightBytesEach() {
        double[] v = new SplittableRandom(1).doubles(1000, -1, 1).toArray();
        Compressor.Sent sent = new Compressor.TopK(0.01, false).compress(v, new double[0][], 0);
        assertEquals(8L * 10, sent.bytes());
        double[] sorted = Arrays.stream(v).map(Math::abs).sorted().toArray();
        double tenth = sorted[sorted.length - 10];
        for (int i = 0; i < v.length; i++) assertEquals(Math.abs(v[i]) >= tenth ? v[i] : 0, sent.values()[i]);
        assertEquals(4L * 1000, new Compressor.Dense().compress(v, null, 0).bytes());
        assertEquals(8L, new Compressor.TopK(1e-6, false).compress(v, null, 0).bytes(), "at least one entry");
        assertThrows(IllegalArgumentException.class, () -> new Compressor.TopK(0, true));
    }

    @Test
    void momentumCorrectionSendsExactlyTheAccumulatedVelocity() {
        int d = 200;
        Compressor.Dgc dgc = new Compressor.Dgc(0.02, 0.9, 0);
        double[][] state = {new double[d], new double[d]};
        double[] sentTotal = new double[d], velocityTotal = new double[d], u = new double[d];
        SplittableRandom random = new SplittableRandom(4);
        for (int t = 0; t < 50; t++) {
            double[] delta = random.doubles(d, -1, 1).toArray();
            for (int i = 0; i < d; i++) {
                u[i] = 0.9 * u[i] + delta[i];        // velocity before this upload's masking
                velocityTotal[i] += u[i];
            }
            Compressor.Sent sent = dgc.compress(delta, state, t);
            assertEquals(8L * 4, sent.bytes());
            for (int i = 0; i < d; i++) {
                sentTotal[i] += sent.values()[i];
                if (sent.values()[i] != 0) u[i] = 0;  // momentum factor masking
            }
        }
        for (int i = 0; i < d; i++) assertEquals(velocityTotal[i], sentTotal[i] + state[1][i], 1e-9, "residual identity at " + i);
        assertArrayEquals(u, state[0], 1e-12);
    }

    @Test
    void dgcClipsEachUpdateAtTheGlobalThresholdOverRootN() {
        // 4 workers, global threshold 5: each clips its update at 5 / sqrt(4) = 2.5; k = 1 of 4, momentum 0.5.
        Compressor.Dgc dgc = new Compressor.Dgc(0.25, 0.5, 0).clipped(5, 4);
        assertEquals(2.5, dgc.clip());
        double[][] state = {new double[4], new double[4]};
        // |(3, 4, 0, 0)| = 5 > 2.5: halved to (1.5, 2, 0, 0) = u = v; the top coordinate (2) is sent and cleared.
        assertArrayEquals(new double[] {0, 2, 0, 0}, dgc.compress(new double[] {3, 4, 0, 0}, state, 0).values());
        assertArrayEquals(new double[] {1.5, 0, 0, 0}, state[0]);
        assertArrayEquals(new double[] {1.5, 0, 0, 0}, state[1]);
        // |(0, 0, 1, 2)| = 2.236 <= 2.5: kept whole. u = 0.5 (1.5, 0, 0, 0) + (0, 0, 1, 2) = (0.75, 0, 1, 2),
        // v = (1.5, 0, 0, 0) + u = (2.25, 0, 1, 2): 2.25 is sent, cleared from both.
        assertArrayEquals(new double[] {2.25, 0, 0, 0}, dgc.compress(new double[] {0, 0, 1, 2}, state, 1).values());
        assertArrayEquals(new double[] {0, 0, 1, 2}, state[0]);
        assertArrayEquals(new double[] {0, 0, 1, 2}, state[1]);
        // Without clipping the first update goes in whole: 4 is sent.
        assertArrayEquals(new double[] {0, 4, 0, 0}, new Compressor.Dgc(0.25, 0.5, 0).compress(new double[] {3, 4, 0, 0},
                new double[][] {new double[4], new double[4]}, 0).values());
        assertEquals(Double.POSITIVE_INFINITY, new Compressor.Dgc(0.25, 0.5, 0).clip());
        assertThrows(IllegalArgumentException.class, () -> new Compressor.Dgc(0.25, 0.5, 0, 0));
    }

    @Test
    void dgcWarmUpRaisesSparsityInFourStages() {
        Compressor.Dgc dgc = new Compressor.Dgc(0.001, 0.9, 8);
        assertArrayEquals(new double[] {0.25, 0.25, 0.0625, 0.0625, 0.015625, 0.015625, 0.00390625, 0.00390625, 0.001},
                java.util.stream.IntStream.range(0, 9).mapToDouble(dgc::density).toArray());
    }

    @Test
    void dirichletPartitionFollowsAlpha() {
        int[] labels = DIGITS.train().labels();
        for (Partition p : List.of(Partition.dirichlet(labels, 10, 10, 0.1, 5, 7), Partition.dirichlet(labels, 10, 10, 1000, 5, 7))) {
            int[] seen = new int[labels.length];
            for (int[] rows : p.clients()) for (int r : rows) seen[r]++;
            assertTrue(Arrays.stream(seen).allMatch(c -> c == 1), "every example held once");
        }
        double[] overall = new double[10];
        for (int l : labels) overall[l] += 1.0 / labels.length;
        double[][] flat = Partition.dirichlet(labels, 10, 10, 1000, 5, 7).classProportions(labels, 10);
        for (double[] row : flat) for (int c = 0; c < 10; c++) assertEquals(overall[c], row[c], 0.03);
        double[][] skewed = Partition.dirichlet(labels, 10, 10, 0.1, 5, 7).classProportions(labels, 10);
        double meanTop = Arrays.stream(skewed).mapToDouble(row -> Arrays.stream(row).max().orElseThrow()).average().orElseThrow();
        assertTrue(meanTop > 0.5, "alpha 0.1: a client's largest class is most of its data, got " + meanTop);
        assertTrue(Partition.gammaMean(0.3, 20_000) > 0.28 && Partition.gammaMean(0.3, 20_000) < 0.32);
    }

    @Test
    void asynchronousWithEqualSpeedsAndAFullBufferIsSynchronous() {
        Partition p = Partition.dirichlet(DIGITS.train().labels(), 10, 4, 0.5, 5, 1);
        Federation fed = Federation.of(FlatNetwork.mlp(64, 8, 10), DIGITS.train(), DIGITS.test(), p, 16);
        FederatedMethod m = FederatedMethod.fedAvgM(0.1, 3, 0.5);
        FederatedRun sync = new FederatedRun(fed, m, 9, ClientRunner.serial());
        FederatedRun async = new FederatedRun(fed, m.async(4, 0.5), 9, ClientRunner.serial());
        sync.run(5, r -> true);
        async.run(5, r -> true);
        assertArrayEquals(sync.model(), async.model());
    }

    /**
     * The asynchronous loop against a schedule worked out by hand: clients at 1 and 2.5 s per step, one local step each.
     * Client 0 arrives at 1, 2, 3, 4, 5; client 1 at 2.5 and 5 (after client 0 there: equal times go in client order).
     * Client 1's first update was computed on version 0 and arrives after two aggregations (staleness 2), client 0's
     * third on version 2 after the one at 2.5 (staleness 1): the server moves by (1+s)^(-1/2) times the update.
     */
    @Test
    void asynchronousArrivalsFollowTheClockAndStaleUpdatesAreDamped() {
        Partition p = Partition.iid(DIGITS.train().size(), 2, 1);
        Federation fed = Federation.of(FlatNetwork.mlp(64, 8, 10), DIGITS.train(), DIGITS.test(), p, 16).clock(new Clock(new double[] {1, 2.5}, 0));
        List<ClientResult> started = new java.util.ArrayList<>();
        ClientRunner recording = tasks -> {
            List<ClientResult> results = ClientRunner.serial().run(tasks);
            started.addAll(results);
            return results;
        };
        FederatedRun run = new FederatedRun(fed, FederatedMethod.fedAvg(0.1, 1).async(1, 0.5), 4, recording);
        List<Double> times = new java.util.ArrayList<>();
        List<double[]> models = new java.util.ArrayList<>(List.of(run.model()));
        run.run(7, r -> {
            times.add(r.time());
            models.add(run.model());
            return true;
        });
        assertEquals(List.of(1.0, 2.0, 2.5, 3.0, 4.0, 5.0, 5.0), times);
        // starts: c0 and c1 at 0, then c0 at 1 and 2, c1 at 2.5, c0 at 3 and 4 (the run ends at its 7th aggregation, at 5)
        assertEquals(List.of(0, 1, 0, 0, 1, 0, 0), started.stream().map(ClientResult::client).toList());
        assertMoved(models.get(0), models.get(1), started.get(0).update(), 1);                 // c0 at 1: fresh
        assertMoved(models.get(2), models.get(3), started.get(1).update(), 1 / Math.sqrt(3));  // c1 at 2.5: staleness 2
        assertMoved(models.get(3), models.get(4), started.get(3).update(), 1 / Math.sqrt(2));  // c0 at 3: staleness 1
    }

    private static void assertMoved(double[] before, double[] after, double[] update, double weight) {
        double largest = 0;
        for (int i = 0; i < before.length; i++) {
            assertEquals(weight * update[i], after[i] - before[i], 1e-6, "coordinate " + i);
            largest = Math.max(largest, Math.abs(update[i]));
        }
        assertTrue(largest > 1e-3, "the update is not negligible: " + largest);
    }

    @Test
    void resultsDoNotDependOnTheRunner() {
        Partition p = Partition.iid(DIGITS.train().size(), 6, 2);
        Federation fed = Federation.of(FlatNetwork.mlp(64, 8, 10), DIGITS.train(), DIGITS.test(), p, 16).sampling(3);
        FederatedMethod m = FederatedMethod.fedSpeed(0.1, 4, 1, 0.5, 0.05).compress(new Compressor.Dgc(0.05, 0.9, 2));
        FederatedRun serial = new FederatedRun(fed, m, 3, ClientRunner.serial());
        FederatedRun parallel = new FederatedRun(fed, m, 3, ClientRunner.local());
        FederatedRun cluster = new FederatedRun(fed, m, 3, ClientRunner.on(org.reprolab.lab.Cluster.local()));
        serial.run(4, r -> true);
        parallel.run(4, r -> true);
        cluster.run(4, r -> true);
        assertArrayEquals(serial.model(), parallel.model());
        assertArrayEquals(serial.model(), cluster.model());
    }

    @Test
    void aClientTaskTravelsSerializedAndComputesTheSameResult() throws Exception {
        FlatNetwork net = FlatNetwork.mlp(64, 4, 10);
        double[][] x = Arrays.copyOf(DIGITS.train().features(), 40);
        int[] y = Arrays.copyOf(DIGITS.train().labels(), 40);
        ClientTask task = new ClientTask(2, 3, net, x, y, net.init(1), null, null, new LocalRule.FedSpeed(0.1, 3, 1, 0.5, 0.05),
                new Compressor.Dgc(0.1, 0.9, 4), 8, 17);
        var bytes = new java.io.ByteArrayOutputStream();
        try (var out = new java.io.ObjectOutputStream(bytes)) {
            out.writeObject(task);
        }
        ClientTask copy;
        try (var in = new java.io.ObjectInputStream(new java.io.ByteArrayInputStream(bytes.toByteArray()))) {
            copy = (ClientTask) in.readObject();
        }
        ClientResult a = task.call(), b = copy.call();
        assertArrayEquals(a.update(), b.update());
        assertEquals(a.bytes(), b.bytes());
        assertEquals(3, b.state().length, "FedSpeed's correction, DGC's velocity and accumulation");
    }

    @Test
    void fedSpeedRemovesTheDriftThatFedAvgKeeps() {
        // full-batch, convex, label-skewed: FedAvg with many local steps stops where the clients' drifts balance,
        // FedSpeed's correction makes the pooled gradient vanish (its fixed point is the global optimum)
        // (a non-separable problem: noisy labels in two dimensions, so the optimum is finite)
        SplittableRandom random = new SplittableRandom(5);
        double[][] x = new double[300][];
        int[] y = new int[300];
        for (int i = 0; i < 300; i++) {
            y[i] = i % 3;
            x[i] = new double[] {y[i] + 1.5 * random.nextGaussian(), 1.5 * random.nextGaussian()};
        }
        Dataset train = new Dataset("noisy", x, y, 3, List.of("a", "b"));
        FlatNetwork net = FlatNetwork.softmax(2, 3);
        Federation fed = Federation.of(net, train, train, Partition.dirichlet(y, 3, 4, 0.1, 5, 3), train.size());
        double avg = pooledGradientNorm(fed, FederatedMethod.fedAvg(0.2, 20));
        double speed = pooledGradientNorm(fed, FederatedMethod.fedSpeed(0.2, 20, 5, 0, 0));
        assertTrue(speed < 0.2 * avg, "pooled gradient norm: FedSpeed " + speed + ", FedAvg " + avg);
    }

    private static double pooledGradientNorm(Federation fed, FederatedMethod m) {
        FederatedRun run = new FederatedRun(fed, m, 1, ClientRunner.serial());
        run.run(300, r -> true);
        double[] g = new double[fed.model().size()];
        fed.model().loss(run.model(), fed.train().features(), fed.train().labels(), FlatNetwork.all(fed.train().size()), g);
        return Math.sqrt(Arrays.stream(g).map(v -> v * v).sum());
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new LocalRule.GlobalMomentum(0.1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Partition.dirichlet(new int[] {0, 1}, 2, 3, 0.1, 1, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> FlatNetwork.softmax(3, 2).loss(new double[2], new double[][] {{1, 2, 3}}, new int[] {0}));
        assertTrue(e.getMessage().contains("expected 8"), e.getMessage());
    }
}
