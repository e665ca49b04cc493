package org.reprolab.federated;

import java.util.Objects;
import org.reprolab.data.Dataset;

/**
 * A federated learning problem: a network, training examples split over clients, a held-out test set,
 * how many clients a synchronous round samples, the local mini-batch size and the clients' speeds.
 * {@code target} (a test accuracy, or NaN) makes runs report the rounds, bytes and simulated time
 * they needed to reach it.
 */
public record Federation(FlatNetwork model, Dataset train, Dataset test, Partition partition, int clientsPerRound, int batch,
                         Clock clock, double target) {

    public Federation {
        Objects.requireNonNull(model, "model");
        if (train.dimension() != model.inputs() || test.dimension() != model.inputs()) {
            throw new IllegalArgumentException("Federation: the network takes " + model.inputs() + " inputs, the data have " + train.dimension() + " (train) and " + test.dimension() + " (test)");
        }
        for (int[] rows : partition.clients()) for (int r : rows) {
            if (r < 0 || r >= train.size()) throw new IllegalArgumentException("Federation: partition row " + r + " outside the " + train.size() + " training examples");
        }
        if (clientsPerRound < 1 || clientsPerRound > partition.size()) {
            throw new IllegalArgumentException("Federation: clientsPerRound must be in [1, " + partition.size() + "], got " + clientsPerRound);
        }
        if (batch < 1) throw new IllegalArgumentException("Federation: batch must be >= 1, got " + batch);
        if (clock.secondsPerStep().length != partition.size()) {
            throw new IllegalArgumentException("Federation: the clock has " + clock.secondsPerStep().length + " clients, the partition " + partition.size());
        }
    }

    /** Every client in every round, equal speeds, no target. */
    public static Federation of(FlatNetwork model, Dataset train, Dataset test, Partition partition, int batch) {
        return new Federation(model, train, test, partition, partition.size(), batch, Clock.uniform(partition.size()), Double.NaN);
    }

    /** The same problem with {@code k} clients sampled per synchronous round. */
    public Federation sampling(int k) {
        return new Federation(model, train, test, partition, k, batch, clock, target);
    }

    /** The same problem on another clock. */
    public Federation clock(Clock c) {
        return new Federation(model, train, test, partition, clientsPerRound, batch, c, target);
    }

    /** The same problem with a target test accuracy. */
    public Federation target(double accuracy) {
        return new Federation(model, train, test, partition, clientsPerRound, batch, clock, accuracy);
    }

    @Override
    public String toString() {
        return train.name() + " over " + partition.size() + " clients";
    }
}
