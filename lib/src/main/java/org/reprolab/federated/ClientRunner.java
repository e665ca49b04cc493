package org.reprolab.federated;

import java.util.List;
import java.util.Objects;
import org.reprolab.lab.Cluster;

/**
 * Runs one round's client tasks and returns their results in the tasks' order. Tasks share nothing
 * and carry their own seeds, so every runner gives the same results whatever the thread timing: a
 * local pool, a single thread, or a cluster whose tasks are Spark tasks (the hook a cluster backend
 * implements).
 */
@FunctionalInterface
public interface ClientRunner {

    List<ClientResult> run(List<ClientTask> tasks);

    /** One task after another on the calling thread. */
    static ClientRunner serial() {
        return tasks -> tasks.stream().map(ClientTask::call).toList();
    }

    /** The tasks in parallel on the common fork-join pool; results in the tasks' order. */
    static ClientRunner local() {
        return tasks -> tasks.parallelStream().map(ClientTask::call).toList();
    }

    /**
     * The tasks on a {@link Cluster}, one cluster task per client per round: with
     * {@code Cluster.spark("local[2]")} or {@code Cluster.spark("spark://host:7077")} each client's local
     * training is a Spark task (issue 18). A client that throws fails the round with its error.
     */
    static ClientRunner on(Cluster cluster) {
        Objects.requireNonNull(cluster, "cluster");
        return tasks -> cluster.map(tasks.stream().<Cluster.Task<ClientResult>>map(task -> task::call).toList());
    }
}
