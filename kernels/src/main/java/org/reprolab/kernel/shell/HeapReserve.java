package org.reprolab.kernel.shell;

/**
 * A block of heap held back from notebook code. When a cell fills the heap, the first
 * {@link OutOfMemoryError} seen on the snippet's thread gives it back, so that the kernel's own
 * threads (which must build the error report, reply and answer heartbeats) find memory even while
 * the cell's data is still reachable. The kernel takes it again after the cell ended.
 */
final class HeapReserve {

    /** 5% of the heap limit, between 8 and 64 MiB: enough for replies and tracebacks, small enough not to matter. */
    private static final int SIZE = (int) Math.clamp(Runtime.getRuntime().maxMemory() / 20, 8L << 20, 64L << 20);

    private static volatile byte[] reserve;

    private HeapReserve() {}

    /** Takes the reserve if it is not held; gives up quietly when the heap has no room for it. */
    static void hold() {
        if (reserve == null) {
            try {
                reserve = new byte[SIZE];
            } catch (OutOfMemoryError e) {
                reserve = null;
            }
        }
    }

    static void release() {
        reserve = null;
    }

    static boolean held() {
        return reserve != null;
    }
}
