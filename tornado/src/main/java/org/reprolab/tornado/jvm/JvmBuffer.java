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
        if (dtype == ElementType.F32) System.arraycopy(src, srcOffset, f, offset, count);
        else for (int i = 0; i < count; i++) d[offset + i] = src[srcOffset + i];
    }

    @Override
    public void write(int offset, double[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        if (dtype == ElementType.F64) System.arraycopy(src, srcOffset, d, offset, count);
        else for (int i = 0; i < count; i++) f[offset + i] = (float) src[srcOffset + i];
    }

    @Override
    public void read(int offset, float[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F32) System.arraycopy(f, offset, dst, dstOffset, count);
        else for (int i = 0; i < count; i++) dst[dstOffset + i] = (float) d[offset + i];
    }

    @Override
    public void read(int offset, double[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F64) System.arraycopy(d, offset, dst, dstOffset, count);
        else for (int i = 0; i < count; i++) dst[dstOffset + i] = f[offset + i];
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
