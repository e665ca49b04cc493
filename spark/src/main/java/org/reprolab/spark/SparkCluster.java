package org.reprolab.spark;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.ObjectStreamClass;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.util.CollectionAccumulator;
import org.reprolab.lab.Cluster;

/**
 * {@link Cluster#spark(String)}: each task is one Spark task (one partition of a parallelized list), so
 * Spark's scheduler places them on executors, retries an attempt whose executor died, and cancels them by
 * job group. One Spark context per JVM (Spark's own rule), shared by every {@code Cluster.spark} call with
 * the same master until {@link #close()}.
 *
 * <p><b>What travels.</b> On {@code local[N]} the executors are threads of this JVM, so the tasks stay
 * where they are: a Spark task carries only the index of its task in a table of this process
 * ({@link LocalTasks}), and anything the notebook defined (JShell classes, lambdas, non-serializable
 * problems) runs unchanged. On a cluster ({@code spark://}) each task is Java-serialized and shipped; its
 * classes must be loadable there: the library's come with {@code spark.jars} (set by {@link ShippedJars}
 * unless given), notebook classes come from the kernel's class directory ({@code spark.repl.class.outputDir},
 * set by the kernel's {@code %spark} magic), and a task that cannot be serialized fails here, before
 * anything is submitted, naming the class.
 */
public final class SparkCluster implements Cluster {
    private static final AtomicLong GROUPS = new AtomicLong();
    private static final long TICK_MILLIS = 250;
    private static SparkCluster active;

    private final String master;
    private final JavaSparkContext context;
    private final boolean local;

    private SparkCluster(String master, JavaSparkContext context) {
        this.master = master;
        this.context = context;
        this.local = master.startsWith("local");
    }

    /**
     * The cluster at {@code master} with Spark {@code settings}; called by {@link Cluster#spark}. Reuses the
     * running context of the same master; another master while one runs is an error (one context per JVM).
     */
    public static synchronized Cluster connect(String master, Map<String, String> settings) {
        Objects.requireNonNull(master, "master");
        if (active != null && !active.context.sc().isStopped()) {
            if (active.master.equals(master)) return active;
            throw new IllegalStateException("Cluster.spark(\"" + master + "\"): this JVM already runs a Spark context for " + active.master
                    + " (Spark allows one per JVM); close() that cluster first");
        }
        SparkConf conf = new SparkConf().setMaster(master).setAppName("reprolab")
                .set("spark.ui.enabled", "false")
                .set("spark.ui.showConsoleProgress", "false");
        settings.forEach(conf::set);
        if (!master.startsWith("local") && !conf.contains("spark.jars")) conf.set("spark.jars", String.join(",", ShippedJars.paths()));
        var context = startOutsideTheCallersThreadGroup(conf);
        // Spark logs every task at INFO, which would flood a notebook cell; context().setLogLevel("INFO") brings it back
        context.setLogLevel(conf.get("reprolab.spark.logLevel", "WARN"));
        active = new SparkCluster(master, context);
        return active;
    }

