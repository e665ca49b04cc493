package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Runs independent jobs on a bounded pool while the calling thread watches: it reports progress
 * every 250 ms (so no front end redraws more than four times a second) and turns an interrupt of the
 * calling thread (the kernel's interrupt, {@code Thread.interrupt}) into a stop flag every running
 * job polls once per unit. Results come back in job order, so a parallel run equals a serial one.
 */
final class Scheduler {
    static final long TICK_MILLIS = 250;

    private final int parallel;
    private final Progress progress;
    private final String metric;
    private final String unit;
    private final AtomicBoolean stop = new AtomicBoolean();
    private boolean interrupted;

    Scheduler(int parallel, Progress progress, String metric, String unit) {
        this.parallel = parallel;
        this.progress = progress;
        this.metric = metric;
        this.unit = unit;
    }

    /** The flag jobs poll: true once the caller was interrupted. */
    boolean stopped() {
        return stop.get();
    }

    /** True when the last {@link #execute} was interrupted. */
    boolean interrupted() {
        return interrupted;
    }

    /** Executes the jobs; returns the runs that started (all of them unless interrupted), in job order. */
    List<Run> execute(List<Job> jobs) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(parallel, jobs.size())),
                Thread.ofPlatform().daemon().name("lab-run-", 0).factory());
        List<Future<Run>> futures = new ArrayList<>();
        for (Job job : jobs) futures.add(pool.submit(job.body()));
        pool.shutdown();
        long start = System.nanoTime();
        try {
            while (!pool.awaitTermination(TICK_MILLIS, TimeUnit.MILLISECONDS)) {
                progress.update(event(jobs, futures, start));
                if (firstFailure(futures) != null) break;
            }
        } catch (InterruptedException e) {
            interrupted = true;
            stop.set(true);
            pool.shutdownNow();
            awaitQuietly(pool);
        }
        progress.update(event(jobs, futures, start));
        Throwable failure = firstFailure(futures);
        if (failure != null) {
            stop.set(true);
            pool.shutdownNow();
            awaitQuietly(pool);
            if (failure instanceof RuntimeException re) throw re;
            if (failure instanceof Error err) throw err;
            throw new IllegalStateException(failure);
        }
        List<Run> runs = new ArrayList<>();
        for (Future<Run> f : futures) {
            if (f.state() == Future.State.SUCCESS) runs.add(f.resultNow());
        }
        return runs;
    }

    private static Throwable firstFailure(List<Future<Run>> futures) {
        for (Future<Run> f : futures) {
            if (f.state() == Future.State.FAILED) return f.exceptionNow();
        }
        return null;
    }

    private static void awaitQuietly(ExecutorService pool) {
        boolean again = false;
        while (true) {
            try {
                pool.awaitTermination(5, TimeUnit.SECONDS);
                break;
            } catch (InterruptedException e) {
                again = true;
            }
        }
        if (again) Thread.interrupted();
    }

    private Progress.Event event(List<Job> jobs, List<Future<Run>> futures, long start) {
        int done = 0;
        double fraction = 0;
        Job current = null;
        for (int i = 0; i < jobs.size(); i++) {
            Recorder r = jobs.get(i).recorder();
            if (futures.get(i).isDone()) {
                done++;
                fraction += 1;
            } else {
                fraction += r.capacity() == 0 ? 0 : Math.min(1.0, r.count() / (double) r.capacity());
                if (current == null && r.count() > 0) current = jobs.get(i);
            }
        }
        if (current == null) {
            for (int i = jobs.size() - 1; i >= 0 && current == null; i--) {
                if (jobs.get(i).recorder().count() > 0) current = jobs.get(i);
            }
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        fraction /= Math.max(1, jobs.size());
        long eta = fraction <= 0 || done == jobs.size() ? -1 : (long) (elapsed * (1 - fraction) / fraction);
        String label = current == null || futures.get(jobs.indexOf(current)).isDone() && done == jobs.size() ? "" : current.label();
        Recorder rec = current == null ? null : current.recorder();
        return new Progress.Event(done, jobs.size(), label, elapsed, eta, metric, rec == null ? Double.NaN : rec.latest(), unit,
                rec == null ? 0 : Math.max(0, rec.count() - 1), rec == null ? 0 : Math.max(0, rec.capacity() - 1));
    }
}
