package org.reprolab.tensor;

import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import java.util.stream.IntStream;

/**
 * Plain-Java kernels: strided loops, split over the common ForkJoin pool when large. The walker
 * visits an N-d index space one innermost run at a time, so per-element work is a tight loop and
 * per-run work (index carry) is amortised.
 */
final class JvmBackend implements Backend {

    static final JvmBackend INSTANCE = new JvmBackend();
    private static final int PARALLEL_MIN = 1 << 15;

    private JvmBackend() {}

    @Override
    public String name() {
        return "jvm";
    }

    /** A run of {@code len} consecutive output elements starting at flat index {@code out}. */
    @FunctionalInterface
    interface Run {
        void run(int out, int[] offs, int len);
    }

    @FunctionalInterface
    interface RangeBody {
        void run(int from, int to);
    }

    /** Runs body over [0, n), in parallel chunks when n is large; polls for interruption. */
    static void forRange(int n, int costPerElement, String what, RangeBody body) {
        Thread caller = Thread.currentThread();
        Interrupts.check(caller, what);
        long work = (long) n * costPerElement;
        int par = ForkJoinPool.getCommonPoolParallelism();
        if (work < PARALLEL_MIN || par < 2 || n < 2) {
            body.run(0, n);
            return;
        }
        int chunks = (int) Math.min(Math.min(n, 4L * par), Math.max(2, work / (PARALLEL_MIN / 2)));
        IntStream.range(0, chunks).parallel().forEach(c -> {
            Interrupts.check(caller, what);
            body.run((int) ((long) c * n / chunks), (int) ((long) (c + 1) * n / chunks));
        });
    }

    /**
     * Visits flat indices [from, to) of {@code shape}; for each innermost run calls {@code run}
     * with the element offsets of each strided operand at the run's start.
     */
    static void walk(int[] shape, int[][] strides, int[] bases, int from, int to, Run run) {
        if (from >= to) {
            return;
        }
        int k = strides.length;
        if (shape.length == 0) {
            shape = new int[] {1};
            int[][] s = new int[k][];
            for (int j = 0; j < k; j++) {
                s[j] = new int[] {0};
            }
            strides = s;
        }
        int r = shape.length;
        int last = r - 1;
        int[] idx = new int[r];
        int rem = from;
        for (int d = last; d >= 0; d--) {
            idx[d] = rem % shape[d];
            rem /= shape[d];
        }
        int[] offs = new int[k];
        for (int j = 0; j < k; j++) {
            int o = bases[j];
            for (int d = 0; d < r; d++) {
                o += idx[d] * strides[j][d];
            }
            offs[j] = o;
        }
        int i = from;
        int n = shape[last];
        while (i < to) {
            int len = Math.min(n - idx[last], to - i);
            run.run(i, offs, len);
            i += len;
            if (i >= to) {
                break;
            }
            for (int j = 0; j < k; j++) {
                offs[j] += len * strides[j][last];
            }
            idx[last] += len;
            int d = last;
            while (d > 0 && idx[d] == shape[d]) {
                for (int j = 0; j < k; j++) {
                    offs[j] += strides[j][d - 1] - shape[d] * strides[j][d];
                }
                idx[d] = 0;
                d--;
                idx[d]++;
            }
        }
    }

    /** If every view is contiguous (same shape), the iteration collapses to one flat dimension. */
    private static boolean allContiguous(View... vs) {
        for (View v : vs) {
            if (!v.contiguous()) {
                return false;
            }
        }
        return true;
    }

    /** 1 if the view is dense in row-major order, 0 if it is one broadcast value, else -1. */
    private static int flatStep(View v) {
        if (v.contiguous()) {
            return 1;
        }
        for (int st : v.strides()) {
            if (st != 0) {
                return -1;
            }
        }
        return 0;
    }

    private record Plan(int[] shape, int[][] strides, int[] bases) {}

    private static Plan plan(View... vs) {
        int n = vs[0].numel();
        int[][] st = new int[vs.length][];
        int[] bases = new int[vs.length];
        boolean flat = allContiguous(vs);
        for (int j = 0; j < vs.length; j++) {
            st[j] = flat ? new int[] {1} : vs[j].strides();
            bases[j] = vs[j].offset();
        }
        return new Plan(flat ? new int[] {n} : vs[0].shape(), st, bases);
    }

