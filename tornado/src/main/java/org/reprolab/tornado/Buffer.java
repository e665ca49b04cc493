package org.reprolab.tornado;

/**
 * A block of device memory holding {@link #length()} elements of one {@link ElementType}. Buffers are
 * created by {@link Device#allocate}, start zero-filled, and stay on their device until closed: the
 * host sees their contents only through {@code read}/{@code write}, which are the explicit copy-in
 * and copy-out of TornadoVM's model.
 *
 * <p>Reads and writes convert between the host array's type and the buffer's type (a {@code double[]}
 * written to an f32 buffer is rounded to float). Offsets and counts are in elements. Reads wait for
 * all work queued on the device before them.
 */
public interface Buffer extends AutoCloseable {

    Device device();

    ElementType dtype();

    int length();

    /** Copies {@code count} elements from {@code src[srcOffset..]} into this buffer at {@code offset}. */
    void write(int offset, float[] src, int srcOffset, int count);

    void write(int offset, double[] src, int srcOffset, int count);

    /** Copies {@code count} elements at {@code offset} into {@code dst[dstOffset..]}. */
    void read(int offset, float[] dst, int dstOffset, int count);

    void read(int offset, double[] dst, int dstOffset, int count);

    /**
     * The live Java array behind an F32 buffer whose memory is the Java heap (the {@code jvm} device),
     * or null where the device has memory of its own. Host code on the jvm device reads and writes it
     * in place with no copy; writes are seen by every kernel that runs afterwards.
     */
    default float[] heapFloats() {
        return null;
    }

    /** The live Java array behind an F64 heap buffer; see {@link #heapFloats()}. */
    default double[] heapDoubles() {
        return null;
    }

    /** Whether {@link #close()} was called; a closed buffer refuses every operation. */
    boolean isClosed();

    /** Frees the device memory now (a Cleaner frees it later otherwise). Idempotent. */
    @Override
    void close();

    default void write(float[] src) {
        Validate.hostTransfer("write", this, 0, src.length, src.length, 0);
        write(0, src, 0, src.length);
    }

    default void write(double[] src) {
        Validate.hostTransfer("write", this, 0, src.length, src.length, 0);
        write(0, src, 0, src.length);
    }

    default float[] toFloatArray() {
        float[] out = new float[length()];
        read(0, out, 0, out.length);
        return out;
    }

    default double[] toDoubleArray() {
        double[] out = new double[length()];
        read(0, out, 0, out.length);
        return out;
    }
}
