package org.reprolab.tornado.expr;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An {@link ElementwiseKernel} lowered for backends: composite ops expanded into primitives, equal
 * subexpressions merged, nodes in an order where every argument comes before its user (SSA form).
 * Each backend walks {@link #nodes()} once: the OpenCL renderer emits one C statement per node, the
 * JVM engine one lane loop per node. Nodes that depend only on parameters and constants are marked
 * {@link #uniform(int) uniform}, computed once per launch rather than once per element.
 */
public final class KernelSchedule {
    private static final Map<ElementwiseKernel, KernelSchedule> CACHE = new ConcurrentHashMap<>();

    private final ElementwiseKernel kernel;
    private final List<Expr> nodes = new ArrayList<>();
    private final List<int[]> args = new ArrayList<>();
    private final List<Boolean> uniform = new ArrayList<>();
    private final Map<Expr, Integer> slots = new HashMap<>();
    private final int[] outputs;

    private KernelSchedule(ElementwiseKernel kernel) {
        this.kernel = kernel;
        Map<Expr, Expr> lowered = new HashMap<>();
        outputs = new int[kernel.outputs().size()];
        for (int k = 0; k < outputs.length; k++) outputs[k] = add(lower(kernel.outputs().get(k), lowered));
    }

    /** The (cached) schedule of a kernel. */
    public static KernelSchedule of(ElementwiseKernel kernel) {
        return CACHE.computeIfAbsent(kernel, KernelSchedule::new);
    }

    public ElementwiseKernel kernel() {
        return kernel;
    }

    /** Primitive nodes in evaluation order: {@link Expr.In}, {@link Expr.Param}, {@link Expr.Const}, or a primitive op. */
    public List<Expr> nodes() {
        return List.copyOf(nodes);
    }

    public int size() {
        return nodes.size();
    }

    public Expr node(int i) {
        return nodes.get(i);
    }

    /** Slot numbers of node {@code i}'s arguments (empty for leaves). */
    public int[] args(int i) {
        return args.get(i).clone();
    }

    /** Whether node {@code i} has the same value for every element. */
    public boolean uniform(int i) {
        return uniform.get(i);
    }

    /** Slot of output {@code k}. */
    public int output(int k) {
        return outputs[k];
    }

    public int outputCount() {
        return outputs.length;
    }

    private static Expr lower(Expr e, Map<Expr, Expr> memo) {
        Expr done = memo.get(e);
        if (done != null) return done;
        Expr r = switch (e) {
            case Expr.In i -> i;
            case Expr.Param p -> p;
            case Expr.Const c -> c;
            case Expr.Unary u -> {
                Expr x = lower(u.x(), memo);
                yield u.op().primitive() ? new Expr.Unary(u.op(), x) : lower(u.op().expand(x), memo);
            }
            case Expr.Binary b -> new Expr.Binary(b.op(), lower(b.a(), memo), lower(b.b(), memo));
            case Expr.Ternary t -> {
                Expr a = lower(t.a(), memo), b = lower(t.b(), memo), c = lower(t.c(), memo);
                yield t.op().primitive() ? new Expr.Ternary(t.op(), a, b, c) : lower(t.op().expand(a, b, c), memo);
            }
        };
        memo.put(e, r);
        return r;
    }

    private int add(Expr e) {
        Integer s = slots.get(e);
        if (s != null) return s;
        int[] a = switch (e) {
            case Expr.In i -> new int[0];
            case Expr.Param p -> new int[0];
            case Expr.Const c -> new int[0];
            case Expr.Unary u -> new int[] {add(u.x())};
            case Expr.Binary b -> new int[] {add(b.a()), add(b.b())};
            case Expr.Ternary t -> new int[] {add(t.a()), add(t.b()), add(t.c())};
        };
        boolean uni = !(e instanceof Expr.In);
        for (int x : a) uni &= uniform.get(x);
        int slot = nodes.size();
        nodes.add(e);
        args.add(a);
        uniform.add(uni);
        slots.put(e, slot);
        return slot;
    }
}
