package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reprolab.federated.ClientRunner;
import org.reprolab.federated.FederatedMethod;
import org.reprolab.federated.FederatedRun;
import org.reprolab.federated.Federation;

/**
 * {@code Lab.federate(federation)}: federated algorithms compared on one {@link Federation} round by
 * round. A run records per aggregation (a synchronous round or an asynchronous buffer flush) the
 * global model's {@code test_accuracy}, the clients' mean local {@code train_loss}, the cumulative
 * uplink {@code bytes} and the simulated {@code time}; its scalars are the totals and, when the
 * federation has a target accuracy, {@code rounds_to_target}, {@code bytes_to_target} and
 * {@code time_to_target} (−1 when never reached). Each round's clients go through the
 * {@link ClientRunner} given to {@link #clients} (default: the local parallel pool), or, after
 * {@code on(cluster)}, as that cluster's tasks, one per client ({@link ClientRunner#on(Cluster)}): the runs
 * themselves stay in this process, since a round must wait for its clients anyway.
 */
public final class FederateExperiment extends Experiment<FederatedMethod, FederateExperiment> {
    private final Federation federation;
    private ClientRunner runner = ClientRunner.local();
    private double until = Double.POSITIVE_INFINITY;

    FederateExperiment(Federation federation) {
        super("federate", "round", 50, String.valueOf(federation), new Methods(FederatedMethod.class, "a federated method (FederatedMethod.fedAvg(lr, steps), ...)"));
        this.federation = Objects.requireNonNull(federation, "federation");
    }

    /** Aggregations per run (default 50). */
    public FederateExperiment rounds(int n) {
        return budget("rounds", n);
    }

    /**
     * Ends each run at the first aggregation whose simulated time reaches {@code seconds} (the rounds stay a cap):
     * synchronous and asynchronous methods compared over the same wall time.
     */
    public FederateExperiment until(double seconds) {
        if (!(seconds > 0)) throw new IllegalArgumentException("federate: until(seconds) must be > 0, got " + seconds);
        this.until = seconds;
        return this;
    }

    /**
     * Where each round's client tasks run (default: the local pool); results do not depend on it.
     * {@code on(cluster)} is the usual way to give one: it runs them as that cluster's tasks.
     */
    public FederateExperiment clients(ClientRunner r) {
        this.runner = Objects.requireNonNull(r, "runner");
        return this;
    }

    /** {@code on(cluster)} distributes each round's clients, one task per client, not whole runs: issue 18's "clients run as Spark tasks per round". */
    @Override
    boolean runsAreClusterTasks() {
        return false;
    }

    @Override
    String name(FederatedMethod method, Set<String> swept) {
        return method.name();
    }

    @Override
    List<String> series() {
        return List.of("test_accuracy", "train_loss", "bytes", "time");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.higher("test_accuracy"), Metric.lower("train_loss"));
    }

    @Override
    Object problem() {
        return federation;
    }

    @Override
    Map<String, Double> execute(Cell<FederatedMethod> cell, Recorder rec) {
        ClientRunner clients = cluster() == Cluster.local() ? runner : ClientRunner.on(cluster());
        FederatedRun run = new FederatedRun(federation, cell.value(), TrainExperiment.seedOf(cell.key()), clients);
        double target = federation.target();
        double[] reached = {-1, -1, -1};
        double[] last = {0, 0};
        run.run(cell.budget(), round -> {
            if (!Double.isNaN(target) && reached[0] < 0 && round.accuracy() >= target) {
                reached[0] = round.index() + 1;
                reached[1] = round.bytes();
                reached[2] = round.time();
            }
            last[0] = round.bytes();
            last[1] = round.time();
            return rec.record(round.accuracy(), round.loss(), round.bytes(), round.time()) && round.time() < until;
        });
        keep(cell, run.model());
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("uplink_bytes", last[0]);
        scalars.put("simulated_time", last[1]);
        if (!Double.isNaN(target)) {
            scalars.put("rounds_to_target", reached[0]);
            scalars.put("bytes_to_target", reached[1]);
            scalars.put("time_to_target", reached[2]);
        }
        return scalars;
    }
}