    @Override
    public Storage map(UnaryOp op, View x, DType dt) {
        int n = x.numel();
        Storage out = Storage.allocate(dt, n);
        if (x.contiguous() && x.data().dtype() == dt) {
            int xo = x.offset();
            if (out instanceof Storage.F64 o && x.data() instanceof Storage.F64 in) {
                forRange(n, op.cost(), op.label(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o.a[i] = op.apply(in.a[xo + i]);
                    }
                });
                return out;
            }
            if (out instanceof Storage.F32 o && x.data() instanceof Storage.F32 in) {
                forRange(n, op.cost(), op.label(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o.a[i] = (float) op.apply(in.a[xo + i]);
                    }
                });
                return out;
            }
        }
        Plan p = plan(x);
        Storage in = x.data();
        int last = p.shape.length == 0 ? 0 : p.shape.length - 1;
        int s = p.strides[0].length == 0 ? 0 : p.strides[0][last];
        forRange(n, op.cost(), op.label(), (from, to) -> walk(p.shape, p.strides, p.bases, from, to, (o, offs, len) -> {
            int xo = offs[0];
            for (int t = 0; t < len; t++) {
                out.set(o + t, op.apply(in.get(xo + t * s)));
            }
        }));
        return out;
    }

    @Override
    public Storage zip(BinaryOp op, View a, View b, DType dt) {
        int n = a.numel();
        Storage out = Storage.allocate(dt, n);
        // fast path: same dtype, each operand dense or a broadcast scalar (the x.mul(2) case)
        int sa = flatStep(a);
        int sb = flatStep(b);
        if (sa >= 0 && sb >= 0 && a.data().dtype() == dt && b.data().dtype() == dt) {
            int ao = a.offset();
            int bo = b.offset();
            if (out instanceof Storage.F64 o && a.data() instanceof Storage.F64 x && b.data() instanceof Storage.F64 y) {
                forRange(n, 1, op.label(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o.a[i] = op.apply(x.a[ao + i * sa], y.a[bo + i * sb]);
                    }
                });
                return out;
            }
            if (out instanceof Storage.F32 o && a.data() instanceof Storage.F32 x && b.data() instanceof Storage.F32 y) {
                forRange(n, 1, op.label(), (from, to) -> {
                    for (int i = from; i < to; i++) {
                        o.a[i] = (float) op.apply(x.a[ao + i * sa], y.a[bo + i * sb]);
                    }
                });
                return out;
            }
        }
        Plan p = plan(a, b);
        Storage da = a.data();
        Storage db = b.data();
        int last = Math.max(p.shape.length - 1, 0);
        int ia = p.strides[0].length == 0 ? 0 : p.strides[0][last];
        int ib = p.strides[1].length == 0 ? 0 : p.strides[1][last];
        forRange(n, 1, op.label(), (from, to) -> walk(p.shape, p.strides, p.bases, from, to, (o, offs, len) -> {
            int ao = offs[0];
            int bo = offs[1];
            for (int t = 0; t < len; t++) {
                out.set(o + t, op.apply(da.get(ao + t * ia), db.get(bo + t * ib)));
            }
        }));
        return out;
    }

    @Override
    public Storage where(View c, View a, View b, DType dt) {
        int n = a.numel();
        Storage out = Storage.allocate(dt, n);
        Plan p = plan(c, a, b);
        int last = Math.max(p.shape.length - 1, 0);
        int[] inner = new int[3];
        for (int j = 0; j < 3; j++) {
            inner[j] = p.strides[j].length == 0 ? 0 : p.strides[j][last];
        }
        forRange(n, 1, "where", (from, to) -> walk(p.shape, p.strides, p.bases, from, to, (o, offs, len) -> {
            for (int t = 0; t < len; t++) {
                boolean take = c.data().get(offs[0] + t * inner[0]) != 0;
                out.set(o + t, take ? a.data().get(offs[1] + t * inner[1]) : b.data().get(offs[2] + t * inner[2]));
            }
        }));
        return out;
    }

    @Override
    public void copy(View src, View dst) {
        int n = dst.numel();
        Plan p = plan(dst, src);
        int last = Math.max(p.shape.length - 1, 0);
        int sd = p.strides[0].length == 0 ? 0 : p.strides[0][last];
        int ss = p.strides[1].length == 0 ? 0 : p.strides[1][last];
        Storage d = dst.data();
        Storage s = src.data();
        forRange(n, 1, "copy", (from, to) -> walk(p.shape, p.strides, p.bases, from, to, (o, offs, len) -> {
            for (int t = 0; t < len; t++) {
                d.set(offs[0] + t * sd, s.get(offs[1] + t * ss));
            }
        }));
    }

    @Override
    public Storage reduce(ReduceOp op, View x, boolean[] axes, DType dt) {
        int r = x.rank();
        int nk = 0;
        for (int d = 0; d < r; d++) {
            if (!axes[d]) {
                nk++;
            }
        }
        int[] keptShape = new int[nk];
        int[] keptStrides = new int[nk];
        int[] redShape = new int[r - nk];
        int[] redStrides = new int[r - nk];
        for (int d = 0, i = 0, j = 0; d < r; d++) {
            if (axes[d]) {
                redShape[j] = x.shape()[d];
                redStrides[j++] = x.strides()[d];
            } else {
                keptShape[i] = x.shape()[d];
                keptStrides[i++] = x.strides()[d];
            }
        }
        int outN = Shapes.numel(keptShape);
        int redN = Shapes.numel(redShape);
        Storage out = Storage.allocate(dt, outN);
        Storage in = x.data();
        int kLast = Math.max(nk - 1, 0);
        int ks = nk == 0 ? 0 : keptStrides[kLast];
        int[][] redSt = {redStrides};
        int rLast = Math.max(redShape.length - 1, 0);
        int rs = redShape.length == 0 ? 0 : redStrides[rLast];
        forRange(outN, Math.max(redN, 1), "reduce " + op, (from, to) ->
                walk(keptShape, new int[][] {keptStrides}, new int[] {x.offset()}, from, to, (o, offs, len) -> {
                    for (int t = 0; t < len; t++) {
                        int base = offs[0] + t * ks;
                        double[] acc = {op == ReduceOp.SUM ? 0 : Double.NaN, -1};
                        walk(redShape, redSt, new int[] {base}, 0, redN, (ro, roffs, rlen) -> {
                            int io = roffs[0];
                            for (int q = 0; q < rlen; q++) {
                                double v = in.get(io + q * rs);
                                accumulate(op, acc, v, ro + q);
                            }
                        });
                        out.set(o + t, op == ReduceOp.ARGMAX || op == ReduceOp.ARGMIN ? acc[1] : acc[0]);
                    }
                }));
        return out;
    }

    /** acc = {value, position}; max/min propagate NaN like NumPy, and keep the first extremum. */
    private static void accumulate(ReduceOp op, double[] acc, double v, int pos) {
        switch (op) {
            case SUM -> acc[0] += v;
            case MAX, ARGMAX -> {
                if (acc[1] < 0 || (!Double.isNaN(acc[0]) && (v > acc[0] || Double.isNaN(v)))) {
                    acc[0] = v;
                    acc[1] = pos;
                }
            }
            case MIN, ARGMIN -> {
                if (acc[1] < 0 || (!Double.isNaN(acc[0]) && (v < acc[0] || Double.isNaN(v)))) {
                    acc[0] = v;
                    acc[1] = pos;
                }
            }
        }
    }

    @Override
    public Storage matmul(View a, View b, DType dt) {
        int r = a.rank();
        int m = a.shape()[r - 2];
        int k = a.shape()[r - 1];
        int n = b.shape()[r - 1];
        int[] batch = java.util.Arrays.copyOf(a.shape(), r - 2);
        int nb = Shapes.numel(batch);
        Storage out = Storage.allocate(dt, nb * m * n);
        int[] ab = java.util.Arrays.copyOf(a.strides(), r - 2);
        int[] bb = java.util.Arrays.copyOf(b.strides(), r - 2);
        int[] aOff = new int[nb];
        int[] bOff = new int[nb];
        walk(batch, new int[][] {ab, bb}, new int[] {a.offset(), b.offset()}, 0, nb, (o, offs, len) -> {
            int sa = batch.length == 0 ? 0 : ab[batch.length - 1];
            int sb = batch.length == 0 ? 0 : bb[batch.length - 1];
            for (int t = 0; t < len; t++) {
                aOff[o + t] = offs[0] + t * sa;
                bOff[o + t] = offs[1] + t * sb;
            }
        });
        int ars = a.strides()[r - 2], acs = a.strides()[r - 1];
        int brs = b.strides()[r - 2], bcs = b.strides()[r - 1];
        for (int bi = 0; bi < nb; bi++) {
            Interrupts.check("matmul");
            int outBase = bi * m * n;
            if (dt == DType.F32) {
                float[] pa = packF(a.data(), aOff[bi], m, k, ars, acs);
                float[] pb = packF(b.data(), bOff[bi], k, n, brs, bcs);
                float[] c = ((Storage.F32) out).a;
                forRange(m, (int) Math.min(Integer.MAX_VALUE, (long) n * k), "matmul",
                        (from, to) -> gemmF(pa, pb, c, outBase, from, to, k, n));
            } else {
                double[] pa = packD(a.data(), aOff[bi], m, k, ars, acs);
                double[] pb = packD(b.data(), bOff[bi], k, n, brs, bcs);
                double[] c = ((Storage.F64) out).a;
                forRange(m, (int) Math.min(Integer.MAX_VALUE, (long) n * k), "matmul",
                        (from, to) -> gemmD(pa, pb, c, outBase, from, to, k, n));
            }
        }
        return out;
    }

    private static final int KB = 256;

    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;

    /**
     * f32 GEMM rows [i0, i1): a 4-row by 2-vector register tile accumulated over all of k with
     * FMA (the Vector API), so each loaded B vector feeds four FMAs; scalar loops finish the
     * ragged edges. c is freshly zeroed, so tiles are stored, not added.
     */
    private static void gemmF(float[] a, float[] b, float[] c, int cBase, int i0, int i1, int k, int n) {
        int l = FS.length();
        int jv = n - n % (2 * l);
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int a0 = i * k;
            int a1 = a0 + k;
            int a2 = a1 + k;
            int a3 = a2 + k;
            for (int j = 0; j < jv; j += 2 * l) {
                FloatVector c00 = FloatVector.zero(FS);
                FloatVector c01 = c00;
                FloatVector c10 = c00;
                FloatVector c11 = c00;
                FloatVector c20 = c00;
                FloatVector c21 = c00;
                FloatVector c30 = c00;
                FloatVector c31 = c00;
                for (int p = 0; p < k; p++) {
                    int bp = p * n + j;
                    FloatVector b0 = FloatVector.fromArray(FS, b, bp);
                    FloatVector b1 = FloatVector.fromArray(FS, b, bp + l);
                    FloatVector x = FloatVector.broadcast(FS, a[a0 + p]);
                    c00 = b0.fma(x, c00);
                    c01 = b1.fma(x, c01);
                    x = FloatVector.broadcast(FS, a[a1 + p]);
                    c10 = b0.fma(x, c10);
                    c11 = b1.fma(x, c11);
                    x = FloatVector.broadcast(FS, a[a2 + p]);
                    c20 = b0.fma(x, c20);
                    c21 = b1.fma(x, c21);
                    x = FloatVector.broadcast(FS, a[a3 + p]);
                    c30 = b0.fma(x, c30);
                    c31 = b1.fma(x, c31);
                }
                int o = cBase + i * n + j;
                c00.intoArray(c, o);
                c01.intoArray(c, o + l);
                c10.intoArray(c, o + n);
                c11.intoArray(c, o + n + l);
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + l);
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + l);
            }
            if (jv < n) {
                gemmFScalar(a, b, c, cBase, i, i + 4, k, n, jv);
            }
        }
        gemmFScalar(a, b, c, cBase, i, i1, k, n, 0);
    }

    /** Plain i-k-j loop over rows [i0, i1) and columns [j0, n). */
    private static void gemmFScalar(float[] a, float[] b, float[] c, int cBase, int i0, int i1, int k, int n, int j0) {
        for (int i = i0; i < i1; i++) {
            int ci = cBase + i * n;
            for (int p = 0; p < k; p++) {
                float aip = a[i * k + p];
                int bp = p * n;
                for (int j = j0; j < n; j++) {
                    c[ci + j] += aip * b[bp + j];
                }
            }
        }
    }

    /** f64 GEMM: cache-blocked i-k-j loop (auto-vectorised by C2); f64 products here are small. */
    private static void gemmD(double[] a, double[] b, double[] c, int cBase, int i0, int i1, int k, int n) {
        for (int p0 = 0; p0 < k; p0 += KB) {
            int p1 = Math.min(k, p0 + KB);
            for (int i = i0; i < i1; i++) {
                int ci = cBase + i * n;
                for (int p = p0; p < p1; p++) {
                    double aip = a[i * k + p];
                    if (aip == 0d) {
                        continue;
                    }
                    int bp = p * n;
                    for (int j = 0; j < n; j++) {
                        c[ci + j] += aip * b[bp + j];
                    }
                }
            }
        }
    }

    private static float[] packF(Storage s, int off, int rows, int cols, int rs, int cs) {
        float[] r = new float[rows * cols];
        if (s instanceof Storage.F32 f && cs == 1) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(f.a, off + i * rs, r, i * cols, cols);
            }
            return r;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[i * cols + j] = (float) s.get(off + i * rs + j * cs);
            }
        }
        return r;
    }

    private static double[] packD(Storage s, int off, int rows, int cols, int rs, int cs) {
        double[] r = new double[rows * cols];
        if (s instanceof Storage.F64 f && cs == 1) {
            for (int i = 0; i < rows; i++) {
                System.arraycopy(f.a, off + i * rs, r, i * cols, cols);
            }
            return r;
        }
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                r[i * cols + j] = s.get(off + i * rs + j * cs);
            }
        }
        return r;
    }

    @Override
    public Storage gather(View x, int axis, View index, DType dt) {
        int n = index.numel();
        Storage out = Storage.allocate(dt, n);
        int[] xs = x.strides().clone();
        int axisStride = xs[axis];
        int axisLen = x.shape()[axis];
        xs[axis] = 0;
        int[][] st = {index.strides(), xs};
        int last = Math.max(index.rank() - 1, 0);
        int si = index.rank() == 0 ? 0 : index.strides()[last];
        int sx = index.rank() == 0 ? 0 : xs[last];
        forRange(n, 1, "gather", (from, to) -> walk(index.shape(), st, new int[] {index.offset(), x.offset()}, from, to,
                (o, offs, len) -> {
                    for (int t = 0; t < len; t++) {
                        int v = checkedIndex("gather", index.data().get(offs[0] + t * si), axisLen);
                        out.set(o + t, x.data().get(offs[1] + t * sx + v * axisStride));
                    }
                }));
        return out;
    }

    @Override
    public Storage scatterAdd(View src, int axis, View index, int[] outShape, DType dt) {
        Storage out = Storage.allocate(dt, Shapes.numel(outShape));
        int[] os = Shapes.contiguousStrides(outShape);
        int axisStride = os[axis];
        int axisLen = outShape[axis];
        os[axis] = 0;
        int[][] st = {index.strides(), src.strides(), os};
        int last = Math.max(index.rank() - 1, 0);
        int si = index.rank() == 0 ? 0 : index.strides()[last];
        int ss = index.rank() == 0 ? 0 : src.strides()[last];
        int so = index.rank() == 0 ? 0 : os[last];
        // sequential: several sources may add into one target
        Interrupts.check("scatterAdd");
        walk(index.shape(), st, new int[] {index.offset(), src.offset(), 0}, 0, index.numel(), (o, offs, len) -> {
            for (int t = 0; t < len; t++) {
                int v = checkedIndex("scatterAdd", index.data().get(offs[0] + t * si), axisLen);
                int target = offs[2] + t * so + v * axisStride;
                out.set(target, out.get(target) + src.data().get(offs[1] + t * ss));
            }
        });
        return out;
    }

    private static int checkedIndex(String op, double raw, int len) {
        int v = (int) raw;
        if (v != raw || v < -len || v >= len) {
            throw new IndexOutOfBoundsException(op + ": index " + raw + " out of range for dimension of size " + len);
        }
        return v < 0 ? v + len : v;
    }
}
