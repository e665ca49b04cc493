package org.reprolab.federated;

import java.util.List;

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
}
