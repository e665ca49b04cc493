package org.reprolab.kernel.shell;

/** Stands for a long library loop (an optimizer run) that checks for interruption. */
public final class LibraryLoop {
    private LibraryLoop() {}

    public static long spinUntilInterrupted() {
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            n++;
        }
        throw new IllegalStateException("interrupted after " + n + " spins");
    }

    /** Stands for a library call that handles an interrupt by returning what it has (Lab's run() and its partial runs). */
    public static String partialOnInterrupt() {
        long n = 0;
        while (!Thread.currentThread().isInterrupted()) {
            n++;
        }
        return "partial after " + (n > 0 ? "some" : "no") + " spins";
    }
}