    /**
     * Starts the context on a thread of the JVM's root thread group. Spark's own threads (scheduler, listener bus,
     * context cleaner, executor pools) join the group of the thread that starts the context; started from a
     * notebook cell they would be that cell's background threads, which the kernel interrupts when it shuts down
     * or when the stop button finds no cell running, and Spark stops its context when a listener thread is
     * interrupted.
     */
    private static JavaSparkContext startOutsideTheCallersThreadGroup(SparkConf conf) {
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) root = root.getParent();
        var started = new java.util.concurrent.CompletableFuture<JavaSparkContext>();
        Thread starter = new Thread(root, () -> {
            try {
                started.complete(new JavaSparkContext(conf));
            } catch (Throwable e) {
                started.completeExceptionally(e);
            }
        }, "reprolab-spark-start");
        starter.setContextClassLoader(Thread.currentThread().getContextClassLoader());
        starter.start();
        try {
            return started.join();
        } catch (java.util.concurrent.CompletionException e) {
            if (e.getCause() instanceof RuntimeException re) throw re;
            if (e.getCause() instanceof Error error) throw error;
            throw new IllegalStateException("Cluster.spark: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public String description() {
        return "spark " + master;
    }

    /** The Spark context, for code that wants Spark itself (RDDs, Spark SQL) next to Lab. */
    public JavaSparkContext context() {
        return context;
    }

    /** A task's outcome as it reaches the driver, through an accumulator (merged once per successful task, in an action). */
    private record Finished(int index, Outcome<?> outcome) implements java.io.Serializable {}

    /** A task with its place in the list, as shipped to a remote executor. */
    private record Numbered(int index, Task<?> task) implements java.io.Serializable {}

    /**
     * {@inheritDoc} Each task's outcome comes back through an accumulator that Spark merges on the driver as the
     * task ends (once per partition in an action, retries included), not with the job's result: so an interrupt,
     * which cancels the job group, still returns every task that had finished as {@link Outcome.Done}.
     */
    @Override
    public <R> List<Outcome<R>> run(List<? extends Task<R>> tasks, Consumer<Tally> progress) {
        int n = tasks.size();
        if (n == 0) return List.of();
        String group = "reprolab-" + GROUPS.incrementAndGet();
        CollectionAccumulator<Finished> finished = context.sc().collectionAccumulator(group);
        String key = null;
        JavaRDD<Finished> rdd;
        if (local) {
            key = LocalTasks.put(tasks);
            String k = key;
            rdd = context.parallelize(IntStream.range(0, n).boxed().toList(), n).map(i -> new Finished(i, outcome(LocalTasks.get(k, i))));
        } else {
            requireSerializable(tasks);
            List<Numbered> shipped = IntStream.range(0, n).mapToObj(i -> new Numbered(i, tasks.get(i))).toList();
            rdd = context.parallelize(shipped, n).map(t -> new Finished(t.index(), outcome(t.task())));
        }
        context.setJobGroup(group, n + " reprolab tasks", true);
        try {
            JavaFutureAction<Void> future = rdd.foreachAsync(finished::add);
            context.clearJobGroup();
            boolean complete = await(future, group, finished, n, progress);
            return outcomes(finished, n, complete);
        } finally {
            context.clearJobGroup();
            if (key != null) LocalTasks.remove(key);
        }
    }

    /** Waits for the job, reporting progress; false when the caller was interrupted and the job group cancelled. */
    private boolean await(JavaFutureAction<Void> future, String group, CollectionAccumulator<Finished> finished, int n, Consumer<Tally> progress) {
        try {
            while (true) {
                try {
                    future.get(TICK_MILLIS, TimeUnit.MILLISECONDS);
                    // the status tracker lags (Spark's listener bus is asynchronous): the end is known exactly
                    progress.accept(new Tally(n, n, 0, failures(finished), tally(group, finished, n).retried()));
                    return true;
                } catch (TimeoutException e) {
                    progress.accept(tally(group, finished, n));
                }
            }
        } catch (InterruptedException e) {
            context.cancelJobGroup(group);
            try {
                future.get(30, TimeUnit.SECONDS);
            } catch (Exception ignored) {
                // cancelled as asked; the accumulator holds what finished before
            }
            progress.accept(tally(group, finished, n));
            return false;
        } catch (ExecutionException e) {
            throw new IllegalStateException(description() + ": the Spark job failed: " + e.getCause().getMessage(), e.getCause());
        }
    }

    /** The outcomes in task order: what finished, and {@link Outcome.Cancelled} for the rest after an interrupt. */
    @SuppressWarnings("unchecked")
    private <R> List<Outcome<R>> outcomes(CollectionAccumulator<Finished> finished, int n, boolean complete) {
        List<Outcome<R>> outcomes = new ArrayList<>(java.util.Collections.nCopies(n, new Outcome.Cancelled<>()));
        for (Finished f : finished.value()) outcomes.set(f.index(), (Outcome<R>) f.outcome());
        if (complete && outcomes.stream().anyMatch(o -> o instanceof Outcome.Cancelled)) {
            throw new IllegalStateException(description() + ": the Spark job ended but not every task's outcome arrived");
        }
        return outcomes;
    }

    /** Runs one task where Spark placed it; what it throws becomes its outcome, so the other tasks go on. */
    private static <R> Outcome<R> outcome(Task<R> task) {
        try {
            return new Outcome.Done<>(task.call());
        } catch (Exception | LinkageError | AssertionError | StackOverflowError e) {
            return new Outcome.Failed<>(e.toString());
        }
    }

    private static int failures(CollectionAccumulator<Finished> finished) {
        return (int) finished.value().stream().filter(f -> f.outcome() instanceof Outcome.Failed).count();
    }

    /**
     * The job group's tasks as Spark's status tracker sees them, running capped at the cluster's slots and the runs
     * not done; failed runs from the outcomes that arrived.
     */
    private Tally tally(String group, CollectionAccumulator<Finished> finished, int n) {
        var tracker = context.statusTracker();
        int done = 0, running = 0, retried = 0;
        for (int job : tracker.getJobIdsForGroup(group)) {
            var info = tracker.getJobInfo(job);
            if (info == null) continue;
            for (int stage : info.stageIds()) {
                var s = tracker.getStageInfo(stage);
                if (s == null) continue;
                done += s.numCompletedTasks();
                running += s.numActiveTasks();
                retried += s.numFailedTasks();
            }
        }
        // a task's end reaches the status store after its result is fetched, while the freed slot may already have
        // started the next one: the store's count can exceed what runs (5 "active" on local[2] with 1 MB results)
        running = Math.min(running, Math.min(context.defaultParallelism(), n - Math.min(done, n)));
        return new Tally(n, Math.min(done, n), running, failures(finished), retried);
    }

    /** Serializes every task now, so a value that cannot travel is named before Spark starts anything. */
    private static void requireSerializable(List<? extends Task<?>> tasks) {
        for (int i = 0; i < tasks.size(); i++) {
            try (var out = new Checking(OutputStream.nullOutputStream())) {
                out.writeObject(tasks.get(i));
            } catch (IOException e) {
                throw new IllegalArgumentException("Cluster.spark: task " + i + " cannot be sent to the executors: " + e
                        + ". On a spark:// cluster every value a run needs (methods, problem, data) must be Serializable; "
                        + "local[N] runs anything", e);
            }
        }
    }

    /** An object stream that names notebook classes the executors could not load (no class directory shared). */
    private static final class Checking extends ObjectOutputStream {
        Checking(OutputStream out) throws IOException {
            super(out);
        }

        @Override
        protected void annotateClass(Class<?> c) throws IOException {
            if (c.getName().startsWith("REPL.") && System.getProperty(NOTEBOOK_CLASSES) == null) {
                throw new java.io.NotSerializableException(c.getName() + " is defined in a notebook cell; run %spark before defining it "
                        + "so that the executors can load notebook classes");
            }
        }
    }

    /** Set by the kernel when it writes the notebook's classes into Spark's class directory. */
    public static final String NOTEBOOK_CLASSES = "reprolab.spark.notebookClasses";

    /** Stops the Spark context (and with it the executors this application holds on a cluster). */
    @Override
    public synchronized void close() {
        synchronized (SparkCluster.class) {
            context.stop();
            if (active == this) active = null;
        }
    }
}
