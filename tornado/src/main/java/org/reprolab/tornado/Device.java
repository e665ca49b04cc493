package org.reprolab.tornado;

import java.util.List;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.random.RngKey;

/**
 * A compute device: it owns buffers and runs the four kernel families the library needs
 * (fused element-wise expressions, reductions, matrix products, counter-based random numbers),
 * plus copies. This is the device half of the SPI; {@link DeviceProvider} is the discovery half.
 *
 * <p>Operations may run asynchronously (OpenCL enqueues them in order on one queue); any
 * {@link Buffer#read} waits for the work before it, and {@link #synchronize()} waits for all of it.
 * All operands of one operation must live on this device and share one {@link ElementType}.
 *
 * <p>Sizes are {@code int}: one buffer holds at most {@code Integer.MAX_VALUE} elements, which is also
 * the JVM array limit the {@code jvm} device lives under.
 */
public interface Device {

    /** Short stable name used for selection: {@code "jvm"}, {@code "opencl"}. */
    String name();

    /** One line saying what this device is (hardware, driver, parallelism). */
    String describe();

    Capabilities capabilities();

    /** A new zero-filled buffer. */
    Buffer allocate(ElementType dtype, int length);

    /**
     * Runs a fused element-wise kernel over {@code shape}: for every index, output {@code k} gets
     * {@code kernel.outputs().get(k)} evaluated on the inputs at that index. All outputs are written
     * after all inputs of the same index are read, so an output may alias an input at the same index
     * (in-place updates such as {@code p, m, v <- adam(p, g, m, v)}).
     *
     * @param params scalar parameters, {@code kernel.params()} of them, rounded to the buffers' dtype
     */
    void run(ElementwiseKernel kernel, int[] shape, List<Operand> inputs, List<Operand> outputs, double... params);

    /**
     * Reduces a contiguous {@code [outer, n, inner]} block of {@code in} (from {@code inOffset}) over its
     * middle axis into the contiguous {@code [outer, inner]} block of {@code out} at {@code outOffset}.
     * Any axis of a row-major array is such a middle axis; a full reduction is {@code outer = inner = 1}.
     */
    void reduce(ReduceOp op, Buffer in, int inOffset, int outer, int n, int inner, Buffer out, int outOffset);

    /**
     * Batched matrix product {@code C[b] = A[b] @ B[b]} (or {@code C[b] += ...} when {@code accumulate}),
     * {@code A[b]} being {@code m x k} and {@code B[b]} {@code k x n}.
     */
    void matmul(int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate);

    /**
     * Fills {@code out[offset .. offset+count)} with elements {@code streamOffset .. streamOffset+count}
     * of the Philox stream of {@code key}; the same numbers on every device (see {@link org.reprolab.random.Philox}).
     */
    void random(Distribution distribution, RngKey key, long streamOffset, Buffer out, int offset, int count);

    /**
     * Indexed read along one axis of the launch {@code shape}: for every multi-index {@code i},
     * {@code out[i] = src[i with i[axis] replaced by index[i]]}. {@code src}'s stride on {@code axis}
     * steps between its {@code axisLength} entries along that axis. Index values are integral and in
     * {@code [0, axisLength)}, stored in the buffers' dtype (which is how tensors carry class labels);
     * the {@code jvm} device rejects others, other devices may not check, so callers validate.
     */
    void gather(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out);

    /**
     * The adjoint of {@link #gather}: for every multi-index {@code i} of {@code shape},
     * {@code out[i with i[axis] replaced by index[i]] += src[i]} (out is accumulated into, not
     * cleared). Work is parallel over all axes but {@code axis} and sequential along it, so two
     * sources landing on one element add in a fixed order: no atomics, the same sum on every run.
     */
    void scatterAdd(int[] shape, int axis, int axisLength, Operand src, Operand index, Operand out);

