package org.reprolab.tensor;

import java.lang.ref.Reference;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.MatrixView;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * The one place tensors reach a device. Every numeric loop of the tensor package is a call into the
 * tornado {@link Device} SPI: element-wise ops are {@link ElementwiseKernel}s launched on strided
 * {@link Operand}s (broadcasts are stride 0, so nothing is expanded in memory), reductions are
 * {@code Device.reduce}, products are {@code Device.matmul} over {@link MatrixView}s (a transposed
 * operand is a view, not a copy), indexing is {@code gather}/{@code scatterAdd}. Whatever a device
 * does well (Vector API lanes on {@code jvm}, OpenCL elsewhere) every op gets, and the same op gives
 * the same numbers on every device up to floating-point rounding.
 *
 * <p>Kernels are built once per op and per pattern of host constants (see {@link Storage}), and cached
 * here; devices cache their lowered forms per kernel, so a launch allocates only its output.
 *
 * <p>Inputs are views that already have the output's shape (the caller resolved broadcasting); results
 * are fresh contiguous storage on the inputs' device.
 */
final class Backend {
    private Backend() {}

    private record Key(Object op, int constants) {}

    private static final Map<Key, ElementwiseKernel> KERNELS = new ConcurrentHashMap<>();

    /** Unary op: out = op(x). */
    static Storage map(TensorUnaryOp op, View x, DType dt) {
        return launch(op, op.label(), e -> op.expr(e[0]), dt, x);
    }

    /** Binary op: out = op(a, b); a host constant on either side becomes a kernel parameter. */
    static Storage zip(TensorBinaryOp op, View a, View b, DType dt) {
        return launch(op, op.label(), e -> e[0].binary(op.device(), e[1]), dt, a, b);
    }

    /** out = c != 0 ? a : b. */
    static Storage where(View c, View a, View b, DType dt) {
        return launch("where", "where", e -> e[0].where(e[1], e[2]), dt, c, a, b);
    }

    /** dst[i] = src[i], converting dtype; src has dst's shape (possibly by stride-0 broadcast). */
    static void copy(View src, View dst) {
        Interrupts.check("copy");
        Device d = device("copy", src, dst);
        View s = src.data().dtype == dst.data().dtype ? src : cast(src, dst.data().dtype);
        if (s.data().isConstant()) {
            s = new View(s.data(), s.shape(), new int[s.rank()], 0);
        }
        ElementwiseKernel k = kernel("copy", "copy", e -> e[0], 0, 1);
        int[] shape = s.contiguous() && dst.contiguous() ? new int[] {dst.numel()} : launchShape(dst.shape());
        d.run(k, shape, List.of(operand(s, shape)), List.of(operand(dst, shape)));
    }

    // ------------------------------------------------------------------ element-wise launches

    /**
     * Runs {@code body} (an expression of one leaf per input) over the inputs' shape. Host constants
     * become scalar parameters, except that at least one input stays a buffer.
     */
    private static Storage launch(Object op, String name, Function<Expr[], Expr> body, DType dt, View... vs) {
        Interrupts.check(name);
        Device d = device(name, vs);
        int constants = 0;
        for (int j = 0; j < vs.length; j++) {
            if (vs[j].data().isConstant()) {
                constants |= 1 << j;
            } else if (vs[j].data().dtype != dt) {
                vs[j] = cast(vs[j], dt);
            }
        }
        boolean allConstant = constants == (1 << vs.length) - 1;
        if (allConstant) {
            constants &= ~1; // a kernel needs a buffer to read
            vs[0] = new View(vs[0].data(), vs[0].shape(), new int[vs[0].rank()], 0);
            if (vs[0].data().dtype != dt) {
                vs[0] = cast(vs[0], dt);
            }
        }
        int n = vs[0].numel();
        if (n > 0 && !allConstant && Fusion.active(d, n)) {
            return Fusion.defer(d, name, body, dt, vs);
        }
        ElementwiseKernel k = kernel(op, name, body, constants, vs.length);
        Storage out = Storage.output(d, dt, n);
        if (n == 0) {
            return out;
        }
        boolean flat = true;
        for (int j = 0; j < vs.length; j++) {
            flat &= (constants & (1 << j)) != 0 || vs[j].contiguous();
        }
        int[] shape = flat ? new int[] {n} : launchShape(vs[0].shape());
        Operand[] ins = new Operand[k.inputs()];
        double[] params = new double[k.params()];
        for (int j = 0, i = 0, p = 0; j < vs.length; j++) {
            if ((constants & (1 << j)) != 0) {
                params[p++] = vs[j].data().constantValue();
            } else {
                ins[i++] = operand(vs[j], shape);
            }
        }
        d.run(k, shape, Arrays.asList(ins), List.of(Operand.of(out.buffer())), params);
        Reference.reachabilityFence(vs);
        return out;
    }

