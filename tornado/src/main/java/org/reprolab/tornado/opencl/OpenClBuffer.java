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
        device.write(this, offset, dtype == ElementType.F32 ? Pointer.to(src).withByteOffset(4L * srcOffset)
                : Pointer.to(widen(src, srcOffset, count)), count);
    }

    @Override
    public void write(int offset, double[] src, int srcOffset, int count) {
        Validate.hostTransfer("write", this, offset, count, src.length, srcOffset);
        device.write(this, offset, dtype == ElementType.F64 ? Pointer.to(src).withByteOffset(8L * srcOffset)
                : Pointer.to(narrow(src, srcOffset, count)), count);
    }

    @Override
    public void read(int offset, float[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F32) device.read(this, offset, Pointer.to(dst).withByteOffset(4L * dstOffset), count);
        else System.arraycopy(narrow(readF64(offset, count), 0, count), 0, dst, dstOffset, count);
    }

    @Override
    public void read(int offset, double[] dst, int dstOffset, int count) {
        Validate.hostTransfer("read", this, offset, count, dst.length, dstOffset);
        if (dtype == ElementType.F64) device.read(this, offset, Pointer.to(dst).withByteOffset(8L * dstOffset), count);
        else System.arraycopy(widen(readF32(offset, count), 0, count), 0, dst, dstOffset, count);
    }

    private double[] readF64(int offset, int count) {
        double[] d = new double[count];
        device.read(this, offset, Pointer.to(d), count);
        return d;
    }

    private float[] readF32(int offset, int count) {
        float[] f = new float[count];
        device.read(this, offset, Pointer.to(f), count);
        return f;
    }

    private static double[] widen(float[] x, int offset, int count) {
        double[] d = new double[count];
        for (int i = 0; i < count; i++) d[i] = x[offset + i];
        return d;
    }

    private static float[] narrow(double[] x, int offset, int count) {
        float[] f = new float[count];
        for (int i = 0; i < count; i++) f[i] = (float) x[offset + i];
        return f;
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
