package org.reprolab.tornado;

import java.util.Arrays;
import java.util.List;
import org.reprolab.tornado.expr.ElementwiseKernel;

/**
 * Argument checks shared by every device, so a wrong call fails the same way, before any work is
 * queued, with a message naming the operation and both sizes. Public for device implementations;
 * callers never need it.
 */
public final class Validate {
    private Validate() {}

    /** Checks a host/buffer transfer of {@code count} elements. */
    public static void hostTransfer(String op, Buffer b, int offset, int count, int hostLength, int hostOffset) {
        open(op, b);
        if (count < 0 || offset < 0 || hostOffset < 0)
            throw new DeviceException(op + ": negative count/offset (count=" + count + ", offset=" + offset
                    + ", host offset=" + hostOffset + ")");
        if ((long) offset + count > b.length())
            throw new DeviceException(op + ": buffer has " + b.length() + " elements but the transfer needs "
                    + ((long) offset + count) + " (offset " + offset + " + count " + count + ")");
        if ((long) hostOffset + count > hostLength)
            throw new DeviceException(op + ": host array has " + hostLength + " elements but the transfer needs "
                    + ((long) hostOffset + count) + " (offset " + hostOffset + " + count " + count + ")");
    }

    /** Checks that {@code b} is open and belongs to {@code device}. */
    public static void owned(String op, Device device, Buffer b) {
        open(op, b);
        if (b.device() != device)
            throw new DeviceException(op + ": buffer lives on device '" + b.device().name() + "' but the operation runs on '"
                    + device.name() + "'; copy it over first");
    }

    private static void open(String op, Buffer b) {
        if (b == null) throw new DeviceException(op + ": buffer is null");
        if (b.isClosed()) throw new DeviceException(op + ": buffer was closed");
    }

    /** Checks a range {@code [offset, offset+count)} of one buffer. */
    public static void range(String op, Device device, Buffer b, int offset, int count) {
        owned(op, device, b);
        if (offset < 0 || count < 0)
            throw new DeviceException(op + ": negative offset or count (offset=" + offset + ", count=" + count + ")");
        if ((long) offset + count > b.length())
            throw new DeviceException(op + ": buffer has " + b.length() + " elements but the operation needs "
                    + ((long) offset + count) + " (offset " + offset + " + count " + count + ")");
    }

