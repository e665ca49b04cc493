package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * {@link Cluster#local()}: the tasks on this process's own daemon threads, at most one per processor.
 * An experiment on it keeps its own scheduler ({@link Experiment#parallel}); other callers of
 * {@link Cluster#run} get a pool without Spark's cost per task (no serialization, no scheduling round trip).
 */
final class LocalCluster implements Cluster {
    static final LocalCluster INSTANCE = new LocalCluster();

    private LocalCluster() {}

    private static final int THREADS = Runtime.getRuntime().availableProcessors();
    private static final java.util.concurrent.ExecutorService POOL =
            java.util.concurrent.Executors.newFixedThreadPool(THREADS,
                    Thread.ofPlatform().daemon().name("lab-cluster-", 0).factory());

    @Override
    public String description() {
        return "local pool";
    }

    @Override
    public <R> List<Outcome<R>> run(List<? extends Task<R>> tasks, Consumer<Tally> progress) {
        List<Future<R>> futures = new ArrayList<>(tasks.size());
        for (Task<R> t : tasks) futures.add(POOL.submit(t));
        List<Outcome<R>> outcomes = new ArrayList<>(tasks.size());
        boolean cancelled = false;
        for (int i = 0; i < futures.size(); i++) {
            Future<R> f = futures.get(i);
            while (true) {
                if (cancelled) {
                    f.cancel(true);
                    outcomes.add(f.state() == Future.State.SUCCESS ? new Outcome.Done<>(f.resultNow()) : new Outcome.Cancelled<>());
                    break;
                }
                try {
                    outcomes.add(new Outcome.Done<>(f.get(Scheduler.TICK_MILLIS, TimeUnit.MILLISECONDS)));
                    break;
                } catch (TimeoutException e) {
                    progress.accept(tally(futures));
                } catch (ExecutionException e) {
                    outcomes.add(new Outcome.Failed<>(String.valueOf(e.getCause())));
                    break;
                } catch (InterruptedException | java.util.concurrent.CancellationException e) {
                    cancelled = true;
                }
            }
        }
        progress.accept(tally(futures));
        return outcomes;
    }

    private static Tally tally(List<? extends Future<?>> futures) {
        int done = 0, failed = 0;
        for (Future<?> f : futures) {
            if (f.isDone()) done++;
            if (f.state() == Future.State.FAILED) failed++;
        }
        return new Tally(futures.size(), done, Math.min(THREADS, futures.size() - done), failed, 0);
    }
}
