package org.reprolab.tornado;

import static org.junit.jupiter.api.Assertions.*;
import static org.reprolab.tornado.expr.Expr.c;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.reprolab.tornado.expr.BinaryOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.UnaryOp;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * What every device must do, checked against independent values: the double-precision reference
 * evaluator ({@link Expr#eval}), plain-Java loops, and the Philox reference stream. Subclasses say
 * which device.
 */
public abstract class DeviceContract {

    protected abstract Device device();

    /** One kernel exercising every op (one output each), so an OpenCL device builds it once per dtype. */
    public static final ElementwiseKernel ALL_OPS = allOps();

    private static ElementwiseKernel allOps() {
        Expr x = in(0), y = in(1), z = in(2);
        List<Expr> outs = new ArrayList<>();
        for (UnaryOp op : UnaryOp.values()) {
            Expr arg = switch (op) {
                case SQRT, LOG, RSQRT -> x.abs().add(0.1);
                case RECIP -> x.abs().add(0.5);
                case LOG1P -> x.abs();
                default -> x;
            };
            outs.add(arg.unary(op));
        }
        for (BinaryOp op : BinaryOp.values()) {
            outs.add(switch (op) {
                case DIV -> x.div(y.abs().add(0.5));
                case POW -> x.abs().add(0.1).pow(y);
                default -> x.binary(op, y);
            });
        }
        outs.add(x.gt(c(0)).where(y, z));
        outs.add(x.fma(y, z));
        outs.add(x.clamp(-1, 1));
        outs.add(x.mul(param(0)).add(param(1)));
        outs.add(x.sigmoid().mul(y.tanh()).add(x.exp().log1p())); // shared subexpressions
        return new ElementwiseKernel("all_ops", 3, 2, outs);
    }

    public static float[] data(long seed, int n, double lo, double hi) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (lo + (hi - lo) * r.nextDouble());
        return a;
    }

    static void close(double expected, double actual, double rel, double abs, String what) {
        if (Double.isNaN(expected) && Double.isNaN(actual)) return;
        double tol = abs + rel * Math.abs(expected);
        if (!(Math.abs(expected - actual) <= tol))
            fail(what + ": expected " + expected + " but was " + actual + " (|diff| " + Math.abs(expected - actual) + " > " + tol + ")");
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void everyOpMatchesTheReferenceEvaluator(ElementType dt) {
        Device d = device();
        int n = 1000 + 13; // not a multiple of any lane count
        float[] x = data(1, n, -3, 3), y = data(2, n, -2, 2), z = data(3, n, -1, 1);
        for (int i = 0; i < n; i += 7) y[i] = x[i]; // ties for the comparisons
        double[] params = {0.75, -0.25};
        int outs = ALL_OPS.outputs().size();
        List<Buffer> ins = List.of(d.upload(dt, x), d.upload(dt, y), d.upload(dt, z));
        List<Buffer> res = new ArrayList<>();
        for (int k = 0; k < outs; k++) res.add(d.allocate(dt, n));
        d.run(ALL_OPS, n, ins, res, params);
        double rel = dt == ElementType.F32 ? 2e-5 : 1e-12, abs = dt == ElementType.F32 ? 2e-6 : 1e-13;
        double[][] got = new double[outs][];
        for (int k = 0; k < outs; k++) got[k] = res.get(k).toDoubleArray();
        for (int i = 0; i < n; i++) {
            double[] ref = ALL_OPS.eval(new double[] {x[i], y[i], z[i]}, params);
            for (int k = 0; k < outs; k++)
                close(ref[k], got[k][i], rel, abs, d.name() + " " + dt + " output " + k + " (" + ALL_OPS.outputs().get(k) + ") at x=" + x[i] + " y=" + y[i]);
        }
        ins.forEach(Buffer::close);
        res.forEach(Buffer::close);
    }

    /** Adam (Kingma and Ba, ICLR 2015, Algorithm 1) in one pass, in place, against a plain Java loop. */
    static final ElementwiseKernel ADAM = adam();

    static ElementwiseKernel adam() {
        Expr p = in(0), g = in(1), m = in(2), v = in(3);
        Expr lr = param(0), b1 = param(1), b2 = param(2), eps = param(3), bc1 = param(4), bc2 = param(5);
        Expr m1 = b1.mul(m).add(c(1).sub(b1).mul(g));
        Expr v1 = b2.mul(v).add(c(1).sub(b2).mul(g.square()));
        Expr p1 = p.sub(lr.mul(m1.div(bc1)).div(v1.div(bc2).sqrt().add(eps)));
        return ElementwiseKernel.of("adam", 4, 6, p1, m1, v1);
    }

    @Test
    void hostTransfersCountReadsAndWritesButNotDeviceWork() {
        Device d = device();
        long t0 = d.hostTransfers();
        Buffer a = d.upload(ElementType.F32, new float[] {1, 2, 3, 4});
        Buffer b = d.allocate(ElementType.F32, 4);
        assertEquals(1, d.hostTransfers() - t0, "upload is one write");
        d.run(ElementwiseKernel.of("twice", 1, 0, in(0).mul(c(2))), 4, List.of(a), List.of(b));
        d.copy(b, 0, a, 0, 2);
        d.fill(b, 2, 2, 7);
        d.random(Distribution.NORMAL, RngKey.of(1), 0, b, 0, 1);
        d.reduce(ReduceOp.SUM, a, 4, b);
        d.synchronize();
        assertEquals(1, d.hostTransfers() - t0, "kernels, copies, fills, random numbers and reductions stay on the device");
        float[] out = new float[4];
        a.read(0, out, 0, 4);
        b.read(0, out, 0, 0);
        assertArrayEquals(new float[] {2, 4, 3, 4}, out, "the copy of the kernel's first two outputs");
        assertEquals(2, d.hostTransfers() - t0, "a read is one transfer, an empty one none");
        a.close();
        b.close();
    }

    @Test
    void fusedInPlaceAdamMatchesPlainJava() {
        Device d = device();
        int n = 5000;
        float[] p = data(4, n, -1, 1), g = data(5, n, -1, 1);
        float[] m = new float[n], v = new float[n];
        Buffer bp = d.upload(ElementType.F32, p), bg = d.upload(ElementType.F32, g), bm = d.allocate(ElementType.F32, n), bv = d.allocate(ElementType.F32, n);
        double lr = 1e-2, b1 = 0.9, b2 = 0.999, eps = 1e-8;
        for (int t = 1; t <= 3; t++) {
            double bc1 = 1 - Math.pow(b1, t), bc2 = 1 - Math.pow(b2, t);
            d.run(ADAM, n, List.of(bp, bg, bm, bv), List.of(bp, bm, bv), lr, b1, b2, eps, bc1, bc2);
            for (int i = 0; i < n; i++) {
                m[i] = (float) (b1 * m[i] + (1 - b1) * g[i]);
                v[i] = (float) (b2 * v[i] + (1 - b2) * g[i] * g[i]);
                p[i] = (float) (p[i] - lr * (m[i] / bc1) / (Math.sqrt(v[i] / bc2) + eps));
            }
        }
        float[] gp = bp.toFloatArray(), gm = bm.toFloatArray();
        for (int i = 0; i < n; i++) {
            close(p[i], gp[i], 1e-5, 1e-6, "p[" + i + "]");
            close(m[i], gm[i], 1e-5, 1e-7, "m[" + i + "]");
        }
    }

    @Test
    void stridedBroadcastAndTransposedOperands() {
        Device d = device();
        int r = 7, cN = 19;
        float[] a = data(6, r * cN, -1, 1), bias = data(7, cN, -1, 1), t = data(8, cN * r, -1, 1);
        Buffer ba = d.upload(ElementType.F64, a), bb = d.upload(ElementType.F64, bias), bt = d.upload(ElementType.F64, t);
        Buffer out = d.allocate(ElementType.F64, r * cN), outT = d.allocate(ElementType.F64, r * cN + 3);
        ElementwiseKernel k = ElementwiseKernel.of("bias_t", 3, 0, in(0).add(in(1)).mul(in(2)), in(0));
        int[] shape = {r, cN};
        // out[i][j] = (a[i][j] + bias[j]) * t[j][i];  outT (offset 3) holds a transposed: outT[3 + j*r + i] = a[i][j]
        d.run(k, shape, List.of(Operand.of(ba), Operand.strided(bb, 0, 0, 1), Operand.strided(bt, 0, 1, r)),
                List.of(Operand.strided(out, 0, cN, 1), Operand.strided(outT, 3, 1, r)));
        double[] o = out.toDoubleArray(), ot = outT.toDoubleArray();
        for (int i = 0; i < r; i++)
            for (int j = 0; j < cN; j++) {
                assertEquals(((double) a[i * cN + j] + bias[j]) * t[j * r + i], o[i * cN + j], 1e-15, "out[" + i + "][" + j + "]");
                assertEquals(a[i * cN + j], ot[3 + j * r + i], 0.0, "outT[" + j + "][" + i + "]");
            }
    }

    @ParameterizedTest
    @EnumSource(ReduceOp.class)
    void reductionsOverEveryAxisMatchPlainLoops(ReduceOp op) {
        Device d = device();
        int outer = 3, n = 1000, inner = 5;
        float[] x = data(9, outer * n * inner, -2, 2);
        for (ElementType dt : ElementType.values()) {
            Buffer bx = d.upload(dt, x), out = d.allocate(dt, outer * inner + 1);
            d.reduce(op, bx, 0, outer, n, inner, out, 1);
            double[] got = out.toDoubleArray();
            for (int o = 0; o < outer; o++)
                for (int j = 0; j < inner; j++) {
                    double acc = op.identity();
                    for (int i = 0; i < n; i++) acc = combine(op, acc, x[(o * n + i) * inner + j]);
                    close(acc, got[1 + o * inner + j], dt == ElementType.F32 ? 1e-6 : 1e-13, 1e-6, op + " " + dt + " at (" + o + "," + j + ")");
                }
            // a long full reduction (multi-stage on OpenCL, parallel blocks on the JVM), from an offset
            int big = (1 << 17) + 3;
            float[] y = data(10, big + 2, -1, 1);
            Buffer by = d.upload(dt, y);
            double acc = op.identity();
            for (int i = 2; i < big + 2; i++) acc = combine(op, acc, y[i]);
            close(acc, d.reduceToHost(op, by, 2, big), dt == ElementType.F32 ? 1e-6 : 1e-12, 1e-5, op + " " + dt + " full");
            bx.close();
            out.close();
            by.close();
        }
    }

    static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM -> acc + v;
            case SUM_SQUARES -> acc + v * v;
            case MAX -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
            case MAX_ABS -> Math.max(acc, Math.abs(v));
        };
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void matmulMatchesTripleLoop(ElementType dt) {
        // small path, blocked path with ragged edges, transposed B, broadcast A over the batch, accumulate
        checkMatmul(dt, 2, 5, 7, 3, false, false, false);
        checkMatmul(dt, 1, 130, 70, 300, false, false, false);
        checkMatmul(dt, 3, 33, 40, 17, true, true, true);
        checkMatmul(dt, 2, 64, 96, 80, true, false, true);
        checkMatmul(dt, 2, 45, 50, 41, true, true, true); // packed path (above SMALL): transposed B, ragged edges
    }

    private void checkMatmul(ElementType dt, int batch, int m, int n, int k, boolean transB, boolean broadcastA, boolean accumulate) {
        Device d = device();
        float[] a = data(11, (broadcastA ? 1 : batch) * m * k, -1, 1), b = data(12, batch * k * n, -1, 1);
        float[] c0 = data(13, batch * m * n, -1, 1);
        Buffer ba = d.upload(dt, a), bb = d.upload(dt, b), bc = d.upload(dt, c0);
        MatrixView va = new MatrixView(ba, 0, broadcastA ? 0 : m * k, k, 1);
        // transB: b holds B^T (n x k row-major), viewed as k x n
        MatrixView vb = transB ? new MatrixView(bb, 0, k * n, 1, k) : MatrixView.rowMajor(bb, k, n);
        d.matmul(batch, m, n, k, va, vb, MatrixView.rowMajor(bc, m, n), accumulate);
        double[] got = bc.toDoubleArray();
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double s = accumulate ? (dt == ElementType.F32 ? c0[(t * m + i) * n + j] : c0[(t * m + i) * n + j]) : 0, mag = 0;
                    for (int p = 0; p < k; p++) {
                        double av = a[(broadcastA ? 0 : t * m * k) + i * k + p];
                        double bv = transB ? b[t * k * n + j * k + p] : b[t * k * n + p * n + j];
                        s += av * bv;
                        mag += Math.abs(av * bv);
                    }
                    close(s, got[(t * m + i) * n + j], 0, (dt == ElementType.F32 ? 1e-6 : 1e-14) * (mag + 1),
                            "matmul " + dt + " " + batch + "x" + m + "x" + n + "x" + k + " at (" + t + "," + i + "," + j + ")");
                }
        ba.close();
        bb.close();
        bc.close();
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void randomIsThePhiloxStream(ElementType dt) {
        Device d = device();
        RngKey key = RngKey.of(42).foldIn(7);
        int n = 1001;
        long start = 5; // not aligned to a Philox block
        for (Distribution dist : Distribution.values()) {
            Buffer b = d.allocate(dt, n + 3);
            d.random(dist, key, start, b, 3, n);
            double[] got = b.toDoubleArray();
            double[] want = new double[n];
            if (dt == ElementType.F32) {
                float[] f = new float[n];
                Philox.fill(key, dist == Distribution.NORMAL, start, f, 0, n);
                for (int i = 0; i < n; i++) want[i] = f[i];
            } else Philox.fill(key, dist == Distribution.NORMAL, start, want, 0, n);
            assertEquals(0.0, got[0]);
            for (int i = 0; i < n; i++) {
                if (dist == Distribution.UNIFORM) assertEquals(want[i], got[3 + i], 0.0, dt + " uniform " + i);
                else close(want[i], got[3 + i], dt == ElementType.F32 ? 1e-6 : 1e-13, 1e-6, dt + " normal " + i);
            }
            b.close();
        }
    }

    @ParameterizedTest
    @EnumSource(ElementType.class)
    void gatherAndScatterAddMatchPlainLoops(ElementType dt) {
        Device d = device();
        // src [3, 4] read through a transposed view: element (i, j) at j*3 + i of a [4, 3] buffer
        double[] src = new double[12];
        for (int i = 0; i < 12; i++) src[i] = i * 1.5 - 4;
        double[] idx = {2, 0, 1, 1, 0, 2}; // [2, 3] along axis 1 of a [2, 4]-shaped launch? axis 1 indexes 4 columns
        try (Buffer s = d.upload(dt, src); Buffer ix = d.upload(dt, idx); Buffer out = d.allocate(dt, 6)) {
            // gather along axis 0: out[i, j] = srcT[idx[i, j], j], srcT being [3, 4] with strides (1, 3)
            d.gather(new int[] {2, 3}, 0, 3, Operand.strided(s, 0, 1, 3), Operand.of(ix), Operand.of(out));
            double[] got = out.toDoubleArray();
            for (int i = 0; i < 2; i++)
                for (int j = 0; j < 3; j++)
                    assertEquals(src[j * 3 + (int) idx[i * 3 + j]], got[i * 3 + j], 0, "gather " + i + "," + j);
            // scatter-add along axis 1 into [2, 3] (zeros), repeated indices add up
            try (Buffer acc = d.allocate(dt, 6)) {
                d.scatterAdd(new int[] {2, 3}, 1, 3, Operand.of(out), Operand.of(ix), Operand.of(acc));
                double[] want = new double[6];
                for (int i = 0; i < 2; i++)
                    for (int j = 0; j < 3; j++) want[i * 3 + (int) idx[i * 3 + j]] += got[i * 3 + j];
                assertArrayEquals(want, acc.toDoubleArray(), 1e-6);
            }
        }
    }

    @Test
    void wrapAndConvert() {
        Device d = device();
        float[] host = {1.25f, -2.5f, 3};
        try (Buffer w = d.wrap(host); Buffer dd = d.allocate(ElementType.F64, 3)) {
            assertArrayEquals(host, w.toFloatArray());
            d.convert(w, 0, dd, 0, 3);
            assertArrayEquals(new double[] {1.25, -2.5, 3}, dd.toDoubleArray());
            if (w.heapFloats() != null) {
                assertSame(host, w.heapFloats(), "a heap device wraps without copying");
                host[0] = 7;
                assertEquals(7, w.toFloatArray()[0]);
            }
        }
    }

    @Test
    void copyAndFill() {
        Device d = device();
        Buffer a = d.upload(ElementType.F32, new float[] {1, 2, 3, 4, 5}), b = d.allocate(ElementType.F32, 5);
        d.fill(b, 0, 5, 9);
        d.copy(a, 1, b, 2, 3);
        assertArrayEquals(new float[] {9, 9, 2, 3, 4}, b.toFloatArray());
        Buffer z = d.allocate(ElementType.F32, 0);
        assertEquals(0, z.toFloatArray().length);
    }

    @Test
    void wrongSizesAreNamedWithBothNumbersAndTheOp() {
        Device d = device();
        Buffer small = d.allocate(ElementType.F32, 10), big = d.allocate(ElementType.F32, 20), other = d.allocate(ElementType.F64, 20);
        ElementwiseKernel add = ElementwiseKernel.of("add", 2, 0, in(0).add(in(1)));
        DeviceException e = assertThrows(DeviceException.class, () -> d.run(add, 20, List.of(small, big), List.of(big)));
        assertTrue(e.getMessage().contains("'add'") && e.getMessage().contains("10") && e.getMessage().contains("20"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> d.run(add, 20, List.of(big, other), List.of(big)));
        assertTrue(e.getMessage().contains("F64") && e.getMessage().contains("F32"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> d.run(add, 10, List.of(small), List.of(small)));
        assertTrue(e.getMessage().contains("2 inputs"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> d.matmul(small, big, big, 1, 4, 4, 4));
        assertTrue(e.getMessage().contains("matmul A") && e.getMessage().contains("10") && e.getMessage().contains("16"), e.getMessage());
        e = assertThrows(DeviceException.class, () -> small.write(new float[11]));
        assertTrue(e.getMessage().contains("10") && e.getMessage().contains("11"), e.getMessage());
        small.close();
        e = assertThrows(DeviceException.class, () -> small.toFloatArray());
        assertTrue(e.getMessage().contains("closed"), e.getMessage());
    }
}
