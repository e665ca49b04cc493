package org.reprolab.tornado.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;

/**
 * The jvm device's own ForkJoin pool. A dedicated pool (not the common one) keeps notebook code that
 * uses parallel streams from competing with kernels for workers (acceleration.md §3.2). Work is cut
 * into ranges whose boundaries depend only on the problem size and a grain, never on timing, so
 * results (including reduction order) do not depend on scheduling.
 */
final class Parallel {
    /** A body run on {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    private final ForkJoinPool pool;
    private final int parallelism;

    Parallel(int parallelism) {
        this.parallelism = parallelism;
        this.pool = new ForkJoinPool(parallelism, p -> {
            ForkJoinWorkerThread t = ForkJoinPool.defaultForkJoinWorkerThreadFactory.newThread(p);
            t.setName("reprolab-jvm-" + t.getPoolIndex());
            t.setDaemon(true);
            return t;
        }, null, false);
    }

    int parallelism() {
        return parallelism;
    }

    /**
     * Runs {@code body} over {@code [0, n)} cut into pieces of at least {@code grain} elements whose
     * starts are multiples of {@code align}; small problems run on the calling thread.
     */
    void forRange(int n, int grain, int align, Range body) {
        if (n <= 0) return;
        int pieces = (int) Math.min((n + (long) grain - 1) / grain, 4L * parallelism);
        if (pieces <= 1 || parallelism == 1) {
            body.run(0, n);
            return;
        }
        long step = (n + (long) pieces - 1) / pieces;
        step = (step + align - 1) / align * align;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(pieces);
        for (long from = 0; from < n; from += step) {
            int f = (int) from, t = (int) Math.min(n, from + step);
            tasks.add(ForkJoinTask.adapt(() -> body.run(f, t)));
        }
        invokeAll(tasks);
    }

    /** Runs {@code count} independent tasks {@code body(i, i+1)}. */
    void forEach(int count, Range body) {
        if (count <= 0) return;
        if (count == 1 || parallelism == 1) {
            body.run(0, count);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int f = i;
            tasks.add(ForkJoinTask.adapt(() -> body.run(f, f + 1)));
        }
        invokeAll(tasks);
    }

    private void invokeAll(List<ForkJoinTask<?>> tasks) {
        if (ForkJoinTask.getPool() == pool) {
            ForkJoinTask.invokeAll(tasks);
        } else {
            pool.invoke(ForkJoinTask.adapt(() -> ForkJoinTask.invokeAll(tasks)));
        }
    }
}
