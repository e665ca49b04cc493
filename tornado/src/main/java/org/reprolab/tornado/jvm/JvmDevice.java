package org.reprolab.tornado.jvm;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import jdk.incubator.vector.FloatVector;
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
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * The embedded default device: heap arrays, a dedicated ForkJoin pool, Vector API lanes. No native
 * code, so it exists everywhere. Operations run synchronously on the calling thread plus the pool.
 * Thread count: {@code -Dreprolab.jvm.threads=N}, default all available processors.
 */
final class JvmDevice implements Device {
    private final Parallel par;
    private final Map<ElementwiseKernel, F32Engine> f32 = new ConcurrentHashMap<>();
    private final Map<ElementwiseKernel, F64Engine> f64 = new ConcurrentHashMap<>();
    private final AtomicLong transfers = new AtomicLong();

    JvmDevice(int threads) {
        this.par = new Parallel(threads);
    }

    @Override
    public String name() {
        return "jvm";
    }

    @Override
    public String describe() {
        return "jvm: " + par.parallelism() + " ForkJoin threads, Vector API " + FloatVector.SPECIES_PREFERRED.vectorBitSize()
                + "-bit lanes (" + FloatVector.SPECIES_PREFERRED.length() + " x f32), " + System.getProperty("java.vm.name") + " "
                + Runtime.version();
    }

    @Override
    public Capabilities capabilities() {
        return new Capabilities(true, (Integer.MAX_VALUE - 8) * 8L, par.parallelism(), true);
    }

    @Override
    public Buffer allocate(ElementType dtype, int length) {
        return new JvmBuffer(this, dtype, length);
    }

    private static JvmBuffer jb(Buffer b) {
        return (JvmBuffer) b;
    }

    @Override
    public void run(ElementwiseKernel kernel, int[] shape, List<Operand> inputs, List<Operand> outputs, double... params) {
        ElementType dt = Validate.elementwise(this, kernel, shape, inputs, outputs, params == null ? new double[0] : params);
        double[] ps = params == null ? new double[0] : params;
        int n = 1;
        for (int s : shape) n *= s;
        if (n == 0) return;
        if (shape.length == 0) shape = new int[] {1};
        int ni = inputs.size(), no = outputs.size();
        int[] inOff = new int[ni], outOff = new int[no];
        int[][] inSt = new int[ni][], outSt = new int[no][];
        for (int i = 0; i < ni; i++) {
            Operand o = inputs.get(i);
            inOff[i] = o.offset();
            inSt[i] = o.isContiguous(shape) ? null : launchStrides(o, shape);
        }
        for (int i = 0; i < no; i++) {
            Operand o = outputs.get(i);
            outOff[i] = o.offset();
            outSt[i] = o.isContiguous(shape) ? null : launchStrides(o, shape);
        }
        KernelSchedule sch = KernelSchedule.of(kernel);
        if (dt == ElementType.F32) {
            float[][] in = new float[ni][], out = new float[no][];
            for (int i = 0; i < ni; i++) in[i] = jb(inputs.get(i).buffer()).f32();
            for (int i = 0; i < no; i++) out[i] = jb(outputs.get(i).buffer()).f32();
            f32.computeIfAbsent(kernel, k -> new F32Engine(sch)).run(par, shape, n, in, inOff, inSt, out, outOff, outSt, ps);
        } else {
            double[][] in = new double[ni][], out = new double[no][];
            for (int i = 0; i < ni; i++) in[i] = jb(inputs.get(i).buffer()).f64();
            for (int i = 0; i < no; i++) out[i] = jb(outputs.get(i).buffer()).f64();
            f64.computeIfAbsent(kernel, k -> new F64Engine(sch)).run(par, shape, n, in, inOff, inSt, out, outOff, outSt, ps);
        }
    }

    private static int[] launchStrides(Operand o, int[] shape) {
        int[] st = o.strides();
        return st == null || st.length == 0 ? new int[shape.length] : st;
    }

    @Override
    public void reduce(ReduceOp op, Buffer in, int inOffset, int outer, int n, int inner, Buffer out, int outOffset) {
        Validate.reduce(this, op, in, inOffset, outer, n, inner, out, outOffset);
        if (in.dtype() == ElementType.F32) F32Reduce.reduce(par, op, jb(in).f32(), inOffset, outer, n, inner, jb(out).f32(), outOffset);
        else F64Reduce.reduce(par, op, jb(in).f64(), inOffset, outer, n, inner, jb(out).f64(), outOffset);
    }

    @Override
    public void matmul(int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate) {
        ElementType dt = Validate.matmul(this, batch, m, n, k, a, b, c);
        if (dt == ElementType.F32)
            F32Gemm.gemm(par, batch, m, n, k, jb(a.buffer()).f32(), a.offset(), a.batchStride(), a.rowStride(), a.colStride(),
                    jb(b.buffer()).f32(), b.offset(), b.batchStride(), b.rowStride(), b.colStride(),
                    jb(c.buffer()).f32(), c.offset(), c.batchStride(), c.rowStride(), c.colStride(), accumulate);
        else
            F64Gemm.gemm(par, batch, m, n, k, jb(a.buffer()).f64(), a.offset(), a.batchStride(), a.rowStride(), a.colStride(),
                    jb(b.buffer()).f64(), b.offset(), b.batchStride(), b.rowStride(), b.colStride(),
                    jb(c.buffer()).f64(), c.offset(), c.batchStride(), c.rowStride(), c.colStride(), accumulate);
    }

