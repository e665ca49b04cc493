package org.reprolab.tornado.jvm;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinTask;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

/**
 * The jvm device's own ForkJoin pool. A dedicated pool (not the common one) keeps notebook code that
 * uses parallel streams from competing with kernels for workers (acceleration.md §3.2). Work is cut
 * into ranges whose boundaries depend only on the problem size and a grain, never on timing, so
 * results (including reduction order) do not depend on scheduling.
 *
 * <p>Interruption: a notebook's "interrupt kernel" interrupts the thread that called the device. Each
 * piece runs in slices of {@code grain} elements (in order, on one thread, so the result is the same as
 * one call over the piece) and checks that thread's flag before every slice, so a long kernel stops
 * within one slice of work (a millisecond or so) with a {@link CancellationException}; long bodies (the
 * GEMM's row panels) also call {@link #checkInterrupt} themselves. The flag is left set so that the
 * caller's own loops see it too.
 */
final class Parallel {
    /** A body run on {@code [from, to)}. */
    @FunctionalInterface
    interface Range {
        void run(int from, int to);
    }

    /**
     * One kernel launch as its pieces see it: the thread that called the device, whose interrupt flag
     * stops them. The caller waits for the pieces without ever clearing that flag ({@link #invokeAll}).
     */
    static final class Launch {
        final Thread caller;

        Launch(Thread caller) {
            this.caller = caller;
        }

        boolean stopped() {
            return caller.isInterrupted();
        }
    }

    /** The launch whose pieces the current thread is running (null outside kernels). */
    private static final ThreadLocal<Launch> CURRENT = new ThreadLocal<>();

    private final ForkJoinPool pool;
    private final int parallelism;
    /** The GEMM's spinning team (caller plus {@code parallelism - 1} helpers), made on first use. */
    private volatile SpinTeam team;

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
     * Runs {@code count} independent tasks {@code body(t, t + 1)} whose results do not depend on the
     * thread that runs them, on the calling thread and spinning helpers ({@link SpinTeam}): for short
     * kernels, where waking the pool's parked workers costs as much as the work. Falls back to the pool
     * when the team is serving another thread's call.
     */
    void forTasks(int count, Range body) {
        if (count <= 1 || parallelism == 1) {
            sliced(launch(), 0, count, 1, body);
            return;
        }
        if (!team().tryRun(count, body)) forEach(count, body);
    }

    private SpinTeam team() {
        SpinTeam t = team;
        if (t == null)
            synchronized (this) {
                if ((t = team) == null) team = t = new SpinTeam(parallelism, "reprolab-jvm-team");
            }
        return t;
    }

    /**
     * Runs {@code body} over {@code [0, n)} in slices of about {@code grain} elements whose starts are
     * multiples of {@code align}, with an interrupt check before each; small problems run on the calling
     * thread. The slices are the tasks of the spinning team ({@link #forTasks}), claimed one at a time by
     * the caller and the helpers: an element-wise kernel of an MLP step lasts tens of microseconds, about
     * what waking the pool's parked workers and then the caller cost (a 256 x 512 bias add took 35-85 us
     * through the pool). When the team is serving another thread, the pool runs them in at most four
     * pieces per thread.
     */
    void forRange(int n, int grain, int align, Range body) {
        if (n <= 0) return;
        Launch launch = launch();
        int slice = (int) Math.min(Integer.MAX_VALUE, ((long) Math.max(1, grain) + align - 1) / align * align);
        int pieces = (int) Math.min((n + (long) grain - 1) / grain, 4L * parallelism);
        if (pieces <= 1 || parallelism == 1) {
            sliced(launch, 0, n, slice, body);
            return;
        }
        int slices = (int) ((n + (long) slice - 1) / slice);
        if (team().tryRun(slices, (t, end) -> body.run((int) ((long) t * slice), (int) Math.min(n, (long) (t + 1) * slice)))) return;
        long step = (n + (long) pieces - 1) / pieces;
        step = (step + align - 1) / align * align;
        List<ForkJoinTask<?>> tasks = new ArrayList<>(pieces);
        for (long from = 0; from < n; from += step) {
            int f = (int) from, t = (int) Math.min(n, from + step);
            tasks.add(ForkJoinTask.adapt(() -> sliced(launch, f, t, slice, body)));
        }
        invokeAll(tasks);
    }