    /** The cached kernel for {@code op} with the inputs flagged in {@code constants} read as parameters. */
    private static ElementwiseKernel kernel(Object op, String name, Function<Expr[], Expr> body, int constants, int arity) {
        return KERNELS.computeIfAbsent(new Key(op, constants), key -> {
            Expr[] leaves = new Expr[arity];
            int in = 0;
            int p = 0;
            for (int j = 0; j < arity; j++) {
                leaves[j] = (constants & (1 << j)) != 0 ? Expr.param(p++) : Expr.in(in++);
            }
            String id = kernelId(name + (constants == 0 ? "" : "_k" + constants));
            return new ElementwiseKernel(id, in, p, List.of(body.apply(leaves)));
        });
    }

    /**
     * {@code name} as a kernel identifier: every character outside {@code [A-Za-z0-9_]} becomes {@code _}.
     * Fused chains name their kernel on every launch, so a name that is already clean (the usual case) is
     * returned as it is, with no regular expression compiled and nothing allocated.
     */
    static String kernelId(String name) {
        char[] c = null;
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            boolean ok = ch == '_' || (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
            if (!ok) {
                if (c == null) c = name.toCharArray();
                c[i] = '_';
            }
        }
        return c == null ? name : new String(c);
    }

    static int[] launchShape(int[] shape) {
        return shape.length == 0 ? new int[] {1} : shape;
    }

    /** The view as an operand of a launch over {@code shape} (flat when the launch is flat). */
    static Operand operand(View v, int[] shape) {
        if (v.contiguous()) {
            return Operand.of(v.data().buffer(), v.offset());
        }
        int[] st = v.rank() == 0 ? new int[] {0} : v.strides();
        return Operand.strided(v.data().buffer(), v.offset(), st);
    }

    /** The common device of the operands; an error naming both when they differ. */
    private static Device device(String op, View... vs) {
        Device d = vs[0].data().device;
        for (View v : vs) {
            if (v.data().device != d) {
                throw new IllegalArgumentException(op + ": tensors on different devices ('" + d.name() + "' and '"
                        + v.data().device.name() + "'); move one with to(\"" + d.name() + "\") first");
            }
        }
        return d;
    }

    /**
     * The view converted to {@code dt}. Only its distinct elements are converted: broadcast (stride 0)
     * axes stay broadcast in the result.
     */
    static View cast(View v, DType dt) {
        Storage s = v.data();
        if (s.isConstant()) {
            return new View(Storage.constant(s.device, dt, s.constantValue()), v.shape(), new int[v.rank()], 0);
        }
        int r = v.rank();
        int[] compact = new int[r];
        for (int d = 0; d < r; d++) {
            compact[d] = v.strides()[d] == 0 ? 1 : v.shape()[d];
        }
        View c = new View(s, compact, v.strides(), v.offset());
        if (!c.contiguous()) {
            c = dense(c);
        }
        int n = c.numel();
        Storage out = Storage.output(s.device, dt, n);
        if (n > 0) {
            s.device.convert(c.data().buffer(), c.offset(), out.buffer(), 0, n);
        }
        int[] st = Shapes.contiguousStrides(compact);
        for (int d = 0; d < r; d++) {
            if (v.strides()[d] == 0) {
                st[d] = 0;
            }
        }
        return new View(out, v.shape(), st, 0);
    }

