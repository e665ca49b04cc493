package org.reprolab.tensor;

import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;

/**
 * The elements behind a tensor: a tornado {@link Buffer} on one {@link Device}. Tensors are strided
 * views over a storage, so reshape/transpose/slice share it. On the {@code jvm} device the buffer
 * wraps a Java array (see {@link Device#wrap}), so host-built tensors cost no copy.
 *
 * <p>A <em>constant</em> storage is a one-element value known on the host ({@code x.mul(2)}'s 2):
 * kernels receive it as a scalar parameter instead of a broadcast buffer, and its buffer is only
 * allocated if someone reads it as data. Constants are internal to ops and never written.
 */
final class Storage {
    final Device device;
    final DType dtype;
    private Buffer buffer;
    private final boolean constant;
    private final double value;

    private Storage(Device device, DType dtype, Buffer buffer, boolean constant, double value) {
        this.device = device;
        this.dtype = dtype;
        this.buffer = buffer;
        this.constant = constant;
        this.value = value;
    }

    /** A fresh zero-filled storage. */
    static Storage allocate(Device d, DType t, int n) {
        return new Storage(d, t, d.allocate(t.tornado(), n), false, 0);
    }

    /** Storage over {@code a} (the array itself on the jvm device, an upload elsewhere). */
    static Storage wrap(Device d, double[] a) {
        return new Storage(d, DType.F64, d.wrap(a), false, 0);
    }

    static Storage wrap(Device d, float[] a) {
        return new Storage(d, DType.F32, d.wrap(a), false, 0);
    }

    /** Storage adopting a buffer (its dtype decides the tensor's). */
    static Storage of(Buffer b) {
        return new Storage(b.device(), DType.of(b.dtype()), b, false, 0);
    }

    /** A one-element host constant, rounded to {@code t}. */
    static Storage constant(Device d, DType t, double v) {
        return new Storage(d, t, null, true, t == DType.F32 ? (float) v : v);
    }

    boolean isConstant() {
        return constant;
    }

    /** The value of a constant storage. */
    double constantValue() {
        return value;
    }

    synchronized Buffer buffer() {
        if (buffer == null) {
            buffer = device.allocate(dtype.tornado(), 1);
            device.fill(buffer, 0, 1, value);
        }
        return buffer;
    }

    int size() {
        return constant ? 1 : buffer.length();
    }

    /** One element, read to the host (waits for the device). */
    double get(int i) {
        if (constant) {
            return value;
        }
        double[] r = new double[1];
        buffer.read(i, r, 0, 1);
        return r[0];
    }
}
