package org.reprolab.tensor;

/**
 * The one place numeric kernels live. Everything above it (ops, autodiff, nn) is written against
 * this interface, so a device (the tornado/ jvm-SIMD or OpenCL layer) can be wired in by
 * implementing it, without touching gradients. Kernels take strided {@link View}s and return fresh
 * contiguous storage; broadcasting has already been resolved into stride-0 views by the caller, so
 * every view passed to an element-wise kernel has exactly the output shape.
 */
interface Backend {

    /** Device name recorded on tensors ("jvm"). */
    String name();

    /** out[i] = op(x[i]). */
    Storage map(UnaryOp op, View x, DType out);

    /** out[i] = op(a[i], b[i]); a and b have the output shape. */
    Storage zip(BinaryOp op, View a, View b, DType out);

    /** out[i] = c[i] != 0 ? a[i] : b[i]; all three have the output shape. */
    Storage where(View c, View a, View b, DType out);

    /** Reduces the axes flagged in {@code axes}; the result has the keep-dims shape. */
    Storage reduce(ReduceOp op, View x, boolean[] axes, DType out);

    /** Batched matrix product; a is [..., m, k], b is [..., k, n] with identical batch dims. */
    Storage matmul(View a, View b, DType out);

    /** out[i] = x[i with i[axis] replaced by index[i]]; output has the index shape. */
    Storage gather(View x, int axis, View index, DType out);

    /** The adjoint of gather: zeros of outShape, then out[i with i[axis] = index[i]] += src[i]. */
    Storage scatterAdd(View src, int axis, View index, int[] outShape, DType out);

    /** dst[i] = src[i]; src has dst's shape (possibly via stride-0 broadcast). Casts as needed. */
    void copy(View src, View dst);
}
