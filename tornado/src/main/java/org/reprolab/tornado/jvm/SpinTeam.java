package org.reprolab.tornado.jvm;

import java.util.concurrent.CancellationException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The calling thread plus {@code size - 1} helper threads for kernels made of independent tasks whose
 * results do not depend on which thread runs them (the GEMM's blocks of C, the slices of element-wise kernels,
 * reductions and fills through {@link Parallel#forRange}). The caller works too, every
 * thread claims the next task from a shared counter, and a helper that finishes spins for
 * {@link #SPIN_NANOS} before it parks, so back-to-back calls find it awake. Through the device's
 * ForkJoin pool a call costs a submission, a parked worker's wake-up for each piece and the caller's
 * wake-up at the end, each tens of microseconds on this VM: at 256^2 in f32 (about 85 us of work at the
 * peer's rate) that hand-off was half the time (docs/performance.md). OpenBLAS keeps its threads
 * spinning between calls for the same reason (its {@code THREAD_TIMEOUT}).
 *
 * <p>Dynamic claiming also makes the team robust: a helper that is descheduled, parked, or has retired
 * after {@link #KEEP_ALIVE_NANOS} idle leaves its tasks to the caller, which never waits for a task
 * nobody started. One launch at a time: a call that finds the team busy (another thread's kernel)
 * returns false and the caller uses the pool instead.
 *
 * <p>Interruption follows {@link Parallel}: each task runs as one slice under the caller's launch, whose
 * interrupt flag the tasks' own checks read; an interrupted call waits for the running tasks to stop,
 * leaves the flag set and throws a {@link CancellationException}.
 */
final class SpinTeam implements AutoCloseable {
    /**
     * How long an idle helper spins before parking. Back-to-back calls come within microseconds; 20 us
     * and 100 us measured alike at 256^2 and 192^3 (docs/performance.md), and the shorter spin wastes
     * less of a core after the last call of a burst.
     */
    static final long SPIN_NANOS = Long.getLong("reprolab.jvm.spinMicros", 20) * 1000;
    /**
     * How long the caller, its own tasks done, spins for the helpers' last ones before parking: at most
     * one task's length, and a park there costs a wake-up (tens of microseconds) on every large call.
     */
    private static final long WAIT_SPIN_NANOS = 1_000_000;
    /** How long a parked helper waits for work before its thread ends (restarted on the next call). */
    private static final long KEEP_ALIVE_NANOS = 10_000_000_000L;

    /** One call: its body, its task counter, the tasks not yet finished and the first failure. */
    private static final class Job {
        final Parallel.Range body;
        final int count;
        final Parallel.Launch launch;
        final Thread caller = Thread.currentThread();
        final AtomicInteger next = new AtomicInteger(), pending;
        volatile Throwable failure;

        Job(Parallel.Range body, int count, Parallel.Launch launch) {
            this.body = body;
            this.count = count;
            this.launch = launch;
            this.pending = new AtomicInteger(count);
        }

        /** Claims and runs tasks until none is left; the thread that finishes the last wakes the caller. */
        void work() {
            for (int t; (t = next.getAndIncrement()) < count; ) {
                try {
                    if (failure == null) Parallel.sliced(launch, t, t + 1, 1, body);
                } catch (Throwable e) {
                    if (failure == null) failure = e;
                }
                if (pending.decrementAndGet() == 0 && Thread.currentThread() != caller) LockSupport.unpark(caller);
            }
        }
    }

    private final String name;
    private final Thread[] helpers;
    private final AtomicBoolean busy = new AtomicBoolean();
    private volatile Job current;
    private volatile boolean closed;

    SpinTeam(int size, String name) {
        if (size < 1) throw new IllegalArgumentException("a team needs at least the calling thread, got size " + size);
        this.name = name;
        this.helpers = new Thread[size - 1];
    }

    int size() {
        return helpers.length + 1;
    }

    /**
     * Runs {@code body(t, t + 1)} for every task {@code t < count} on the caller and the helpers and
     * returns true, or returns false without running anything if the team is serving another call.
     */
    boolean tryRun(int count, Parallel.Range body) {
        if (count <= 0) return true;
        if (!busy.compareAndSet(false, true)) return false;
        try {
            Job job = new Job(body, count, Parallel.launch());
            current = job;
            if (count > 1) wakeHelpers();
            job.work();
            awaitHelpers(job);
            Throwable f = job.failure;
            if (f instanceof CancellationException c) {
                Thread.currentThread().interrupt(); // tasks throw only when it was set; keep it for the caller's loops
                throw new CancellationException(c.getMessage());
            }
            if (f instanceof RuntimeException r) throw r;
            if (f instanceof Error e) throw e;
            return true;
        } finally {
            current = null; // the body holds the operands: do not keep them reachable between calls
            busy.set(false);
        }
    }

    /** Ends the helpers; later calls run every task on the calling thread. */
    @Override
    public void close() {
        closed = true;
        for (Thread h : helpers) if (h != null) LockSupport.unpark(h);
    }

    /** Helper threads, for tests: those alive now. */
    int aliveHelpers() {
        int n = 0;
        for (Thread h : helpers) if (h != null && h.isAlive()) n++;
        return n;
    }

    private void wakeHelpers() {
        if (closed) return;
        for (int i = 0; i < helpers.length; i++) {
            Thread h = helpers[i];
            if (h == null || !h.isAlive()) { // first call, or retired after the keep-alive
                h = new Thread(this::helperLoop, name + "-" + (i + 1));
                h.setDaemon(true);
                helpers[i] = h;
                h.start();
            } else {
                LockSupport.unpark(h);
            }
        }
    }

    /** The caller, its own tasks done, waits for the helpers' last ones: spins briefly, then parks. */
    private static void awaitHelpers(Job job) {
        long start = System.nanoTime();
        while (job.pending.get() > 0) {
            if (System.nanoTime() - start < WAIT_SPIN_NANOS) Thread.onSpinWait();
            else LockSupport.parkNanos(job, 1_000_000); // unparked by the last task; an interrupt returns at once
        }
    }

    private void helperLoop() {
        Job done = null; // a job posted before this thread started is served too (a finished one has no task left)
        long idleSince = System.nanoTime();
        while (!closed) {
            Job job = current;
            if (job != null && job != done) {
                job.work();
                done = job;
                idleSince = System.nanoTime();
                continue;
            }
            long idle = System.nanoTime() - idleSince;
            if (idle < SPIN_NANOS) Thread.onSpinWait();
            else if (idle > KEEP_ALIVE_NANOS) return; // a job posted now is done by its caller; the next call restarts this thread
            else LockSupport.parkNanos(this, KEEP_ALIVE_NANOS);
        }
    }
}
