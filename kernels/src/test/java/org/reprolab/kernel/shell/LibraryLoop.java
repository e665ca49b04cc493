package org.reprolab.kernel.shell;

/** Stands for a long library loop (an optimizer run) that checks for interruption. */
public final class LibraryLoop {
    /** A permit for each loop that has started spinning: a test interrupts once the loop runs, not while its cell compiles. */
    public static final java.util.concurrent.Semaphore SPINNING = new java.util.concurrent.Semaphore(0);

    private LibraryLoop() {}

    public static long spinUntilInterrupted() {
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            if (++n == 1000) {
                SPINNING.release();
            }
        }
        throw new IllegalStateException("interrupted after " + n + " spins");
    }

    /** Stands for a library call that handles an interrupt by returning what it has (Lab's run() and its partial runs). */
    public static String partialOnInterrupt() {
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            if (++n == 1000) {
                SPINNING.release();
            }
        }
        return "partial after " + (n > 0 ? "some" : "no") + " spins";
    }
}