    @Override
    public void random(Distribution distribution, RngKey key, long streamOffset, Buffer out, int offset, int count) {
        Validate.range("random " + distribution, this, out, offset, count);
        if (streamOffset < 0) throw new DeviceException("random: negative stream offset " + streamOffset);
        boolean normal = distribution == Distribution.NORMAL;
        if (out.dtype() == ElementType.F32) {
            float[] dst = jb(out).f32();
            par.forRange(count, 1 << 15, 4, (from, to) -> Philox.fill(key, normal, streamOffset + from, dst, offset + from, to - from));
        } else {
            double[] dst = jb(out).f64();
            par.forRange(count, 1 << 15, 4, (from, to) -> Philox.fill(key, normal, streamOffset + from, dst, offset + from, to - from));
        }
    }

    @Override
    public void gather(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out) {
        ElementType dt = Validate.indexed("gather", this, shape, axis, axisLength, src, List.of(index, out));
        int[] ss = stridesOf(src, wide(shape, axis, axisLength)), is = stridesOf(index, shape), os = stridesOf(out, shape);
        if (dt == ElementType.F32)
            F32Indexed.gather(par, shape, axis, axisLength, jb(src.buffer()).f32(), src.offset(), ss, jb(index.buffer()).f32(),
                    index.offset(), is, jb(out.buffer()).f32(), out.offset(), os);
        else
            F64Indexed.gather(par, shape, axis, axisLength, jb(src.buffer()).f64(), src.offset(), ss, jb(index.buffer()).f64(),
                    index.offset(), is, jb(out.buffer()).f64(), out.offset(), os);
    }

    @Override
    public void scatterAdd(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out) {
        ElementType dt = Validate.indexed("scatterAdd", this, shape, axis, axisLength, out, List.of(src, index));
        int[] ss = stridesOf(src, shape), is = stridesOf(index, shape), os = stridesOf(out, wide(shape, axis, axisLength));
        if (dt == ElementType.F32)
            F32Indexed.scatterAdd(par, shape, axis, axisLength, jb(src.buffer()).f32(), src.offset(), ss,
                    jb(index.buffer()).f32(), index.offset(), is, jb(out.buffer()).f32(), out.offset(), os);
        else
            F64Indexed.scatterAdd(par, shape, axis, axisLength, jb(src.buffer()).f64(), src.offset(), ss,
                    jb(index.buffer()).f64(), index.offset(), is, jb(out.buffer()).f64(), out.offset(), os);
    }

    private static int[] wide(int[] shape, int axis, int len) {
        int[] w = shape.clone();
        w[axis] = len;
        return w;
    }

    /** Row-major strides for an operand given without them. */
    private static int[] stridesOf(Operand o, int[] shape) {
        int[] st = o.strides();
        if (st != null) return st;
        st = new int[shape.length];
        for (int d = shape.length - 1, s = 1; d >= 0; d--) {
            st[d] = s;
            s *= shape[d];
        }
        return st;
    }

    @Override
    public Buffer wrap(float[] data) {
        return new JvmBuffer(this, data);
    }

    @Override
    public Buffer wrap(double[] data) {
        return new JvmBuffer(this, data);
    }

    @Override
    public void convert(Buffer src, int srcOffset, Buffer dst, int dstOffset, int count) {
        Validate.range("convert source", this, src, srcOffset, count);
        Validate.range("convert destination", this, dst, dstOffset, count);
        if (src.dtype() == dst.dtype()) copy(src, srcOffset, dst, dstOffset, count);
        else jb(dst).convertFrom(jb(src), srcOffset, dstOffset, count);
    }

    @Override
    public void copy(Buffer src, int srcOffset, Buffer dst, int dstOffset, int count) {
        Validate.range("copy source", this, src, srcOffset, count);
        Validate.range("copy destination", this, dst, dstOffset, count);
        if (src.dtype() != dst.dtype())
            throw new DeviceException("copy: source dtype " + src.dtype() + " differs from destination dtype " + dst.dtype());
        if (src.dtype() == ElementType.F32) System.arraycopy(jb(src).f32(), srcOffset, jb(dst).f32(), dstOffset, count);
        else System.arraycopy(jb(src).f64(), srcOffset, jb(dst).f64(), dstOffset, count);
    }

    @Override
    public void fill(Buffer dst, int offset, int count, double value) {
        Validate.range("fill", this, dst, offset, count);
        if (dst.dtype() == ElementType.F32) java.util.Arrays.fill(jb(dst).f32(), offset, offset + count, (float) value);
        else java.util.Arrays.fill(jb(dst).f64(), offset, offset + count, value);
    }

    @Override
    public long hostTransfers() {
        return transfers.get();
    }

    /** Counts one {@link JvmBuffer} read or write (an array copy between the caller's array and the buffer's). */
    void countTransfer(int count) {
        if (count > 0) transfers.incrementAndGet();
    }

    @Override
    public void synchronize() {
        // operations complete before they return
    }

    @Override
    public String toString() {
        return describe();
    }
}
