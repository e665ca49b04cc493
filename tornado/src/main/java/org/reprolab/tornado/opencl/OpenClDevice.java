package org.reprolab.tornado.opencl;

import static org.jocl.CL.*;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import org.jocl.CLException;
import org.jocl.Pointer;
import org.jocl.Sizeof;
import org.jocl.cl_command_queue;
import org.jocl.cl_context;
import org.jocl.cl_device_id;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.jocl.cl_program;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Capabilities;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.MatrixView;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.Validate;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.KernelSchedule;
import org.reprolab.random.RngKey;

/**
 * An OpenCL device through JOCL: one context and one in-order queue; kernels are enqueued without
 * waiting, reads block. Programs are built once per (source, dtype) and cached for the life of the
 * device (PoCL additionally caches builds on disk: ~1.3 s first build, ~50 ms after,
 * acceleration.md §4). All enqueueing is serialised on this object because JOCL kernel arguments
 * are per-kernel state.
 */
final class OpenClDevice implements Device {
    private static final String BUILD_OPTIONS = "-cl-fp32-correctly-rounded-divide-sqrt";
    private static final int REDUCE_LOCAL = 256;

    private final cl_device_id id;
    private final cl_context context;
    private final cl_command_queue queue;
    private final String description;
    private final Capabilities caps;
    private final int maxLocal;
    private final OpenClDeviceInfo info;
    private final OpenClGemm gemm;
    private final Map<String, Map<String, cl_kernel>> programs = new HashMap<>();
    private final AtomicLong transfers = new AtomicLong();
    /** Rendered sources, so a launch does not re-render its kernel's C text. */
    private final Map<SourceKey, String> sources = new HashMap<>();

    private record SourceKey(ElementwiseKernel kernel, ElementType dtype) {}

    OpenClDevice(cl_device_id id, cl_context context, cl_command_queue queue, String description, Capabilities caps, OpenClDeviceInfo info) {
        this.id = id;
        this.context = context;
        this.queue = queue;
        this.description = description;
        this.caps = caps;
        this.info = info;
        this.maxLocal = info.maxWorkGroupSize();
        this.gemm = new OpenClGemm(this, info, caps.maxAllocationBytes());
    }

    @Override
    public String name() {
        return "opencl";
    }

    @Override
    public String describe() {
        return description;
    }

    @Override
    public Capabilities capabilities() {
        return caps;
    }

    @Override
    public synchronized Buffer allocate(ElementType dtype, int length) {
        if (length < 0) throw new DeviceException("allocate: negative length " + length);
        if (dtype == ElementType.F64 && !caps.fp64())
            throw new DeviceException("allocate: device '" + name() + "' has no f64 support (cl_khr_fp64); use f32 or the jvm device");
        long bytes = Math.max(1L, (long) length * dtype.bytes());
        if (bytes > caps.maxAllocationBytes()) throw OpenClBuffer.tooBig(bytes, caps.maxAllocationBytes());
        cl_mem mem = call("allocate", () -> clCreateBuffer(context, CL_MEM_READ_WRITE, bytes, null, null));
        OpenClBuffer b = new OpenClBuffer(this, dtype, length, mem);
        if (length > 0) fillBytes(b, 0, length, 0.0);
        return b;
    }

    @Override
    public long hostTransfers() {
        return transfers.get();
    }

    synchronized void write(OpenClBuffer b, int offset, Pointer src, int count) {
        if (count == 0) return;
        transfers.incrementAndGet();
        long e = b.dtype().bytes();
        call("write", () -> clEnqueueWriteBuffer(queue, b.mem, CL_TRUE, offset * e, count * e, src, 0, null, null));
    }

    synchronized void read(OpenClBuffer b, int offset, Pointer dst, int count) {
        if (count == 0) return;
        transfers.incrementAndGet();
        long e = b.dtype().bytes();
        call("read", () -> clEnqueueReadBuffer(queue, b.mem, CL_TRUE, offset * e, count * e, dst, 0, null, null));
    }

    static cl_mem mem(Buffer b) {
        return ((OpenClBuffer) b).mem;
    }

    // ---- element-wise ------------------------------------------------------------------------------