    /** A contiguous copy of the view in its own dtype. */
    static View dense(View v) {
        Storage out = Storage.output(v.data().device, v.data().dtype, v.numel());
        View o = new View(out, v.shape(), Shapes.contiguousStrides(v.shape()), 0);
        copy(v, o);
        return o;
    }

    // ------------------------------------------------------------------ reductions

    /** Reduces the axes flagged in {@code axes}; the result has the keep-dims shape. */
    static Storage reduce(TensorReduceOp op, View x, boolean[] axes, DType dt) {
        Interrupts.check("reduce " + op);
        if (op == TensorReduceOp.ARGMAX || op == TensorReduceOp.ARGMIN) {
            return argReduce(op, x, axes, dt);
        }
        org.reprolab.tornado.ReduceOp top = switch (op) {
            case SUM -> org.reprolab.tornado.ReduceOp.SUM;
            case MAX -> org.reprolab.tornado.ReduceOp.MAX;
            default -> org.reprolab.tornado.ReduceOp.MIN;
        };
        int r = x.rank();
        int[] shape = x.shape();
        int first = -1;
        int last = -1;
        long n = 1;
        for (int d = 0; d < r; d++) {
            if (axes[d]) {
                n *= shape[d];
                if (shape[d] != 1) {
                    first = first < 0 ? d : first;
                    last = d;
                }
            }
        }
        boolean block = true;
        for (int d = Math.max(first, 0); d <= last; d++) {
            block &= axes[d] || shape[d] == 1;
        }
        View in = x;
        long outer = 1;
        long inner = 1;
        if (!x.data().isConstant() && x.contiguous() && block) {
            for (int d = 0; d < r; d++) {
                if (!axes[d]) {
                    if (first < 0 || d < first) {
                        outer *= shape[d];
                    } else {
                        inner *= shape[d];
                    }
                }
            }
        } else {
            // kept axes first, reduced last, copied into a contiguous [outer, n] block
            int[] perm = new int[r];
            int j = 0;
            for (int d = 0; d < r; d++) {
                if (!axes[d]) {
                    perm[j++] = d;
                    outer *= shape[d];
                }
            }
            for (int d = 0; d < r; d++) {
                if (axes[d]) {
                    perm[j++] = d;
                }
            }
            int[] ps = new int[r];
            int[] pst = new int[r];
            for (int d = 0; d < r; d++) {
                ps[d] = shape[perm[d]];
                pst[d] = x.data().isConstant() ? 0 : x.strides()[perm[d]];
            }
            in = dense(new View(x.data(), ps, pst, x.data().isConstant() ? 0 : x.offset()));
        }
        Device d = x.data().device;
        int outN = (int) (outer * inner);
        // an empty reduced axis leaves the zeros of a fresh buffer (a sum of nothing)
        Storage out = n > 0 ? Storage.output(d, x.data().dtype, outN) : Storage.allocate(d, x.data().dtype, outN);
        if (outN > 0) {
            d.reduce(top, in.data().buffer(), in.offset(), (int) outer, (int) n, (int) inner, out.buffer(), 0);
        }
        return out.dtype == dt ? out : cast(new View(out, new int[] {outN}, new int[] {1}, 0), dt).data();
    }

