package org.reprolab.ode.tensor;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * {@link StateOps} for tensor solves that record nothing (issue 16): the state stays in device buffers that these
 * ops own and overwrite in place (destination passing, as the {@code double[]} path), each stage combination
 * {@code y + h Σ w_j k_j} is one fused element-wise kernel built from the {@code tornado/expr} IR once per pattern of
 * non-zero weights and relaunched with the weights as parameters, and the reductions that end an attempt (the
 * embedded error's sums of squares, the stiffness test's two distances) are one kernel plus one reduction per
 * quantity, read back together: one transfer of a few scalars per adaptive step, none per fixed step (see
 * {@link StateOps#hostResident()}).
 *
 * <p>Every expression is the one {@link TensorOps} runs op by op, in the same order, so the two paths agree bit
 * for bit (the reductions are the same {@code Device.reduce} over the same element order).
 * The scaled error term adds {@code y1 − y1} (+0 for a finite component, NaN otherwise), which leaves a finite
 * sum unchanged and lets a finite error norm vouch that the candidate state is finite without another read.
 */
final class DeviceOps implements StateOps<TensorState> {
    private static final Map<Key, ElementwiseKernel> KERNELS = new ConcurrentHashMap<>();
    private static final int NORMS = 4; // den², num², s5 and s3 terms of attemptNorms

    private record Key(String kind, long a, long b) {}

    private final int[][] shapes;
    private final int[] lengths;
    private final Device device;
    private final ElementType dtype;
    private final int size;
    private final int longest;
    private Buffer scratch, sums; // allocated by the first reduction (a sampler's loop makes none)
    private final double[] sumsHost;
    private TensorState finite; // the state the last finite error norm vouched for

    DeviceOps(Tensor... template) {
        shapes = new int[template.length][];
        lengths = new int[template.length];
        device = template[0].buffer().device();
        dtype = template[0].buffer().dtype();
        int n = 0, longest = 0;
        for (int p = 0; p < template.length; p++) {
            if (template[p].buffer().device() != device || template[p].buffer().dtype() != dtype)
                throw new IllegalArgumentException("a device solve needs every part of the state on one device with one dtype");
            shapes[p] = template[p].shape();
            lengths[p] = template[p].numel();
            n += lengths[p];
            longest = Math.max(longest, lengths[p]);
        }
        size = n;
        this.longest = longest;
        sumsHost = new double[NORMS * template.length];
    }

    @Override public boolean hostResident() { return false; }

    /** States handed back by {@link #release}, reused by {@link #like} (a sampler loop allocates one per combination). */
    private final java.util.ArrayDeque<TensorState> free = new java.util.ArrayDeque<>();

    @Override
    public void release(List<TensorState> states) {
        free.addAll(states);
    }

    @Override
    public TensorState like(TensorState x) {
        if (!free.isEmpty()) return free.pop();
        Tensor[] parts = new Tensor[shapes.length];
        for (int p = 0; p < parts.length; p++) parts[p] = Tensor.fromBuffer(device.allocate(dtype, lengths[p]), shapes[p]);
        return new TensorState(parts);
    }

    @Override public int size(TensorState x) { return size; }

    @Override
    public void copy(TensorState src, TensorState dst) {
        written(dst);
        for (int p = 0; p < shapes.length; p++) {
            Tensor s = dense(src.parts[p]);
            device.copy(s.buffer(), s.offset(), dst.parts[p].buffer(), 0, lengths[p]);
        }
    }

    @Override
    public void combine(TensorState dst, TensorState y, double h, double[] w, TensorState[] k, int n) {
        double[] c = new double[n];
        for (int j = 0; j < n; j++) c[j] = h * w[j];
        long mask = mask(c, n);
        ElementwiseKernel kern = kernel("combine", mask, 0, () -> {
            Expr acc = Expr.in(0);
            int i = 1;
            for (int j = 0; j < n; j++) {
                if ((mask >>> j & 1) == 0) continue;
                acc = acc.add(Expr.in(i).mul(Expr.param(i - 1)));
                i++;
            }
            return ElementwiseKernel.of("ode_combine_" + Long.toHexString(mask), i, i - 1, acc);
        });
        written(dst);
        for (int p = 0; p < shapes.length; p++) {
            List<Tensor> in = new ArrayList<>();
            in.add(y.parts[p]);
            for (int j = 0; j < n; j++) if ((mask >>> j & 1) != 0) in.add(k[j].parts[p]);
            launch(kern, p, in, List.of(dst.parts[p].buffer()), selected(c, mask, n));
        }
    }

    @Override
    public void lincomb(TensorState dst, double[] w, TensorState[] v, int n) {
        long mask = mask(w, n);
        written(dst);
        if (mask == 0) {
            for (int p = 0; p < shapes.length; p++) device.fill(dst.parts[p].buffer(), 0, lengths[p], 0);
            return;
        }
        ElementwiseKernel kern = kernel("lincomb", mask, 0, () -> {
            Expr acc = weighted(mask, n, 0, 0);
            return ElementwiseKernel.of("ode_lincomb_" + Long.toHexString(mask), Long.bitCount(mask), Long.bitCount(mask), acc);
        });
        for (int p = 0; p < shapes.length; p++)
            launch(kern, p, pick(v, mask, n, p), List.of(dst.parts[p].buffer()), selected(w, mask, n));
    }

    @Override
    public double scaledSumSquares(double[] w, TensorState[] k, int n, TensorState y0, TensorState y1, double atol, double rtol) {
        double[] r = new double[NORMS];
        attemptNorms(y1, null, null, null, w, null, k, n, y0, atol, rtol, r);
        return r[2];
    }

    /**
     * One kernel writes the per-element terms of every norm asked for into the scratch buffer, one reduction per
     * term sums them into {@code sums}, and one read brings all of them to the host.
     */
    @Override
    public void attemptNorms(TensorState yNew, TensorState gLast, TensorState kS, TensorState kS1, double[] e, double[] e3,
                             TensorState[] k, int n, TensorState y0, double atol, double rtol, double[] out) {
        boolean stiff = gLast != null;
        long m5 = e == null ? 0 : mask(e, n), m3 = e3 == null ? 0 : mask(e3, n), used = m5 | m3;
        int want = (stiff ? 3 : 0) | (e != null ? 4 : 0) | (e != null && e3 != null ? 8 : 0);
        ElementwiseKernel kern = kernel("norms" + want, m5, m3, () -> normsKernel(want, m5, m3, used, n));
        allocateReductions();
        double[] params = new double[2 + Long.bitCount(m5) + Long.bitCount(m3)];
        params[0] = atol;
        params[1] = rtol;
        System.arraycopy(selected(e, m5, n), 0, params, 2, Long.bitCount(m5));
        System.arraycopy(selected(e3, m3, n), 0, params, 2 + Long.bitCount(m5), Long.bitCount(m3));
        for (int p = 0; p < shapes.length; p++) {
            List<Tensor> in = new ArrayList<>(List.of(y0.parts[p], yNew.parts[p]));
            if (stiff) in.addAll(List.of(gLast.parts[p], kS.parts[p], kS1.parts[p]));
            in.addAll(pick(k, used, n, p));
            List<Buffer> outs = new ArrayList<>();
            for (int q = 0; q < kern.outputs().size(); q++) outs.add(scratch);
            launch(kern, p, in, outs, params);
        }
        double[] r = readSums(want);
        out[0] = stiff ? Math.sqrt(r[0]) : Double.NaN;
        out[1] = stiff ? Math.sqrt(r[1]) : Double.NaN;
        out[2] = e == null ? Double.NaN : r[2];
        out[3] = e == null || e3 == null ? Double.NaN : r[3];
        if (e != null && Double.isFinite(out[2])) finite = yNew;
    }

    /** Inputs {@code y0, y1, [gLast, kS, kS1,] k_j…}; params {@code atol, rtol, e_j…, e3_j…}; one output per wanted term. */
    private static ElementwiseKernel normsKernel(int want, long m5, long m3, long used, int n) {
        Expr y0 = Expr.in(0), y1 = Expr.in(1);
        boolean stiff = (want & 1) != 0;
        int kAt = stiff ? 5 : 2;
        List<Expr> outs = new ArrayList<>();
        if (stiff) {
            outs.add(y1.sub(Expr.in(2)).square());
            outs.add(Expr.in(3).sub(Expr.in(4)).square());
        }
        Expr sc = y0.abs().max(y1.abs()).mul(Expr.param(1)).add(Expr.param(0));
        if ((want & 4) != 0) outs.add(weightedOver(m5, used, n, kAt, 2).div(sc).square().add(y1.sub(y1)));
        if ((want & 8) != 0) outs.add(weightedOver(m3, used, n, kAt, 2 + Long.bitCount(m5)).div(sc).square());
        return new ElementwiseKernel("ode_norms" + want + "_" + Long.toHexString(m5) + "_" + Long.toHexString(m3),
                kAt + Long.bitCount(used), 2 + Long.bitCount(m5) + Long.bitCount(m3), outs);
    }

    /** {@code Σ_{j ∈ mask} k_j·w_j} in TensorOps' order, k_j the input of j's rank in {@code used} after {@code kAt}. */
    private static Expr weightedOver(long mask, long used, int n, int kAt, int paramAt) {
        Expr acc = null;
        int q = 0;
        for (int j = 0; j < n; j++) {
            if ((mask >>> j & 1) == 0) continue;
            Expr term = Expr.in(kAt + Long.bitCount(used & ((1L << j) - 1))).mul(Expr.param(paramAt + q++));
            acc = acc == null ? term : acc.add(term);
        }
        return acc == null ? Expr.c(0) : acc;
    }

    private static Expr weighted(long mask, int n, int kAt, int paramAt) {
        return weightedOver(mask, mask, n, kAt, paramAt);
    }

    @Override
    public double scaledRms(TensorState v, TensorState y, double atol, double rtol) {
        ElementwiseKernel kern = kernel("rms", 0, 0, () -> ElementwiseKernel.of("ode_scaled_rms", 2, 2,
                Expr.in(0).div(Expr.in(1).abs().mul(Expr.param(1)).add(Expr.param(0))).square()));
        return Math.sqrt(sumOf(kern, p -> List.of(v.parts[p], y.parts[p]), atol, rtol) / size);
    }

    @Override
    public double scaledRmsDiff(TensorState a, TensorState b, TensorState y, double atol, double rtol) {
        ElementwiseKernel kern = kernel("rmsdiff", 0, 0, () -> ElementwiseKernel.of("ode_scaled_rms_diff", 3, 2,
                Expr.in(0).sub(Expr.in(1)).div(Expr.in(2).abs().mul(Expr.param(1)).add(Expr.param(0))).square()));
        return Math.sqrt(sumOf(kern, p -> List.of(a.parts[p], b.parts[p], y.parts[p]), atol, rtol) / size);
    }

    @Override
    public double distance(TensorState a, TensorState b) {
        ElementwiseKernel kern = kernel("dist", 0, 0, () -> ElementwiseKernel.of("ode_sq_distance", 2, 0,
                Expr.in(0).sub(Expr.in(1)).square()));
        return Math.sqrt(sumOf(kern, p -> List.of(a.parts[p], b.parts[p])));
    }

    @Override
    public boolean allFinite(TensorState x) {
        if (x == finite) return true;
        ElementwiseKernel kern = kernel("finite", 0, 0, () -> ElementwiseKernel.of("ode_nan_poison", 1, 0,
                Expr.in(0).sub(Expr.in(0))));
        return Double.isFinite(sumOf(kern, p -> List.of(x.parts[p])));
    }

    @Override
    public void toArray(TensorState x, double[] out) {
        int at = 0;
        for (int p = 0; p < shapes.length; p++) {
            Tensor t = dense(x.parts[p]);
            t.buffer().read(t.offset(), out, at, lengths[p]);
            at += lengths[p];
        }
    }

    @Override
    public TensorState fromArray(double[] values) {
        TensorState s = like(null);
        int at = 0;
        for (int p = 0; p < shapes.length; p++) {
            s.parts[p].buffer().write(0, values, at, lengths[p]);
            at += lengths[p];
        }
        return s;
    }

    // ------------------------------------------------------------------ launches

    private interface PartInputs {
        List<Tensor> of(int part);
    }

    /** Σ over all parts and elements of the kernel's one output; one read. */
    private double sumOf(ElementwiseKernel kern, PartInputs in, double... params) {
        allocateReductions();
        for (int p = 0; p < shapes.length; p++) launch(kern, p, in.of(p), List.of(scratch), params);
        return readSums(1)[0];
    }

    private void allocateReductions() {
        if (scratch != null) return;
        scratch = device.allocate(dtype, Math.max(1, NORMS * longest));
        sums = device.allocate(dtype, NORMS * shapes.length);
    }

    /**
     * Reduces the scratch terms selected by {@code want} (bit q: the term of output rank q among the set bits) of
     * every part into {@code sums} and reads them in one transfer; entry q of the result is the total of term q.
     */
    private double[] readSums(int want) {
        int terms = Integer.bitCount(want);
        for (int p = 0; p < shapes.length; p++)
            for (int q = 0; q < terms; q++)
                device.reduce(ReduceOp.SUM, scratch, q * lengths[p], 1, lengths[p], 1, sums, p * NORMS + q);
        sums.read(0, sumsHost, 0, sumsHost.length);
        double[] r = new double[NORMS];
        int q = 0;
        for (int bit = 0; bit < NORMS; bit++) {
            if ((want >>> bit & 1) == 0) continue;
            double s = sumsHost[q];
            for (int p = 1; p < shapes.length; p++) s += sumsHost[p * NORMS + q];
            r[bit] = s;
            q++;
        }
        return r;
    }

    /** Runs {@code kern} over part {@code p}; output q goes to {@code outs.get(q)} at offset q·length when outputs share a buffer. */
    private void launch(ElementwiseKernel kern, int p, List<Tensor> in, List<Buffer> outs, double[] params) {
        int len = lengths[p];
        List<Operand> ins = new ArrayList<>(in.size());
        for (Tensor t : in) {
            Tensor d = dense(t);
            ins.add(Operand.of(d.buffer(), d.offset()));
        }
        List<Operand> os = new ArrayList<>(outs.size());
        for (int q = 0; q < outs.size(); q++) os.add(Operand.of(outs.get(q), outs.get(q) == scratch ? q * len : 0));
        device.run(kern, new int[] {len}, ins, os, params);
    }

    /** {@code t} as a contiguous tensor of the state's dtype on the state's device (a field may return a view or another dtype). */
    private Tensor dense(Tensor t) {
        Tensor d = t.buffer().dtype() == dtype ? t : t.to(org.reprolab.tensor.DType.valueOf(dtype.name()));
        return d.contiguous();
    }

    private void written(TensorState dst) {
        if (dst == finite) finite = null;
    }

    private static ElementwiseKernel kernel(String kind, long a, long b, Supplier<ElementwiseKernel> build) {
        return KERNELS.computeIfAbsent(new Key(kind, a, b), key -> build.get());
    }

    private static long mask(double[] w, int n) {
        if (n > 63) throw new IllegalArgumentException("a stage combination of " + n + " terms (at most 63)");
        long m = 0;
        for (int j = 0; j < n; j++) if (w[j] != 0) m |= 1L << j;
        return m;
    }

    private static double[] selected(double[] w, long mask, int n) {
        double[] s = new double[Long.bitCount(mask)];
        int q = 0;
        for (int j = 0; j < n; j++) if ((mask >>> j & 1) != 0) s[q++] = w[j];
        return s;
    }

    private static List<Tensor> pick(TensorState[] v, long mask, int n, int p) {
        List<Tensor> r = new ArrayList<>();
        for (int j = 0; j < n; j++) if ((mask >>> j & 1) != 0) r.add(v[j].parts[p]);
        return r;
    }
}