    @Override
    public synchronized void run(ElementwiseKernel kernel, int[] shape, List<Operand> inputs, List<Operand> outputs, double... params) {
        double[] ps = params == null ? new double[0] : params;
        ElementType dt = Validate.elementwise(this, kernel, shape, inputs, outputs, ps);
        long total = 1;
        for (int s : shape) total *= s;
        if (total == 0) return;
        int n = (int) total;
        KernelSchedule sch = KernelSchedule.of(kernel);
        boolean strided = false;
        for (Operand o : inputs) strided |= !o.isContiguous(shape);
        for (Operand o : outputs) strided |= !o.isContiguous(shape);
        String src = sources.computeIfAbsent(new SourceKey(kernel, dt), key -> OpenClSource.elementwise(sch, dt));
        cl_kernel k = kernel(src, strided ? OpenClSource.EW_STRIDED : OpenClSource.EW);
        cl_mem meta = null;
        try {
            int a = 0;
            argInt(k, a++, n);
            if (strided) {
                int rank = Math.max(1, shape.length);
                int[] dims = shape.length == 0 ? new int[] {1} : shape;
                int ops = inputs.size() + outputs.size();
                int[] m = new int[1 + rank * (1 + ops)];
                m[0] = rank;
                System.arraycopy(dims, 0, m, 1, rank);
                for (int j = 0; j < ops; j++) {
                    Operand o = j < inputs.size() ? inputs.get(j) : outputs.get(j - inputs.size());
                    int[] st = o.strides();
                    if (st == null || st.length == 0) st = rowMajor(dims);
                    System.arraycopy(st, 0, m, 1 + rank * (1 + j), rank);
                }
                cl_mem mm = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) m.length * Sizeof.cl_int,
                        Pointer.to(m), null);
                meta = mm;
                argMem(k, a++, mm);
            } else {
                argMem(k, a++, null);
            }
            for (Operand o : inputs) {
                argMem(k, a++, mem(o.buffer()));
                argInt(k, a++, o.offset());
            }
            for (Operand o : outputs) {
                argMem(k, a++, mem(o.buffer()));
                argInt(k, a++, o.offset());
            }
            for (double p : ps) argScalar(k, a++, dt, p);
            int local = Math.min(64, maxLocal);
            long global = (n + (long) local - 1) / local * local;
            enqueue("elementwise '" + kernel.name() + "'", k, new long[] {global}, new long[] {local});
        } finally {
            if (meta != null) clReleaseMemObject(meta); // released once the kernel is done with it
        }
    }

    private static int[] rowMajor(int[] dims) {
        int[] st = new int[dims.length];
        int s = 1;
        for (int d = dims.length - 1; d >= 0; d--) {
            st[d] = s;
            s *= dims[d];
        }
        return st;
    }

    // ---- gather / scatter -----------------------------------------------------------------------------

    @Override
    public synchronized void gather(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out) {
        ElementType dt = Validate.indexed("gather", this, shape, axis, axisLength, src, List.of(index, out));
        indexed(dt, "gather", shape, axis, axisLength, src, index, out, numel(shape));
    }

    @Override
    public synchronized void scatterAdd(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out) {
        ElementType dt = Validate.indexed("scatterAdd", this, shape, axis, axisLength, out, List.of(src, index));
        indexed(dt, "scatter_add", shape, axis, axisLength, src, index, out, shape[axis] == 0 ? 0 : numel(shape) / shape[axis]);
    }

    private static int numel(int[] shape) {
        int n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** Launches {@code name} with meta {@code [rank, axis, axisLength, dims..., strides of src, index, out]}. */
    private void indexed(ElementType dt, String name, int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out,
            int work) {
        if (work == 0) return;
        int rank = shape.length;
        int[] wide = shape.clone();
        wide[axis] = axisLength;
        boolean gather = name.equals("gather");
        int[] m = new int[3 + rank * 4];
        m[0] = rank;
        m[1] = axis;
        m[2] = axisLength;
        System.arraycopy(shape, 0, m, 3, rank);
        Operand[] ops = {src, index, out};
        for (int j = 0; j < 3; j++) {
            int[] st = ops[j].strides();
            boolean isWide = gather ? j == 0 : j == 2;
            if (st == null) st = rowMajor(isWide ? wide : shape);
            System.arraycopy(st, 0, m, 3 + rank * (1 + j), rank);
        }
        cl_mem meta = clCreateBuffer(context, CL_MEM_READ_ONLY | CL_MEM_COPY_HOST_PTR, (long) m.length * Sizeof.cl_int,
                Pointer.to(m), null);
        try {
            cl_kernel k = builtin(dt, name);
            argInt(k, 0, work);
            argMem(k, 1, meta);
            for (int j = 0; j < 3; j++) {
                argMem(k, 2 + 2 * j, mem(ops[j].buffer()));
                argInt(k, 3 + 2 * j, ops[j].offset());
            }
            int local = Math.min(64, maxLocal);
            enqueue(name, k, new long[] {(work + (long) local - 1) / local * local}, new long[] {local});
        } finally {
            clReleaseMemObject(meta);
        }
    }

    // ---- reductions ----------------------------------------------------------------------------------

    @Override
    public synchronized void reduce(ReduceOp op, Buffer in, int inOffset, int outer, int n, int inner, Buffer out, int outOffset) {
        Validate.reduce(this, op, in, inOffset, outer, n, inner, out, outOffset);
        int outputs = outer * inner;
        if (outputs == 0) return;
        ElementType dt = in.dtype();
        int accBytes = caps.fp64() ? 8 : 4;
        if (outputs == 1 && n >= 1 << 16) {
            int local = pow2AtMost(Math.min(REDUCE_LOCAL, maxLocal));
            int groups = Math.min(256, (n + local * 16 - 1) / (local * 16));
            int chunk = (n + groups - 1) / groups;
            groups = (n + chunk - 1) / chunk;
            cl_mem partial = clCreateBuffer(context, CL_MEM_READ_WRITE, (long) groups * accBytes, null, null);
            try {
                cl_kernel k1 = builtin(dt, "reduce_partial");
                args(k1, mem(in), inOffset, n, chunk, partial, op.ordinal(), new LocalBytes((long) local * accBytes));
                enqueue("reduce " + op, k1, new long[] {(long) groups * local}, new long[] {local});
                cl_kernel k2 = builtin(dt, "reduce_final");
                args(k2, partial, groups, mem(out), outOffset, op.ordinal(), new LocalBytes((long) local * accBytes));
                enqueue("reduce " + op, k2, new long[] {local}, new long[] {local});
            } finally {
                clReleaseMemObject(partial);
            }
            return;
        }
        int local = pow2AtMost(Math.min(Math.min(REDUCE_LOCAL, maxLocal), Math.max(1, Integer.highestOneBit(Math.max(1, n)) * 2)));
        cl_kernel k = builtin(dt, "reduce_rows");
        args(k, mem(in), inOffset, n, inner, mem(out), outOffset, op.ordinal(), new LocalBytes((long) local * accBytes));
        enqueue("reduce " + op, k, new long[] {(long) outputs * local}, new long[] {local});
    }

    private static int pow2AtMost(int v) {
        return Integer.highestOneBit(Math.max(1, v));
    }

    // ---- matmul --------------------------------------------------------------------------------------

    /** Tiled, register-blocked and autotuned per device at the first large product: {@link OpenClGemm}. */
    @Override
    public synchronized void matmul(int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate) {
        ElementType dt = Validate.matmul(this, batch, m, n, k, a, b, c);
        if (batch == 0 || m == 0 || n == 0) return;
        gemm.matmul(dt, batch, m, n, k, a, b, c, accumulate);
    }

    /** The GEMM behind {@link #matmul}, for its autotune report and tests. */
    OpenClGemm gemm() {
        return gemm;
    }

    OpenClDeviceInfo info() {
        return info;
    }

    // ---- random, copy, fill ----------------------------------------------------------------------------

    @Override
    public synchronized void random(Distribution distribution, RngKey key, long streamOffset, Buffer out, int offset, int count) {
        Validate.range("random " + distribution, this, out, offset, count);
        if (streamOffset < 0) throw new DeviceException("random: negative stream offset " + streamOffset);
        if (count == 0) return;
        cl_kernel k = builtin(out.dtype(), "philox_fill");
        args(k, mem(out), offset, count, key.k0(), key.k1(), streamOffset, distribution == Distribution.NORMAL ? 1 : 0);
        int local = Math.min(64, maxLocal);
        enqueue("random", k, new long[] {(count + (long) local - 1) / local * local}, new long[] {local});
    }

    @Override
    public synchronized void copy(Buffer src, int srcOffset, Buffer dst, int dstOffset, int count) {
        Validate.range("copy source", this, src, srcOffset, count);
        Validate.range("copy destination", this, dst, dstOffset, count);
        if (src.dtype() != dst.dtype())
            throw new DeviceException("copy: source dtype " + src.dtype() + " differs from destination dtype " + dst.dtype());
        if (count == 0) return;
        long e = src.dtype().bytes();
        call("copy", () -> clEnqueueCopyBuffer(queue, mem(src), mem(dst), srcOffset * e, dstOffset * e, count * e, 0, null, null));
    }

    @Override
    public synchronized void fill(Buffer dst, int offset, int count, double value) {
        Validate.range("fill", this, dst, offset, count);
        fillBytes(dst, offset, count, value);
    }

    private void fillBytes(Buffer dst, int offset, int count, double value) {
        if (count == 0) return;
        long e = dst.dtype().bytes();
        Pointer pattern = dst.dtype() == ElementType.F32 ? Pointer.to(new float[] {(float) value}) : Pointer.to(new double[] {value});
        call("fill", () -> clEnqueueFillBuffer(queue, mem(dst), pattern, e, offset * e, count * e, 0, null, null));
    }

    @Override
    public synchronized void synchronize() {
        call("synchronize", () -> clFinish(queue));
    }

    // ---- programs and launches -----------------------------------------------------------------------

    private cl_kernel builtin(ElementType dt, String name) {
        return kernel(OpenClSource.builtins(dt, caps.fp64()), name);
    }

    cl_kernel kernel(String source, String name) {
        Map<String, cl_kernel> kernels = programs.get(source);
        if (kernels == null) {
            kernels = new HashMap<>();
            cl_program p = build(source);
            int[] num = new int[1];
            clCreateKernelsInProgram(p, 0, null, num);
            cl_kernel[] ks = new cl_kernel[num[0]];
            clCreateKernelsInProgram(p, ks.length, ks, null);
            for (cl_kernel k : ks) kernels.put(OpenClDeviceProvider.kernelString(k, CL_KERNEL_FUNCTION_NAME), k);
            programs.put(source, kernels);
        }
        cl_kernel k = kernels.get(name);
        if (k == null) throw new IllegalStateException("kernel " + name + " missing from program");
        return k;
    }

    private cl_program build(String source) {
        cl_program p = clCreateProgramWithSource(context, 1, new String[] {source}, null, null);
        try {
            clBuildProgram(p, 1, new cl_device_id[] {id}, BUILD_OPTIONS, null, null);
        } catch (CLException e) {
            long[] size = new long[1];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, 0, null, size);
            byte[] log = new byte[(int) size[0]];
            clGetProgramBuildInfo(p, id, CL_PROGRAM_BUILD_LOG, log.length, Pointer.to(log), null);
            throw new DeviceException("OpenCL build failed: " + e.getMessage() + "\n" + new String(log).trim() + "\n--- source ---\n" + source, e);
        }
        return p;
    }

    /** A device buffer of {@code bytes} without host data, which the caller releases. */
    cl_mem createBuffer(long bytes) {
        return call("allocate", () -> clCreateBuffer(context, CL_MEM_READ_WRITE, Math.max(1, bytes), null, null));
    }

    /** Zeroes the first {@code bytes} of {@code m}. */
    void zero(cl_mem m, long bytes, ElementType dt) {
        Pointer pattern = dt == ElementType.F32 ? Pointer.to(new float[1]) : Pointer.to(new double[1]);
        call("fill", () -> clEnqueueFillBuffer(queue, m, pattern, dt.bytes(), 0, bytes, 0, null, null));
    }

    /** A {@code size_t} of {@code clGetKernelWorkGroupInfo} for this device, e.g. {@code CL_KERNEL_WORK_GROUP_SIZE}. */
    long kernelWorkGroupInfo(cl_kernel k, int param) {
        long[] v = new long[1];
        call("kernel info", () -> clGetKernelWorkGroupInfo(k, id, param, Sizeof.size_t, Pointer.to(v), null));
        return v[0];
    }

    /** A {@code __local} buffer argument of this many bytes (no host data). */
    private record LocalBytes(long bytes) {}

    /**
     * Sets a kernel's arguments in order: {@code Integer} as {@code int}, {@code Long} as
     * {@code ulong}, {@code cl_mem} as a buffer, {@link LocalBytes} as local memory.
     */
    static void args(cl_kernel k, Object... values) {
        for (int i = 0; i < values.length; i++) {
            switch (values[i]) {
                case Integer v -> argInt(k, i, v);
                case Long v -> clSetKernelArg(k, i, Sizeof.cl_ulong, Pointer.to(new long[] {v}));
                case cl_mem m -> argMem(k, i, m);
                case LocalBytes l -> clSetKernelArg(k, i, l.bytes(), null);
                default -> throw new IllegalArgumentException("kernel argument " + i + ": unsupported " + values[i].getClass());
            }
        }
    }

    private static void argInt(cl_kernel k, int i, int v) {
        clSetKernelArg(k, i, Sizeof.cl_int, Pointer.to(new int[] {v}));
    }

    private static void argMem(cl_kernel k, int i, cl_mem m) {
        clSetKernelArg(k, i, Sizeof.cl_mem, m == null ? null : Pointer.to(m));
    }

    private static void argScalar(cl_kernel k, int i, ElementType dt, double v) {
        if (dt == ElementType.F32) clSetKernelArg(k, i, Sizeof.cl_float, Pointer.to(new float[] {(float) v}));
        else clSetKernelArg(k, i, Sizeof.cl_double, Pointer.to(new double[] {v}));
    }

    void enqueue(String op, cl_kernel k, long[] global, long[] local) {
        call(op, () -> clEnqueueNDRangeKernel(queue, k, global.length, null, global, local, 0, null, null));
    }

    private static <T> T call(String op, java.util.function.Supplier<T> f) {
        try {
            return f.get();
        } catch (CLException e) {
            throw new DeviceException("opencl " + op + " failed: " + e.getMessage(), e);
        }
    }

    @Override
    public String toString() {
        return describe();
    }
}