    /**
     * Index of the first extremum along the one flagged axis, from device primitives: the extremum,
     * then each position's index where it is hit (NaN counts as the extremum, as in NumPy) and +inf
     * elsewhere, then the minimum of those.
     */
    private static Storage argReduce(TensorReduceOp op, View x, boolean[] axes, DType dt) {
        int axis = -1;
        for (int d = 0; d < axes.length; d++) {
            if (axes[d]) {
                axis = d;
            }
        }
        DType xt = x.data().dtype;
        int[] keep = x.shape().clone(); // views share their arrays with the tensor
        keep[axis] = 1;
        Storage m = reduce(op == TensorReduceOp.ARGMAX ? TensorReduceOp.MAX : TensorReduceOp.MIN, x, axes, xt);
        int[] mst = Shapes.contiguousStrides(keep);
        mst[axis] = 0;
        int len = x.shape()[axis];
        Device d = x.data().device;
        double[] iota = new double[len];
        Arrays.setAll(iota, i -> i);
        Storage pos = Storage.wrap(d, iota);
        int[] ist = new int[x.rank()];
        ist[axis] = 1;
        View iv = cast(new View(pos, x.shape(), ist, 0), xt);
        Storage hit = launch("argpos", "argpos", e -> e[1].ne(e[1]).where(e[0].ne(e[0]), e[0].eq(e[1]))
                .where(e[2], Expr.c(Double.POSITIVE_INFINITY)), xt, x, new View(m, x.shape(), mst, 0), iv);
        Storage first = reduce(TensorReduceOp.MIN, new View(hit, x.shape(), Shapes.contiguousStrides(x.shape()), 0), axes, xt);
        return first.dtype == dt ? first : cast(new View(first, new int[] {first.size()}, new int[] {1}, 0), dt).data();
    }

    // ------------------------------------------------------------------ matmul

    /** Batched matrix product; a is [..., m, k], b is [..., k, n] with identical batch dims. */
    static Storage matmul(View a, View b, DType dt) {
        Interrupts.check("matmul");
        Device d = device("matmul", a, b);
        if (a.data().dtype != dt || a.data().isConstant()) {
            a = a.data().isConstant() ? dense(a) : cast(a, dt);
        }
        if (b.data().dtype != dt || b.data().isConstant()) {
            b = b.data().isConstant() ? dense(b) : cast(b, dt);
        }
        int r = a.rank();
        int m = a.shape()[r - 2];
        int k = a.shape()[r - 1];
        int n = b.shape()[r - 1];
        int[] batch = Arrays.copyOf(a.shape(), r - 2);
        int nb = Shapes.numel(batch);
        Storage out = k > 0 ? Storage.output(d, dt, nb * m * n) : Storage.allocate(d, dt, nb * m * n);
        if (nb == 0 || m == 0 || n == 0) {
            return out;
        }
        int[] ao = batchOffsets(batch, a.strides(), a.offset());
        int[] bo = batchOffsets(batch, b.strides(), b.offset());
        int as = nb > 1 ? ao[1] - ao[0] : 0;
        int bs = nb > 1 ? bo[1] - bo[0] : 0;
        boolean uniform = as >= 0 && bs >= 0;
        for (int i = 0; uniform && i < nb; i++) {
            uniform = ao[i] == ao[0] + i * as && bo[i] == bo[0] + i * bs;
        }
        int ars = a.strides()[r - 2];
        int acs = a.strides()[r - 1];
        int brs = b.strides()[r - 2];
        int bcs = b.strides()[r - 1];
        if (uniform) {
            d.matmul(nb, m, n, k, new MatrixView(a.data().buffer(), ao[0], as, ars, acs),
                    new MatrixView(b.data().buffer(), bo[0], bs, brs, bcs),
                    new MatrixView(out.buffer(), 0, m * n, n, 1), false);
        } else {
            for (int i = 0; i < nb; i++) {
                Interrupts.check("matmul");
                d.matmul(1, m, n, k, new MatrixView(a.data().buffer(), ao[i], 0, ars, acs),
                        new MatrixView(b.data().buffer(), bo[i], 0, brs, bcs),
                        new MatrixView(out.buffer(), i * m * n, 0, n, 1), false);
            }
        }
        return out;
    }

    /** Offset of each batch matrix, batches in row-major order. */
    private static int[] batchOffsets(int[] batch, int[] strides, int offset) {
        int nb = Shapes.numel(batch);
        int[] offs = new int[nb];
        int[] idx = new int[batch.length];
        for (int i = 0; i < nb; i++) {
            int o = offset;
            for (int d = 0; d < batch.length; d++) {
                o += idx[d] * strides[d];
            }
            offs[i] = o;
            for (int d = batch.length - 1; d >= 0; d--) {
                if (++idx[d] < batch[d]) {
                    break;
                }
                idx[d] = 0;
            }
        }
        return offs;
    }