    /** Runs {@code count} independent tasks {@code body(i, i+1)}. */
    void forEach(int count, Range body) {
        if (count <= 0) return;
        Launch launch = launch();
        if (count == 1 || parallelism == 1) {
            sliced(launch, 0, count, 1, body);
            return;
        }
        List<ForkJoinTask<?>> tasks = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            int f = i;
            tasks.add(ForkJoinTask.adapt(() -> sliced(launch, f, f + 1, 1, body)));
        }
        invokeAll(tasks);
    }

    /**
     * Throws {@link CancellationException} if the thread that launched the running kernel (the current
     * thread outside the pool) has been interrupted; for kernel bodies whose slices are long.
     */
    static void checkInterrupt(String where) {
        Launch l = CURRENT.get();
        if (l == null ? Thread.currentThread().isInterrupted() : l.stopped())
            throw new CancellationException("interrupted during " + where + " on the jvm device");
    }

    /** The enclosing launch for a kernel started inside a piece, else a new one for the current thread. */
    static Launch launch() {
        Launch l = CURRENT.get();
        return l != null ? l : new Launch(Thread.currentThread());
    }

    /** {@code body} over {@code [from, to)} in slices, in order, checking for an interrupt before each. */
    static void sliced(Launch launch, int from, int to, int slice, Range body) {
        Launch prev = CURRENT.get();
        CURRENT.set(launch);
        try {
            for (int f = from; f < to; ) {
                int t = (int) Math.min(to, (long) f + slice);
                checkInterrupt("a kernel");
                body.run(f, t);
                f = t;
            }
        } finally {
            CURRENT.set(prev); // not remove(): the next launch's get() would allocate the thread's entry again
        }
    }

    /**
     * Runs the pieces while the launching thread waits. The wait parks with {@link LockSupport}, which
     * returns on an interrupt and leaves the flag set, so the pieces see it at their next check and stop;
     * the launch then throws a {@link CancellationException} with the flag still set.
     *
     * <p>Why not {@code ForkJoinTask.get()}: when the interrupt and the task's completion race, {@code get}
     * (JDK 25) clears the flag, sees the task done and returns normally, so the interrupt is lost and the
     * caller's loop runs on (InterruptTest lost about one interrupt in 200 that way, 2026-12-07).
     */
    private void invokeAll(List<ForkJoinTask<?>> tasks) {
        if (ForkJoinTask.getPool() == pool) { // nested in a piece: that piece's launch already decides
            ForkJoinTask.invokeAll(tasks);
            return;
        }
        Thread waiter = Thread.currentThread(); // the caller, or a SpinTeam helper running one of its tasks
        AtomicBoolean finished = new AtomicBoolean();
        ForkJoinTask<?> all = ForkJoinTask.adapt(() -> {
            try {
                ForkJoinTask.invokeAll(tasks);
            } finally {
                finished.set(true);
                LockSupport.unpark(waiter);
            }
        });
        pool.execute(all);
        while (!finished.get()) {
            if (waiter.isInterrupted()) Thread.onSpinWait(); // park would return at once: the pieces are stopping
            else LockSupport.park(all);
        }
        all.quietlyJoin(); // its body has returned; this only waits for the status, and keeps the flag
        Throwable e = all.getException();
        if (e == null) return;
        if (e instanceof CancellationException || e.getCause() instanceof CancellationException) throw stopped(e); // a piece saw the caller's flag, which stays set
        if (e instanceof RuntimeException r) throw r;
        if (e instanceof Error r) throw r;
        throw new IllegalStateException(e);
    }

    /**
     * The exception for a stopped launch, keeping what a piece said it was doing (the pool may report a
     * piece's exception as a copy without its message).
     */
    private static CancellationException stopped(Throwable fromPiece) {
        for (Throwable t = fromPiece; t != null; t = t.getCause())
            if (t.getMessage() != null && t.getMessage().startsWith("interrupted during")) return new CancellationException(t.getMessage());
        return new CancellationException("interrupted during a kernel on the jvm device");
    }
}
