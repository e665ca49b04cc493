package org.reprolab.tornado.jvm;

import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.Validate;

/** A jvm-device buffer: a Java heap array ({@code float[]} or {@code double[]}); transfers are array copies. */
final class JvmBuffer implements Buffer {
    private final JvmDevice device;
    private final ElementType dtype;
    private final int length;
    private float[] f;
    private double[] d;

    JvmBuffer(JvmDevice device, ElementType dtype, int length) {
        if (length < 0) throw new DeviceException("allocate: negative length " + length);
        this.device = device;
        this.dtype = dtype;
        this.length = length;
        if (dtype == ElementType.F32) f = new float[length];
        else d = new double[length];
    }

    /** A buffer over {@code data} itself (no copy). */
    JvmBuffer(JvmDevice device, float[] data) {
        this.device = device;
        this.dtype = ElementType.F32;
        this.length = data.length;
        this.f = data;
    }

    JvmBuffer(JvmDevice device, double[] data) {
        this.device = device;
        this.dtype = ElementType.F64;
        this.length = data.length;
        this.d = data;
    }

    @Override
    public float[] heapFloats() {
        return dtype == ElementType.F32 ? f32() : null;
    }

    @Override
    public double[] heapDoubles() {
        return dtype == ElementType.F64 ? f64() : null;
    }

    float[] f32() {
        if (f == null) throw closedOr("f32");
        return f;
    }

    double[] f64() {
        if (d == null) throw closedOr("f64");
        return d;
    }

    private DeviceException closedOr(String want) {
        return isClosed() ? new DeviceException("buffer was closed") : new DeviceException("buffer is " + dtype + ", not " + want);
    }

    @Override public Device device() { return device; }
    @Override public ElementType dtype() { return dtype; }
    @Override public int length() { return length; }
    @Override public boolean isClosed() { return f == null && d == null; }

    @Override
    public void write(int offset, float[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        device.countTransfer(count);
        copy(src, srcOffset, storage(), offset, count);
    }

    @Override
    public void write(int offset, double[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        device.countTransfer(count);
        copy(src, srcOffset, storage(), offset, count);
    }

    @Override
    public void read(int offset, float[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        device.countTransfer(count);
        copy(storage(), offset, dst, dstOffset, count);
    }

    @Override
    public void read(int offset, double[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        device.countTransfer(count);
        copy(storage(), offset, dst, dstOffset, count);
    }

    /** Device-side conversion from another heap buffer's array (not a host transfer: {@link JvmDevice#convert}). */
    void convertFrom(JvmBuffer src, int srcOffset, int offset, int count) {
        copy(src.storage(), srcOffset, storage(), offset, count);
    }

    /** The heap array, {@code float[]} or {@code double[]} by dtype. */
    private Object storage() {
        return dtype == ElementType.F32 ? f32() : f64();
    }

    /** Copies {@code count} elements between {@code float[]}/{@code double[]} arrays, rounding to float where needed. */
    private static void copy(Object src, int srcOffset, Object dst, int dstOffset, int count) {
        switch (src) {
            case float[] s when dst instanceof double[] t -> { for (int i = 0; i < count; i++) t[dstOffset + i] = s[srcOffset + i]; }
            case double[] s when dst instanceof float[] t -> { for (int i = 0; i < count; i++) t[dstOffset + i] = (float) s[srcOffset + i]; }
            default -> System.arraycopy(src, srcOffset, dst, dstOffset, count);
        }
    }

    @Override
    public void close() {
        f = null;
        d = null;
    }

    @Override
    public String toString() {
        return "JvmBuffer[" + dtype + " x " + length + (isClosed() ? ", closed" : "") + "]";
    }
}
