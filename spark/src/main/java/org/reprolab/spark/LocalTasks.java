package org.reprolab.spark;

import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import org.reprolab.lab.Cluster;

/**
 * The task lists of the running {@code local[N]} jobs, by key: Spark's executor threads of this JVM
 * look their task up here instead of deserializing it, so notebook classes and non-serializable values
 * need no shipping (and the executor's class loader never has to find a JShell class).
 */
final class LocalTasks {
    private static final Map<String, List<? extends Cluster.Task<?>>> TABLE = new ConcurrentHashMap<>();

    private LocalTasks() {}

    static String put(List<? extends Cluster.Task<?>> tasks) {
        String key = UUID.randomUUID().toString();
        TABLE.put(key, List.copyOf(tasks));
        return key;
    }

    @SuppressWarnings("unchecked")
    static <R> Cluster.Task<R> get(String key, int index) {
        var tasks = TABLE.get(key);
        if (tasks == null) throw new IllegalStateException("no local task list " + key + ": a local[N] task ran outside the JVM that submitted it");
        return (Cluster.Task<R>) tasks.get(index);
    }

    static void remove(String key) {
        TABLE.remove(key);
    }
}