    // ------------------------------------------------------------------ indexing

    /** out[i] = x[i with i[axis] replaced by index[i]]; output has the index shape. */
    static Storage gather(View x, int axis, View index, DType dt) {
        Interrupts.check("gather");
        Device d = device("gather", x, index);
        if (x.data().dtype != dt || x.data().isConstant()) {
            x = x.data().isConstant() ? dense(x) : cast(x, dt);
        }
        int len = x.shape()[axis];
        View idx = checkedIndex("gather", index, len, dt);
        Storage out = Storage.output(d, dt, index.numel());
        if (index.numel() > 0) {
            d.gather(index.shape(), axis, len, Operand.strided(x.data().buffer(), x.offset(), x.strides()),
                    Operand.of(idx.data().buffer()), Operand.of(out.buffer()));
        }
        return out;
    }

    /** The adjoint of gather: zeros of outShape, then out[i with i[axis] = index[i]] += src[i]. */
    static Storage scatterAdd(View src, int axis, View index, int[] outShape, DType dt) {
        Interrupts.check("scatterAdd");
        Device d = device("scatterAdd", src, index);
        if (src.data().dtype != dt || src.data().isConstant()) {
            src = src.data().isConstant() ? dense(src) : cast(src, dt);
        }
        View idx = checkedIndex("scatterAdd", index, outShape[axis], dt);
        Storage out = Storage.allocate(d, dt, Shapes.numel(outShape));
        if (index.numel() > 0) {
            d.scatterAdd(index.shape(), axis, outShape[axis], Operand.strided(src.data().buffer(), src.offset(), src.strides()),
                    Operand.of(idx.data().buffer()), Operand.strided(out.buffer(), 0, Shapes.contiguousStrides(outShape)));
        }
        return out;
    }

    private static final Expr IDX = Expr.in(0);
    private static final Expr LEN = Expr.param(0);
    /** Outputs: the index with negatives counted from the end, and a flag (> 0) where it is bad. */
    private static final ElementwiseKernel INDEX = ElementwiseKernel.of("index_check", 1, 1,
            IDX.lt(Expr.c(0)).where(IDX.add(LEN), IDX),
            IDX.ne(IDX.floor()).add(IDX.lt(LEN.neg())).add(IDX.ge(LEN)).add(IDX.ne(IDX)));

    /**
     * The index values, normalised into {@code [0, len)} as a contiguous tensor of {@code dt}; an
     * {@link IndexOutOfBoundsException} naming the op and the first bad value otherwise. The check
     * runs on the device (one kernel, one reduction) so every device rejects the same inputs.
     */
    private static View checkedIndex(String op, View index, int len, DType dt) {
        View ix = index.data().isConstant() || index.data().dtype != dt ? cast(index, dt) : index;
        Device d = ix.data().device;
        int n = ix.numel();
        Storage norm = Storage.allocate(d, dt, n);
        Storage bad = Storage.allocate(d, dt, n);
        if (n == 0) {
            return new View(norm, index.shape(), Shapes.contiguousStrides(index.shape()), 0);
        }
        if (ix.data().isConstant()) {
            ix = dense(ix);
        }
        int[] shape = ix.contiguous() ? new int[] {n} : launchShape(ix.shape());
        d.run(INDEX, shape, List.of(operand(ix, shape)), List.of(Operand.of(norm.buffer()), Operand.of(bad.buffer())), len);
        if (d.reduceToHost(org.reprolab.tornado.ReduceOp.MAX, bad.buffer(), 0, n) > 0) {
            double[] raw = new double[n];
            dense(index).data().buffer().read(0, raw, 0, n);
            for (double v : raw) {
                if (v != Math.rint(v) || v < -len || v >= len) {
                    throw new IndexOutOfBoundsException(op + ": index " + v + " out of range for dimension of size " + len);
                }
            }
            throw new IndexOutOfBoundsException(op + ": index out of range for dimension of size " + len);
        }
        return new View(norm, index.shape(), Shapes.contiguousStrides(index.shape()), 0);
    }
}
