package org.reprolab.tornado.opencl;

import java.lang.ref.Cleaner;
import org.jocl.CL;
import org.jocl.Pointer;
import org.jocl.cl_mem;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.Validate;

/**
 * An OpenCL buffer ({@code cl_mem}). Transfers are blocking {@code clEnqueueRead/WriteBuffer} calls on
 * the device's in-order queue, so they see all earlier kernels. A {@link Cleaner} releases the memory
 * if the buffer becomes unreachable without {@link #close()}.
 */
final class OpenClBuffer implements Buffer {
    private static final Cleaner CLEANER = Cleaner.create();

    /** Holds the handle for the Cleaner; must not reference the buffer. */
    private static final class Release implements Runnable {
        private cl_mem mem;

        Release(cl_mem mem) {
            this.mem = mem;
        }

        @Override
        public synchronized void run() {
            if (mem != null) {
                CL.clReleaseMemObject(mem);
                mem = null;
            }
        }
    }

    private final OpenClDevice device;
    private final ElementType dtype;
    private final int length;
    private final Release release;
    private final Cleaner.Cleanable cleanable;
    private volatile boolean closed;
    final cl_mem mem;

    OpenClBuffer(OpenClDevice device, ElementType dtype, int length, cl_mem mem) {
        this.device = device;
        this.dtype = dtype;
        this.length = length;
        this.mem = mem;
        this.release = new Release(mem);
        this.cleanable = CLEANER.register(this, release);
    }

    @Override public Device device() { return device; }
    @Override public ElementType dtype() { return dtype; }
    @Override public int length() { return length; }
    @Override public boolean isClosed() { return closed; }

    @Override
    public void write(int offset, float[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        if (dtype == ElementType.F32) device.write(this, offset, Pointer.to(src).withByteOffset(4L * srcOffset), count);
        else {
            double[] d = new double[count];
            for (int i = 0; i < count; i++) d[i] = src[srcOffset + i];
            device.write(this, offset, Pointer.to(d), count);
        }
    }

    @Override
    public void write(int offset, double[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        if (dtype == ElementType.F64) device.write(this, offset, Pointer.to(src).withByteOffset(8L * srcOffset), count);
        else {
            float[] f = new float[count];
            for (int i = 0; i < count; i++) f[i] = (float) src[srcOffset + i];
            device.write(this, offset, Pointer.to(f), count);
        }
    }

    @Override
    public void read(int offset, float[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F32) device.read(this, offset, Pointer.to(dst).withByteOffset(4L * dstOffset), count);
        else {
            double[] d = new double[count];
            device.read(this, offset, Pointer.to(d), count);
            for (int i = 0; i < count; i++) dst[dstOffset + i] = (float) d[i];
        }
    }

    @Override
    public void read(int offset, double[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F64) device.read(this, offset, Pointer.to(dst).withByteOffset(8L * dstOffset), count);
        else {
            float[] f = new float[count];
            device.read(this, offset, Pointer.to(f), count);
            for (int i = 0; i < count; i++) dst[dstOffset + i] = f[i];
        }
    }

    @Override
    public void close() {
        if (closed) return;
        closed = true;
        cleanable.clean();
    }

    @Override
    public String toString() {
        return "OpenClBuffer[" + dtype + " x " + length + (closed ? ", closed" : "") + "]";
    }

    static DeviceException tooBig(long bytes, long max) {
        return new DeviceException("allocate: " + bytes + " bytes exceeds the device's max allocation of " + max + " bytes");
    }
}
