package org.reprolab.kernel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A long session must not grow with every cell: issue 13 measured about 157 KB of heap kept per
 * trivial cell (JShell imported every earlier {@code $n} result into each new snippet, so each
 * cell cost more than the last). The bar is 20 KB per cell after a full GC, in the first and in
 * the second half of the run alike (a growing cost would show in the second half). The default
 * 1,000 cells take well under a minute; {@code -Dreprolab.soak.cells=5000} runs the soak.
 */
class CellMemorySoakTest {

    static final long MAX_BYTES_PER_CELL = 20 * 1024;

    @Test
    void aTrivialCellKeepsAtMostTwentyKilobytesOfHeap() {
        int cells = Integer.getInteger("reprolab.soak.cells", 1_000);
        try (JShellSession session = JShellSession.start(org.reprolab.kernel.TestClasspath.get(), List.of(),
                System.out, System.err, System.in)) {
            for (int i = 0; i < 200; i++) {
                session.eval("1 + 1");
            }
            long start = retainedHeap();
            long began = System.nanoTime();
            for (int i = 0; i < cells / 2; i++) {
                assertEquals(2, session.eval("1 + 1").value());
            }
            long middle = retainedHeap();
            for (int i = cells / 2; i < cells; i++) {
                session.eval("1 + 1");
            }
            long end = retainedHeap();
            double seconds = (System.nanoTime() - began) / 1e9;
            double firstHalf = (middle - start) / (double) (cells / 2);
            double secondHalf = (end - middle) / (double) (cells - cells / 2);
            System.out.printf("soak: %d cells in %.1f s (%.1f ms/cell), heap kept %.1f KB/cell (first half), %.1f KB/cell (second half)%n",
                    cells, seconds, 1000 * seconds / cells, firstHalf / 1024, secondHalf / 1024);
            assertTrue(firstHalf <= MAX_BYTES_PER_CELL, firstHalf / 1024 + " KB per cell in the first half");
            assertTrue(secondHalf <= MAX_BYTES_PER_CELL, secondHalf / 1024 + " KB per cell in the second half");
        }
    }

    private static long retainedHeap() {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
