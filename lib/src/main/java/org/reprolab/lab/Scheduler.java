package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Runs independent jobs on at most {@code parallel} worker threads while the calling thread watches:
 * it reports progress every 250 ms (so no front end redraws more than four times a second) and turns
 * an interrupt of the calling thread (the kernel's interrupt, {@code Thread.interrupt}) into a stop
 * flag that every running job polls once per unit. Results come back in job order, so a parallel run
 * equals a serial one. Workers come from one process-wide pool of daemon threads that stay alive
 * between runs. With {@code parallel(1)} (the default) the jobs run on the calling thread itself, as a
 * bare loop would, and the progress ticks come from the jobs' own per-unit stop checks: no thread
 * hand-off, which keeps Lab's overhead over a bare loop within a few percent (bench/lab.sh).
 */
final class Scheduler {
    static final long TICK_MILLIS = 250;

    private static final ExecutorService WORKERS = Executors.newCachedThreadPool(Thread.ofPlatform().daemon().name("lab-run-", 0).factory());

    private final int parallel;
    private final Progress progress;
    private final String metric;
    private final String unit;
    private final AtomicBoolean stop = new AtomicBoolean();
    private boolean interrupted;
    // serial mode: the caller runs the jobs and ticks the progress from stopped()
    private List<Job> serialJobs;
    private AtomicReferenceArray<Run> serialResults;
    private long serialStart, nextTick;
    private int polls;

    Scheduler(int parallel, Progress progress, String metric, String unit) {
        this.parallel = parallel;
        this.progress = progress;
        this.metric = metric;
        this.unit = unit;
    }

    /** The flag jobs poll: true once the caller was interrupted or a job failed. */
    boolean stopped() {
        if (serialJobs != null && (++polls & 63) == 0) {
            long now = System.nanoTime();
            if (now >= nextTick) {
                nextTick = now + TICK_MILLIS * 1_000_000;
                progress.update(event(serialJobs, serialResults, serialStart));
            }
        }
        return stop.get();
    }

    /** True when the last {@link #execute} was interrupted. */
    boolean interrupted() {
        return interrupted;
    }

    /** Executes the jobs; returns the runs that ran (all of them unless interrupted), in job order. */
    List<Run> execute(List<Job> jobs) {
        int n = jobs.size(), k = Math.max(1, Math.min(parallel, n));
        if (k == 1) return serial(jobs);
        var results = new AtomicReferenceArray<Run>(n);
        var next = new AtomicInteger();
        var failure = new AtomicReference<Throwable>();
        var finished = new CountDownLatch(k);
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < k; w++) {
            workers.add(WORKERS.submit(() -> {
                try {
                    for (int i = next.getAndIncrement(); i < n && !stop.get(); i = next.getAndIncrement()) {
                        results.set(i, jobs.get(i).body().call());
                    }
                } catch (Throwable t) {
                    failure.compareAndSet(null, t);
                    stop.set(true);
                } finally {
                    finished.countDown();
                }
            }));
        }
        long start = System.nanoTime();
        try {
            while (!finished.await(TICK_MILLIS, TimeUnit.MILLISECONDS)) progress.update(event(jobs, results, start));
        } catch (InterruptedException e) {
            interrupted = true;
            stop.set(true);
            workers.forEach(f -> f.cancel(true));
            awaitQuietly(finished);
        }
        progress.update(event(jobs, results, start));
        Throwable t = failure.get();
        if (t != null && !interrupted) {
            if (t instanceof RuntimeException re) throw re;
            if (t instanceof Error err) throw err;
            throw new IllegalStateException(t);
        }
        List<Run> runs = new ArrayList<>();
        for (int i = 0; i < n; i++) if (results.get(i) != null) runs.add(results.get(i));
        return runs;
    }

    private List<Run> serial(List<Job> jobs) {
        serialJobs = jobs;
        serialResults = new AtomicReferenceArray<>(jobs.size());
        serialStart = System.nanoTime();
        nextTick = serialStart + TICK_MILLIS * 1_000_000;
        List<Run> runs = new ArrayList<>();
        try {
            for (int i = 0; i < jobs.size(); i++) {
                Run run = jobs.get(i).body().call();
                serialResults.set(i, run);
                runs.add(run);
                if (Thread.interrupted() || run.status() == Run.Status.INTERRUPTED) {
                    interrupted = true;
                    stop.set(true);
                    break;
                }
            }
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        } finally {
            progress.update(event(jobs, serialResults, serialStart));
            serialJobs = null;
        }
        return runs;
    }

    private static void awaitQuietly(CountDownLatch latch) {
        boolean again = false;
        while (true) {
            try {
                latch.await(5, TimeUnit.SECONDS);
                break;
            } catch (InterruptedException e) {
                again = true;
            }
        }
        if (again) Thread.interrupted();
    }

    private Progress.Event event(List<Job> jobs, AtomicReferenceArray<Run> results, long start) {
        int done = 0;
        double fraction = 0;
        Job current = null;
        for (int i = 0; i < jobs.size(); i++) {
            Recorder r = jobs.get(i).recorder();
            if (results.get(i) != null) {
                done++;
                fraction += 1;
            } else {
                fraction += r.capacity() == 0 ? 0 : Math.min(1.0, r.count() / (double) r.capacity());
                if (current == null && r.count() > 0) current = jobs.get(i);
            }
        }
        long elapsed = (System.nanoTime() - start) / 1_000_000;
        fraction /= Math.max(1, jobs.size());
        long eta = fraction <= 0 || done == jobs.size() ? -1 : (long) (elapsed * (1 - fraction) / fraction);
        Recorder rec = current == null ? null : current.recorder();
        return new Progress.Event(done, jobs.size(), current == null ? "" : current.label(), elapsed, eta, metric,
                rec == null ? Double.NaN : rec.latest(), unit, rec == null ? 0 : Math.max(0, rec.count() - 1),
                rec == null ? 0 : Math.max(0, rec.capacity() - 1));
    }
}