    /** Checks an element-wise launch; returns the element count and the common dtype. */
    public static ElementType elementwise(Device device, ElementwiseKernel k, int[] shape, List<Operand> in, List<Operand> out,
            double[] params) {
        String op = "elementwise '" + k.name() + "'";
        if (shape == null) throw new DeviceException(op + ": shape is null");
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new DeviceException(op + ": negative extent in shape " + Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) throw new DeviceException(op + ": shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        if (in.size() != k.inputs())
            throw new DeviceException(op + ": kernel takes " + k.inputs() + " inputs but " + in.size() + " were given");
        if (out.size() != k.outputs().size())
            throw new DeviceException(op + ": kernel has " + k.outputs().size() + " outputs but " + out.size() + " buffers were given");
        int np = params == null ? 0 : params.length;
        if (np != k.params())
            throw new DeviceException(op + ": kernel takes " + k.params() + " scalar params but " + np + " were given");
        ElementType dt = null;
        for (int i = 0; i < in.size() + out.size(); i++) {
            boolean isIn = i < in.size();
            Operand o = isIn ? in.get(i) : out.get(i - in.size());
            String what = op + (isIn ? " input " + i : " output " + (i - in.size()));
            owned(what, device, o.buffer());
            if (dt == null) dt = o.buffer().dtype();
            else if (dt != o.buffer().dtype())
                throw new DeviceException(what + ": dtype " + o.buffer().dtype() + " differs from " + dt + " of the other operands");
            if (o.strides() != null && o.strides().length != shape.length)
                throw new DeviceException(what + ": " + o.strides().length + " strides for a rank-" + shape.length + " shape "
                        + Arrays.toString(shape));
            if (!isIn && o.strides() != null)
                for (int d = 0; d < shape.length; d++)
                    if (o.strides()[d] == 0 && shape[d] > 1)
                        throw new DeviceException(what + ": stride 0 (broadcast) on axis " + d + " would write one element many times");
            long max = o.maxIndex(shape);
            if (max >= o.buffer().length())
                throw new DeviceException(what + ": buffer has " + o.buffer().length() + " elements but shape "
                        + Arrays.toString(shape) + " (" + n + " elements) from offset " + o.offset()
                        + (o.strides() == null ? "" : " with strides " + Arrays.toString(o.strides()))
                        + " needs " + (max + 1));
        }
        if (dt == null) throw new DeviceException(op + ": no operands");
        if (dt == ElementType.F64 && !device.capabilities().fp64())
            throw new DeviceException(op + ": device '" + device.name() + "' has no f64 support; use f32 or the jvm device");
        return dt;
    }

    /**
     * Checks a gather or scatter-add launch (see {@link Device#gather}); returns the dtype. {@code src}
     * and {@code index} span {@code shape} for a gather, and so do {@code src} and {@code index} for a
     * scatter; the indexed operand ({@code src} of a gather, {@code out} of a scatter) spans
     * {@code axisLength} along {@code axis}.
     */
    public static ElementType indexed(String op, Device device, int[] shape, int axis, int axisLength, Operand indexed,
            List<Operand> plain) {
        if (shape == null) throw new DeviceException(op + ": shape is null");
        if (axis < 0 || axis >= shape.length)
            throw new DeviceException(op + ": axis " + axis + " out of range for shape " + Arrays.toString(shape));
        if (axisLength < 0) throw new DeviceException(op + ": negative axis length " + axisLength);
        long n = 1;
        for (int s : shape) {
            if (s < 0) throw new DeviceException(op + ": negative extent in shape " + Arrays.toString(shape));
            n *= s;
        }
        if (n > Integer.MAX_VALUE) throw new DeviceException(op + ": shape " + Arrays.toString(shape) + " has more than 2^31-1 elements");
        int[] wide = shape.clone();
        wide[axis] = axisLength;
        ElementType dt = indexed.buffer().dtype();
        check(op + " indexed operand", device, indexed, n == 0 ? shape : wide, dt);
        for (Operand o : plain) check(op + " operand", device, o, shape, dt);
        if (dt == ElementType.F64 && !device.capabilities().fp64())
            throw new DeviceException(op + ": device '" + device.name() + "' has no f64 support; use f32 or the jvm device");
        return dt;
    }

    private static void check(String what, Device device, Operand o, int[] shape, ElementType dt) {
        owned(what, device, o.buffer());
        if (o.buffer().dtype() != dt)
            throw new DeviceException(what + ": dtype " + o.buffer().dtype() + " differs from " + dt + " of the other operands");
        if (o.strides() != null && o.strides().length != shape.length)
            throw new DeviceException(what + ": " + o.strides().length + " strides for a rank-" + shape.length + " shape");
        long max = o.maxIndex(shape);
        if (max >= o.buffer().length())
            throw new DeviceException(what + ": buffer has " + o.buffer().length() + " elements but shape "
                    + Arrays.toString(shape) + " from offset " + o.offset() + " needs " + (max + 1));
    }

    /** Checks a reduction. */
    public static void reduce(Device device, ReduceOp rop, Buffer in, int inOffset, int outer, int n, int inner, Buffer out,
            int outOffset) {
        String op = "reduce " + rop;
        if (outer < 0 || n < 0 || inner < 0)
            throw new DeviceException(op + ": negative extent (outer=" + outer + ", n=" + n + ", inner=" + inner + ")");
        long cnt = (long) outer * n * inner;
        if (cnt > Integer.MAX_VALUE) throw new DeviceException(op + ": more than 2^31-1 elements");
        range(op + " input", device, in, inOffset, (int) cnt);
        range(op + " output", device, out, outOffset, outer * inner);
        if (in.dtype() != out.dtype())
            throw new DeviceException(op + ": input dtype " + in.dtype() + " differs from output dtype " + out.dtype());
    }

    /** Checks a matmul. */
    public static ElementType matmul(Device device, int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c) {
        String op = "matmul";
        if (batch < 0 || m < 0 || n < 0 || k < 0)
            throw new DeviceException(op + ": negative size (batch=" + batch + ", m=" + m + ", n=" + n + ", k=" + k + ")");
        String dims = " (batch=" + batch + ", m=" + m + ", n=" + n + ", k=" + k + ")";
        check(device, op + " A[m x k]", a, batch, m, k, dims);
        check(device, op + " B[k x n]", b, batch, k, n, dims);
        check(device, op + " C[m x n]", c, batch, m, n, dims);
        if (a.buffer().dtype() != b.buffer().dtype() || a.buffer().dtype() != c.buffer().dtype())
            throw new DeviceException(op + ": dtypes differ: A " + a.buffer().dtype() + ", B " + b.buffer().dtype() + ", C "
                    + c.buffer().dtype());
        if (c.buffer() == a.buffer() || c.buffer() == b.buffer())
            throw new DeviceException(op + ": C must not share a buffer with A or B");
        return c.buffer().dtype();
    }

    private static void check(Device device, String what, MatrixView v, int batch, int rows, int cols, String dims) {
        owned(what, device, v.buffer());
        if (batch == 0 || rows == 0 || cols == 0) return;
        long max = v.maxIndex(batch, rows, cols);
        if (max >= v.buffer().length())
            throw new DeviceException(what + ": buffer has " + v.buffer().length() + " elements but the view (offset "
                    + v.offset() + ", strides batch=" + v.batchStride() + " row=" + v.rowStride() + " col=" + v.colStride()
                    + ") needs " + (max + 1) + dims);
    }
}
