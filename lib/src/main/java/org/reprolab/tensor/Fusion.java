package org.reprolab.tensor;

import java.lang.ref.Reference;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * Lazy element-wise chains: the tensor path's fusion (issue 16, acceleration.md §3.3). An element-wise
 * op does not launch a kernel; it returns a <em>pending</em> {@link Storage} holding an {@link Expr} over
 * the buffers it reads. A later element-wise op whose operand is a whole pending result of the same
 * shape inlines that expression instead of reading a buffer, so a chain such as
 * {@code x.mul(w).add(b).tanh()} (or the backward chain {@code g.mul(y.square().neg().add(1))}) becomes
 * one {@link ElementwiseKernel}: one pass over memory, no intermediate buffers, on whichever device the
 * tensors live ({@code jvm} Vector-API lanes, OpenCL C), because the kernel is the ordinary IR every
 * device already runs.
 *
 * <p><b>Materialisation</b> has exactly one trigger: {@link Storage#buffer()}. Everything that needs
 * values calls it (reductions, matmul, gather, copies and casts, reading to the host, device moves,
 * {@link Tensor#buffer()} and the other escapes to user kernels), so a pending chain runs, once, the
 * first time anything looks at its memory. An operand that cannot be inlined (a broadcast view, a
 * slice, another dtype, another shape) is simply materialised when the chain reads it.
 *
 * <p><b>Writes</b>: a pending chain reads its inputs when it runs, not when it was recorded. Before a
 * storage is written in place ({@link Tensor#assign} and friends) or handed out for writing
 * ({@link Tensor#buffer()}, {@link Tensor#f32Array()}), {@link #flushReaders} runs every pending chain
 * that reads it. Code that keeps a buffer and writes it later (an optimizer's parameter buffers) calls
 * {@link Tensor#evaluatePending()} before writing.
 *
 * <p><b>Numbers</b>: the fused kernel applies the same operations in the same order, rounding each to the
 * dtype as the separate kernels did, so on the jvm device results are bit-identical to the unfused
 * path; an OpenCL compiler may contract {@code a*b+c} inside one kernel (1 ulp). Inlining recomputes a
 * pending value once per consumer, which is cheap for memory-bound element-wise work and bounded by
 * {@link #MAX_NODES}. {@code -Dreprolab.fusion=false} (or {@link #disabled()}) runs every op at once.
 */
final class Fusion {
    private Fusion() {}

    /** Largest expression (tree size) one chain may grow to before its operand is materialised. */
    static final int MAX_NODES = 48;
    /** Most buffers one fused kernel reads. */
    static final int MAX_INPUTS = 12;
    /**
     * Fewest elements for which the {@code jvm} device defers an op. A launch there is a method call,
     * so below this the bookkeeping of recording costs more than the memory traffic fusion saves
     * (measured: a 20 000-step loop on 3-element tensors ran 40% slower lazily). Other devices defer
     * everything, since there each launch has a fixed cost of its own.
     */
    static final int JVM_MIN_ELEMENTS = 1024;

    private static volatile boolean enabled = !"false".equals(System.getProperty("reprolab.fusion"));
    private static final ThreadLocal<int[]> DISABLED = ThreadLocal.withInitial(() -> new int[1]);

    /**
     * An unevaluated element-wise result: {@code expr} over {@code inputs} (views of materialised or
     * pending storages, each with the launch {@code shape}) and scalar {@code params}.
     */
    record Pending(String name, Expr expr, List<View> inputs, double[] params, int[] shape, int nodes) {}

    /** Fused launches so far (tests check that a chain ran as one kernel). */
    static final AtomicLong LAUNCHES = new AtomicLong();

    /** Live pending storages, so writes can run the chains that read what they overwrite. */
    private static final List<WeakReference<Storage>> LIVE = new ArrayList<>();
    /** LIVE's size at which dead entries are next dropped (amortised: twice the live count). */
    private static int prune = 64;

    /** Runs the enclosed ops eagerly, one kernel each: the unfused path, for tests and comparisons. */
    static AutoCloseable disabled() {
        int[] depth = DISABLED.get();
        depth[0]++;
        return () -> depth[0]--;
    }

    /** Whether an element-wise op of {@code n} elements on {@code d} is recorded rather than run now. */
    static boolean active(Device d, int n) {
        return enabled && DISABLED.get()[0] == 0 && !Autodiff.isDetectingAnomaly()
                && (n >= JVM_MIN_ELEMENTS || !d.name().equals("jvm"));
    }

    /**
     * Records {@code body} (one leaf per view) over {@code vs} as a pending result of dtype {@code dt},
     * inlining operands that are whole pending results of the same shape. {@code vs} already have the
     * output's shape and dtype (constants aside).
     */
    static Storage defer(Device d, String name, Function<Expr[], Expr> body, DType dt, View[] vs) {
        int[] shape = vs[0].shape();
        List<View> inputs = new ArrayList<>();
        List<Double> params = new ArrayList<>();
        Expr[] leaves = new Expr[vs.length];
        int nodes = 1;
        StringBuilder label = new StringBuilder();
        for (int j = 0; j < vs.length; j++) {
            View v = vs[j];
            Storage s = v.data();
            Pending p = s.isConstant() ? null : s.pending();
            if (s.isConstant()) {
                leaves[j] = Expr.param(params.size());
                params.add(s.constantValue());
                nodes++;
            } else if (p != null && inlinable(v, p, shape, nodes, inputs.size())) {
                int[] inMap = new int[p.inputs().size()];
                for (int i = 0; i < inMap.length; i++) {
                    inMap[i] = indexOf(inputs, p.inputs().get(i));
                }
                int[] parMap = new int[p.params().length];
                for (int i = 0; i < parMap.length; i++) {
                    parMap[i] = params.size();
                    params.add(p.params()[i]);
                }
                leaves[j] = remap(p.expr(), inMap, parMap, new IdentityHashMap<>());
                nodes += p.nodes();
                label.append(p.name()).append('_');
            } else {
                leaves[j] = Expr.in(indexOf(inputs, v));
                nodes++;
            }
        }
        label.append(name);
        double[] ps = params.stream().mapToDouble(Double::doubleValue).toArray();
        String id = label.length() > 60 ? label.substring(0, 60) : label.toString();
        Pending p = new Pending(id, body.apply(leaves), List.copyOf(inputs), ps, shape, nodes);
        Storage out = Storage.pending(d, dt, Shapes.numel(shape), p);
        for (View v : p.inputs()) {
            v.data().addReader(out);
        }
        synchronized (LIVE) {
            if (LIVE.size() > prune) {
                LIVE.removeIf(r -> r.get() == null || r.get().pending() == null);
                prune = Math.max(64, 2 * LIVE.size());
            }
            LIVE.add(new WeakReference<>(out));
        }
        return out;
    }

    /** Whether {@code v} is all of pending {@code p}, laid out as the consumer reads it, with room to grow. */
    private static boolean inlinable(View v, Pending p, int[] shape, int nodes, int inputs) {
        return v.offset() == 0 && v.contiguous() && Arrays.equals(p.shape(), shape)
                && nodes + p.nodes() <= MAX_NODES && inputs + p.inputs().size() <= MAX_INPUTS;
    }

    /** The input number of {@code v}, adding it when no equal view is there yet (so shared reads merge). */
    private static int indexOf(List<View> inputs, View v) {
        for (int i = 0; i < inputs.size(); i++) {
            View u = inputs.get(i);
            if (u.data() == v.data() && u.offset() == v.offset() && Arrays.equals(u.strides(), v.strides())
                    && Arrays.equals(u.shape(), v.shape())) {
                return i;
            }
        }
        inputs.add(v);
        return inputs.size() - 1;
    }

    private static Expr remap(Expr e, int[] inMap, int[] parMap, Map<Expr, Expr> memo) {
        Expr done = memo.get(e);
        if (done != null) {
            return done;
        }
        Expr r = switch (e) {
            case Expr.In i -> Expr.in(inMap[i.index()]);
            case Expr.Param p -> Expr.param(parMap[p.index()]);
            case Expr.Const c -> c;
            case Expr.Unary u -> new Expr.Unary(u.op(), remap(u.x(), inMap, parMap, memo));
            case Expr.Binary b -> new Expr.Binary(b.op(), remap(b.a(), inMap, parMap, memo), remap(b.b(), inMap, parMap, memo));
            case Expr.Ternary t -> new Expr.Ternary(t.op(), remap(t.a(), inMap, parMap, memo),
                    remap(t.b(), inMap, parMap, memo), remap(t.c(), inMap, parMap, memo));
        };
        memo.put(e, r);
        return r;
    }

    /** Runs pending {@code p} into {@code out}: the one launch of a fused chain. */
    static void run(Pending p, Storage out) {
        run(p, out.device, out.size(), Operand.of(out.rawBuffer()));
    }

    /**
     * {@code dst.assign(src)} with no intermediate buffer, when {@code src} is all of a pending chain
     * of {@code dst}'s shape and dtype, {@code dst} is contiguous, and the chain does not read
     * {@code dst}'s storage (PyTorch's {@code out=}). {@code src} stays pending: its inputs are
     * unchanged, and any later write to them runs it first. Returns false, doing nothing, otherwise.
     */
    static boolean assignInto(Tensor src, Tensor dst) {
        Pending p = src.data.pending();
        View v = src.view();
        if (p == null || src.dtype() != dst.dtype() || v.offset() != 0 || !v.contiguous()
                || !Arrays.equals(p.shape(), dst.shape) || !Arrays.equals(src.shape, dst.shape) || !dst.isContiguous()
                || src.data.device != dst.data.device || p.inputs().stream().anyMatch(in -> in.data() == dst.data)) {
            return false;
        }
        run(p, dst.data.device, dst.numel(), Operand.of(dst.data.buffer(), dst.offset));
        return true;
    }

    private static void run(Pending p, Device d, int n, Operand out) {
        Interrupts.check(p.name());
        List<View> vs = p.inputs();
        if (n == 0) {
            return;
        }
        boolean flat = vs.stream().allMatch(View::contiguous);
        int[] shape = flat ? new int[] {n} : Backend.launchShape(p.shape());
        Operand[] ins = new Operand[vs.size()];
        for (int i = 0; i < ins.length; i++) {
            ins[i] = Backend.operand(vs.get(i), shape);
        }
        String name = Backend.kernelId(p.name());
        ElementwiseKernel k = new ElementwiseKernel(name, ins.length, p.params().length, List.of(p.expr()));
        d.run(k, shape, Arrays.asList(ins), List.of(out), p.params());
        LAUNCHES.incrementAndGet();
        Reference.reachabilityFence(vs);
    }

    /**
     * Runs every pending chain that reads {@code s}, before {@code s} is written. A chain reading
     * another pending storage that reads {@code s} is covered: running the inner one first is enough,
     * since the outer one then reads its buffer, not {@code s}.
     */
    static void flushReaders(Storage s) {
        for (WeakReference<Storage> r : s.takeReaders()) {
            Storage p = r.get();
            if (p != null) {
                p.evaluateIfPending();
            }
        }
    }

    /** Runs every pending chain (all of them are then computed, so the list starts afresh). */
    static void flushAll() {
        List<Storage> all;
        synchronized (LIVE) {
            all = live();
            LIVE.clear();
            prune = 64;
        }
        for (Storage p : all) {
            p.evaluateIfPending();
        }
    }

    private static List<Storage> live() {
        List<Storage> out = new ArrayList<>();
        synchronized (LIVE) {
            for (Iterator<WeakReference<Storage>> it = LIVE.iterator(); it.hasNext(); ) {
                Storage s = it.next().get();
                if (s == null || s.pending() == null) {
                    it.remove();
                } else {
                    out.add(s);
                }
            }
        }
        return out;
    }
}
