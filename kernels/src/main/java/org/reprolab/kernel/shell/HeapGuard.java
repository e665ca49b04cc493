package org.reprolab.kernel.shell;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * Stops a cell before it fills the heap. When the heap is full, every thread's next allocation
 * can fail, not only the cell's: in issue 13 the kernel's heartbeat, ZeroMQ and flusher threads
 * died of {@link OutOfMemoryError} while a cell filled a {@code List<double[]>}, and the kernel
 * stopped answering. So while a cell runs, a watchdog looks at the old generation every
 * {@link #POLL_MILLIS} ms (every millisecond once it is {@link #WATCH_CLOSELY} full); when it holds more than {@link #FULL_FRACTION} of its limit, a full
 * collection tells garbage from live data, and if the live data alone is still above the line, the
 * {@link HeapReserve} is given back and the cell is stopped. The session reports that as the
 * out-of-memory error it was about to become and drops the cell's variables.
 *
 * <p>(A collection-usage threshold notification came too late: G1 updates the old generation's
 * after-collection usage only at mixed or full collections, by which time the heap is full.)
 */
final class HeapGuard implements AutoCloseable {

    static final double FULL_FRACTION = 0.85;
    static final long POLL_MILLIS = 10;
    /** Above this share of the limit the watchdog looks every millisecond: a fill loop outruns 10 ms. */
    static final double WATCH_CLOSELY = 0.6;

    /**
     * The old generation (G1 Old Gen, Serial's Tenured Gen, Parallel's PS Old Gen): the heap pools
     * with a limit that support a usage threshold. Young pools do not, and an eden is full before
     * every young collection, which says nothing about live data.
     */
    private final List<MemoryPoolMXBean> pools = ManagementFactory.getMemoryPoolMXBeans().stream()
            .filter(p -> p.getType() == MemoryType.HEAP && p.isUsageThresholdSupported() && p.getUsage().getMax() > 0)
            .toList();
    private final Thread watchdog;
    private volatile boolean closed;

    private HeapGuard(BooleanSupplier cellRunning, Runnable stopCell) {
        watchdog = Thread.ofPlatform().daemon().name("reprolab-heap-guard").unstarted(() -> run(cellRunning, stopCell));
    }

    /** Starts watching: {@code stopCell} runs when a running cell's live data fills the heap. */
    static HeapGuard watch(BooleanSupplier cellRunning, Runnable stopCell) {
        HeapGuard guard = new HeapGuard(cellRunning, stopCell);
        guard.watchdog.start();
        return guard;
    }

    private void run(BooleanSupplier cellRunning, Runnable stopCell) {
        // after a collection shows garbage, wait for another 5% before collecting again
        double collectAbove = FULL_FRACTION;
        double fullness = 0;
        while (!closed) {
            try {
                Thread.sleep(fullness > WATCH_CLOSELY ? 1 : POLL_MILLIS);
                if (!cellRunning.getAsBoolean()) {
                    collectAbove = FULL_FRACTION;
                    fullness = 0;
                    continue;
                }
                fullness = fullness();
                if (fullness > collectAbove) {
                    System.gc();
                    double live = fullness();
                    if (live > FULL_FRACTION && cellRunning.getAsBoolean()) {
                        HeapReserve.release();
                        stopCell.run();
                    }
                    collectAbove = Math.max(FULL_FRACTION, live + 0.05);
                }
            } catch (InterruptedException e) {
                return;
            } catch (OutOfMemoryError e) {
                // the heap filled faster than we looked: the cell's own error will say so
                HeapReserve.release();
            }
        }
    }

    /** How full the old generation is, as a share of its limit. */
    private double fullness() {
        double fullest = 0;
        for (MemoryPoolMXBean pool : pools) {
            var usage = pool.getUsage();
            fullest = Math.max(fullest, usage.getUsed() / (double) usage.getMax());
        }
        return fullest;
    }

    @Override
    public void close() {
        closed = true;
        watchdog.interrupt();
    }
}
