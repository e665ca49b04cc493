package org.reprolab.lab;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.function.Consumer;

/**
 * Where independent tasks execute: the seam between {@link Experiment#on Lab} (or any other caller
 * with a list of independent pieces of work, such as a federated round's clients) and an engine that
 * runs them. One call, {@link #run}, maps a list of serializable tasks to their outcomes in task
 * order; a task that throws becomes a {@link Outcome.Failed} in its place and the others still run.
 *
 * <p>{@link #local()} (the default of every experiment) is the process's own thread pool.
 * {@link #spark(String)} hands the tasks to Apache Spark ({@code local[2]}, {@code spark://host:7077});
 * its implementation lives in the optional {@code reprolab-spark} module, loaded reflectively, so the
 * library itself does not carry Spark's 170 jars.
 */
public interface Cluster extends AutoCloseable {

    /** One independent piece of work: serializable, so that a remote engine can ship it to another JVM. */
    @FunctionalInterface
    interface Task<R> extends Callable<R>, Serializable {}

    /** How one task ended. */
    sealed interface Outcome<R> extends Serializable {
        /** It returned {@code value}. */
        record Done<R>(R value) implements Outcome<R> {}

        /** It threw; {@code error} names the exception and its message (the stack trace stays in the engine's log). */
        record Failed<R>(String error) implements Outcome<R> {}

        /** It never finished: the caller was interrupted and the engine cancelled it. */
        record Cancelled<R>() implements Outcome<R> {}
    }

    /**
     * Progress of a {@link #run}: of {@code total} tasks, {@code done} finished (returned or failed),
     * {@code running} are executing now, {@code failed} threw, {@code retried} attempts were lost (an
     * executor died) and started again.
     */
    record Tally(int total, int done, int running, int failed, int retried) {}

    /** A short description for progress lines and errors ("local pool", "spark local[2]"). */
    String description();

    /**
     * Runs every task and returns their outcomes in task order, reporting a {@link Tally} to
     * {@code progress} a few times a second from the calling thread. An interrupt of the calling
     * thread cancels what has not finished ({@link Outcome.Cancelled}); the interrupt is consumed.
     */
    <R> List<Outcome<R>> run(List<? extends Task<R>> tasks, Consumer<Tally> progress);

    /** The tasks' results in order; the first failure (or an interrupt) is thrown, naming the task. */
    default <R> List<R> map(List<? extends Task<R>> tasks) {
        List<Outcome<R>> outcomes = run(tasks, t -> {});
        List<R> results = new ArrayList<>(outcomes.size());
        for (int i = 0; i < outcomes.size(); i++) {
            switch (outcomes.get(i)) {
                case Outcome.Done<R> d -> results.add(d.value());
                case Outcome.Failed<R> f -> throw new IllegalStateException(description() + ": task " + i + " of " + tasks.size() + " failed: " + f.error());
                case Outcome.Cancelled<R> c -> throw new java.util.concurrent.CancellationException(description() + ": interrupted; task " + i + " did not finish");
            }
        }
        return results;
    }

    /** Releases the engine (a Spark context); the local pool has nothing to release. */
    @Override
    default void close() {}

    /** The process's own threads: as many tasks at once as there are processors. */
    static Cluster local() {
        return LocalCluster.INSTANCE;
    }

    /**
     * Apache Spark at {@code master}: {@code local[N]} (N executor threads in this JVM) or a cluster URL
     * ({@code spark://host:7077}). Needs the {@code reprolab-spark} module and its dependencies on the class
     * path (in a notebook: {@code %spark}); the same master gives the same (shared) Spark context.
     */
    static Cluster spark(String master) {
        return spark(master, java.util.Map.of());
    }

    /** {@link #spark(String)} with extra Spark settings ({@code spark.executor.memory}, {@code spark.jars}, ...). */
    static Cluster spark(String master, java.util.Map<String, String> settings) {
        Objects.requireNonNull(master, "master");
        Objects.requireNonNull(settings, "settings");
        if (master.isBlank()) throw new IllegalArgumentException("Cluster.spark: the master URL is empty (local[2], spark://host:7077)");
        String implementation = "org.reprolab.spark.SparkCluster";
        Class<?> type;
        try {
            type = Class.forName(implementation, true, loader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("Cluster.spark(\"" + master + "\"): the reprolab-spark module is not on the class path ("
                    + implementation + " not found); in a notebook run %spark first, elsewhere add org.reprolab:reprolab-spark", e);
        }
        try {
            return (Cluster) type.getMethod("connect", String.class, java.util.Map.class).invoke(null, master, settings);
        } catch (java.lang.reflect.InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            throw new IllegalStateException("Cluster.spark(\"" + master + "\"): " + e.getCause(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("Cluster.spark: " + implementation + " has no public static connect(String, Map)", e);
        }
    }

    private static ClassLoader loader() {
        ClassLoader context = Thread.currentThread().getContextClassLoader();
        return context != null ? context : Cluster.class.getClassLoader();
    }
}