    /** Device-side copy of {@code count} elements (the ranges may not overlap). */
    void copy(Buffer src, int srcOffset, Buffer dst, int dstOffset, int count);

    /** Sets {@code count} elements from {@code offset} to {@code value}. */
    void fill(Buffer dst, int offset, int count, double value);

    /** Waits until every operation queued on this device has finished. */
    void synchronize();

    /**
     * How many host transfers ({@link Buffer#read}/{@link Buffer#write} calls with a non-zero count, and
     * everything built on them: uploads, {@link #reduceToHost}, host-side conversions) this device has made
     * since it was created. Work that stays on the device (kernels, {@link #copy}, {@link #fill},
     * {@link #random}) does not count, nor does {@link #wrap} on a heap device or a heap buffer's live array.
     * A device-resident loop proves that it is one by reading this before and after: the difference is the
     * number of round trips it made through the host.
     */
    long hostTransfers();

    // ---- conveniences over the primitives above -------------------------------------------------

    /** A new buffer holding a copy of {@code data}. */
    default Buffer upload(ElementType dtype, float[] data) {
        Buffer b = allocate(dtype, data.length);
        b.write(0, data, 0, data.length);
        return b;
    }

    default Buffer upload(ElementType dtype, double[] data) {
        Buffer b = allocate(dtype, data.length);
        b.write(0, data, 0, data.length);
        return b;
    }

    /**
     * A buffer over {@code data}: on a device whose memory is the Java heap ({@code jvm}) the array
     * itself, with no copy, so later writes to either are seen by both; elsewhere an upload of a copy.
     * This is what keeps host-built tensors free on the default device.
     */
    default Buffer wrap(float[] data) {
        return upload(ElementType.F32, data);
    }

    default Buffer wrap(double[] data) {
        return upload(ElementType.F64, data);
    }

    /**
     * Copies {@code count} elements from {@code src} to {@code dst}, converting between dtypes
     * (rounding to nearest when narrowing). Element-wise kernels keep one dtype, so this is how a
     * tensor changes precision. The default goes through the host; the jvm device converts in place.
     */
    default void convert(Buffer src, int srcOffset, Buffer dst, int dstOffset, int count) {
        Validate.range("convert source", this, src, srcOffset, count);
        Validate.range("convert destination", this, dst, dstOffset, count);
        if (src.dtype() == dst.dtype()) {
            copy(src, srcOffset, dst, dstOffset, count);
            return;
        }
        double[] host = new double[count];
        src.read(srcOffset, host, 0, count);
        dst.write(dstOffset, host, 0, count);
    }

    /** Element-wise kernel over {@code n} contiguous elements of whole buffers. */
    default void run(ElementwiseKernel kernel, int n, List<Buffer> inputs, List<Buffer> outputs, double... params) {
        run(kernel, new int[] {n}, inputs.stream().map(Operand::of).toList(),
                outputs.stream().map(Operand::of).toList(), params);
    }

    /** Full reduction of {@code in[0..n)} into {@code out[0]}. */
    default void reduce(ReduceOp op, Buffer in, int n, Buffer out) {
        reduce(op, in, 0, 1, n, 1, out, 0);
    }

    /** Full reduction returned to the host (waits for the device). */
    default double reduceToHost(ReduceOp op, Buffer in, int offset, int n) {
        try (Buffer out = allocate(in.dtype(), 1)) {
            reduce(op, in, offset, 1, n, 1, out, 0);
            double[] r = new double[1];
            out.read(0, r, 0, 1);
            return r[0];
        }
    }

    /** {@code C = A @ B} for {@code batch} contiguous row-major matrices stored back to back. */
    default void matmul(Buffer a, Buffer b, Buffer c, int batch, int m, int n, int k) {
        matmul(batch, m, n, k, MatrixView.rowMajor(a, m, k), MatrixView.rowMajor(b, k, n),
                MatrixView.rowMajor(c, m, n), false);
    }
}
