package org.reprolab.tornado;

import java.util.Arrays;

/**
 * How a kernel reads or writes one buffer over a launch shape: element {@code idx} of the launch
 * (a multi-index over {@code shape}) lives at {@code offset + sum(idx[d] * strides[d])}. A stride of
 * 0 broadcasts along that axis, so bias adds and views (transpose, slice) run without copies.
 * {@code strides == null} means contiguous row-major from {@code offset}, which devices run on their
 * fastest path.
 *
 * @param buffer  the buffer
 * @param offset  first element, in elements
 * @param strides per-axis strides in elements (same rank as the launch shape), or null for contiguous
 */
public record Operand(Buffer buffer, int offset, int[] strides) {

    public Operand {
        if (buffer == null) throw new IllegalArgumentException("operand buffer is null");
        if (offset < 0) throw new IllegalArgumentException("operand offset is negative: " + offset);
        strides = strides == null ? null : strides.clone();
    }

    /** The whole buffer, contiguous from element 0. */
    public static Operand of(Buffer buffer) {
        return new Operand(buffer, 0, null);
    }

    /** Contiguous from {@code offset}. */
    public static Operand of(Buffer buffer, int offset) {
        return new Operand(buffer, offset, null);
    }

    /** A strided view; use stride 0 to broadcast along an axis. */
    public static Operand strided(Buffer buffer, int offset, int... strides) {
        return new Operand(buffer, offset, strides);
    }

    @Override
    public int[] strides() {
        return strides == null ? null : strides.clone();
    }

    /** Whether this operand reads/writes {@code offset .. offset+n} in order for the given shape. */
    public boolean isContiguous(int[] shape) {
        if (strides == null) return true;
        int expected = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expected) return false;
            expected *= shape[d];
        }
        return true;
    }

    /** The largest element index touched over {@code shape} (or offset-1 for an empty shape). */
    public long maxIndex(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return offset - 1L;
        if (strides == null) return offset + n - 1;
        long max = offset;
        for (int d = 0; d < shape.length; d++) max += (long) (shape[d] - 1) * Math.max(0, strides[d]);
        return max;
    }

    @Override
    public String toString() {
        return "Operand[" + buffer.dtype() + "x" + buffer.length() + " on " + buffer.device().name()
                + ", offset=" + offset + (strides == null ? "" : ", strides=" + Arrays.toString(strides)) + "]";
    }
}
