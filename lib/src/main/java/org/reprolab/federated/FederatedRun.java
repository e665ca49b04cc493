package org.reprolab.federated;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.SplittableRandom;
import org.reprolab.optim.Optimizer;
import org.reprolab.tensor.Tensor;

/**
 * The server's loop of one federated run: it hands client tasks to a {@link ClientRunner}, aggregates
 * what comes back, steps its optimizer and advances the simulated {@link Clock}. Synchronous: each
 * round samples {@code clientsPerRound} clients, waits for the slowest, averages their updates
 * weighted by their example counts. Asynchronous ({@code buffer > 0}): every client trains without
 * pause and restarts from the current model on arrival; an aggregation happens whenever
 * {@code buffer} updates have arrived (arrivals at equal times are taken in client order before any
 * restart), each weighted by its example count times (1 + staleness)^(−a). With equal speeds and a
 * buffer of all clients this is the synchronous full-participation run, bit for bit.
 *
 * <p>Randomness: the initial model comes from the run's seed; the clients of a round and each task's
 * mini-batches from the seed, the round and the client's upload counter, never from shared state, so
 * the result does not depend on the runner.
 */
public final class FederatedRun {

    /** One aggregation: the global model's test accuracy, the clients' mean local loss, cumulative uplink bytes, simulated time. */
    public record Round(int index, double accuracy, double loss, long bytes, double time) {}

    /** Receives each aggregation; returning false stops the run. */
    @FunctionalInterface
    public interface Listener {
        boolean accept(Round round);
    }

    private final Federation fed;
    private final FederatedMethod method;
    private final long seed;
    private final ClientRunner runner;
    private final double[][][] clientX;
    private final int[][] clientY;
    private final double[][][] states;
    private final int[] uploads;
    private double[] model, momentum;
    private Tensor param;
    private long bytes;
    private int version;

    public FederatedRun(Federation fed, FederatedMethod method, long seed, ClientRunner runner) {
        this.fed = fed;
        this.method = method;
        this.seed = seed;
        this.runner = runner;
        int k = fed.partition().size();
        clientX = new double[k][][];
        clientY = new int[k][];
        for (int i = 0; i < k; i++) {
            int[] rows = fed.partition().clients()[i];
            clientX[i] = Arrays.stream(rows).mapToObj(r -> fed.train().features()[r]).toArray(double[][]::new);
            clientY[i] = Arrays.stream(rows).map(r -> fed.train().labels()[r]).toArray();
        }
        states = new double[k][][];
        uploads = new int[k];
        model = fed.model().init(seed);
    }

    /** The global model now. */
    public double[] model() {
        return model.clone();
    }

    /** Runs {@code units} aggregations (rounds, or asynchronous buffer flushes), reporting each. */
    public void run(int units, Listener listener) {
        param = Tensor.of(model.clone());
        try (Optimizer server = Optimizer.of(Map.of("w", param), method.server())) {
            if (method.buffer() == 0) synchronous(units, listener, server);
            else asynchronous(units, listener, server);
        }
    }

    private void synchronous(int rounds, Listener listener, Optimizer server) {
        double time = 0;
        for (int r = 0; r < rounds; r++) {
            int[] chosen = sample(r);
            List<ClientResult> results = runner.run(Arrays.stream(chosen).mapToObj(this::task).toList());
            double slowest = 0;
            for (int i : chosen) slowest = Math.max(slowest, fed.clock().duration(i, method.local().steps()));
            time += slowest;
            absorb(results);
            aggregate(results, new int[results.size()], server);
            if (!listener.accept(report(r, results, time))) return;
        }
    }

    private record Arrival(double time, int client, int version, ClientResult result) {}

    private void asynchronous(int units, Listener listener, Optimizer server) {
        int k = fed.partition().size();
        PriorityQueue<Arrival> queue = new PriorityQueue<>(Comparator.comparingDouble(Arrival::time).thenComparingInt(Arrival::client));
        List<Integer> idle = new ArrayList<>();
        for (int i = 0; i < k; i++) idle.add(i);
        List<Arrival> buffer = new ArrayList<>();
        double now = 0;
        int done = 0;
        while (done < units) {
            List<ClientResult> started = runner.run(idle.stream().map(this::task).toList());
            for (ClientResult res : started) {
                queue.add(new Arrival(now + fed.clock().duration(res.client(), method.local().steps()), res.client(), version, res));
            }
            idle.clear();
            now = queue.peek().time();
            while (!queue.isEmpty() && queue.peek().time() == now) {
                Arrival a = queue.poll();
                absorb(List.of(a.result()));
                idle.add(a.client());
                buffer.add(a);
                if (buffer.size() == method.buffer()) {
                    List<ClientResult> results = buffer.stream().map(Arrival::result).toList();
                    aggregate(results, buffer.stream().mapToInt(b -> version - b.version()).toArray(), server);
                    buffer.clear();
                    if (!listener.accept(report(done++, results, now)) || done == units) return;
                }
            }
        }
    }

    private ClientTask task(int i) {
        long taskSeed = new SplittableRandom(seed ^ 0x9E3779B97F4A7C15L * (i + 1)).split().nextLong() + 0x632BE59BD9B4E019L * uploads[i];
        return new ClientTask(i, uploads[i], fed.model(), clientX[i], clientY[i], model, momentum, states[i], method.local(),
                method.compressor(), fed.batch(), taskSeed);
    }

    private void absorb(List<ClientResult> results) {
        for (ClientResult res : results) {
            states[res.client()] = res.state();
            uploads[res.client()]++;
            bytes += res.bytes();
        }
    }

    /** Round r's clients: a uniform sample without replacement, in index order. */
    private int[] sample(int r) {
        int k = fed.partition().size(), m = fed.clientsPerRound();
        if (m == k) return FlatNetwork.all(k);
        int[] pool = FlatNetwork.all(k);
        SplittableRandom random = new SplittableRandom(seed * 31 + r);
        for (int i = 0; i < m; i++) {
            int j = i + random.nextInt(k - i), t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
        }
        int[] chosen = Arrays.copyOf(pool, m);
        Arrays.sort(chosen);
        return chosen;
    }

    /** x ← server optimizer step on the pseudo-gradient −Σ n_j w(s_j) Δ_j / Σ n_j. */
    private void aggregate(List<ClientResult> results, int[] staleness, Optimizer server) {
        int d = model.length;
        double[] average = new double[d];
        double total = 0;
        for (ClientResult res : results) total += res.examples();
        for (int j = 0; j < results.size(); j++) {
            ClientResult res = results.get(j);
            double weight = res.examples() / total * Math.pow(1 + staleness[j], -method.stalenessExponent());
            for (int i = 0; i < d; i++) average[i] += weight * res.update()[i];
        }
        double[] pseudo = new double[d];
        for (int i = 0; i < d; i++) pseudo[i] = -average[i];
        param.setGrad(Tensor.of(pseudo));
        server.step();
        model = param.toDoubleArray();
        if (method.local() instanceof LocalRule.GlobalMomentum r) {
            momentum = new double[d];
            for (int i = 0; i < d; i++) momentum[i] = pseudo[i] / (r.lr() * r.steps());
        }
        version++;
    }

    private Round report(int index, List<ClientResult> results, double time) {
        double loss = results.stream().mapToDouble(ClientResult::loss).average().orElse(Double.NaN);
        return new Round(index, fed.model().accuracy(model, fed.test().features(), fed.test().labels()), loss, bytes, time);
    }
}
