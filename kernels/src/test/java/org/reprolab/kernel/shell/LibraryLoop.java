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
}
