package org.reprolab.optim;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * A chain compiled into stages: the chain is cut before every transformation that needs a
 * reduction, and each stage becomes one fused {@link ElementwiseKernel}. Built once per chain (and
 * shared by every tensor and step; kernels depend on structure only, so equal chains share compiled
 * code on the device).
 *
 * <p>Kernel layout of every stage: inputs {@code [p, g, u_in, slots of its parts..., aux...]}, scalar
 * params {@code [gscale, named scalars of its parts...]} (see {@link Pass#scalar(String, StepScalar)}), outputs {@code [p' or u_out, next slots...]}. The
 * first stage's incoming update is {@code g * gscale} (gscale carries optimizer-level clipping and
 * the 1/k of gradient accumulation); later stages read the previous stage's update from a scratch
 * buffer; the last adds its update to the parameter.
 */
final class Plan {
    static final int P = 0, G = 1, U = 2, FIXED = 3;

    /** A slot of part {@code part} (index in the flattened chain). */
    record SlotRef(int part, String name, double init) {
        String key(List<Elementwise> parts) {
            return part + "." + parts.get(part).name() + "." + name;
        }
    }

    /**
     * @param products the head's row products as one kernel over the stage's inputs (without the row
     *                 values) into {@code rowProductCount} outputs, or null
     * @param productScalars the scalars the row products read (kernel params after {@code gscale}), computed
     *                 from the head's host state before its {@link Elementwise#advance}
     * @param rowValues the head's per-row values, the stage kernel's last inputs
     */
    record Stage(int from, int to, ElementwiseKernel kernel, List<SlotRef> inputs, List<SlotRef> outputs,
            List<String> aux, StepScalar[] scalars, int[] scalarsFrom, boolean last, ElementwiseKernel products,
            StepScalar[] productScalars, int rowValues) {

        /** Kernel scalar params: {@code gscale}, then the parts' named scalars in the order they asked for them. */
        int scalarCount() {
            return 1 + scalars.length;
        }

        List<Reduction> reductions(List<Elementwise> parts) {
            return parts.get(from).reductions();
        }
    }

    final List<Elementwise> parts;
    final List<Stage> stages;
    final List<SlotRef> slots;
    final int lrPart;

    Plan(Transform chain) {
        parts = chain.flatten();
        int lr = -1;
        for (int k = 0; k < parts.size(); k++) if (parts.get(k) instanceof Transforms.ScaleByLearningRate) lr = k;
        lrPart = lr;
        List<SlotRef> all = new ArrayList<>();
        for (int k = 0; k < parts.size(); k++)
            for (Slot s : parts.get(k).slots()) all.add(new SlotRef(k, s.name(), s.init()));
        slots = List.copyOf(all);
        List<Integer> cuts = new ArrayList<>();
        cuts.add(0);
        for (int k = 0; k < parts.size(); k++) {
            Elementwise e = parts.get(k);
            if (e.rowValueCount() > 0 && e.rowProductCount() == 0)
                throw new IllegalStateException(e.name() + ": row values need row products");
            if (k > 0 && (!e.reductions().isEmpty() || e.rowProductCount() > 0)) cuts.add(k);
        }
        cuts.add(parts.size());
        List<Stage> st = new ArrayList<>();
        for (int i = 0; i + 1 < cuts.size(); i++) st.add(compile(i, cuts.get(i), cuts.get(i + 1), i + 2 == cuts.size()));
        stages = List.copyOf(st);
    }

    /** The chain's learning rate at {@code count} (NaN without scale_by_learning_rate). */
    double lr(long count) {
        return lrPart < 0 ? Double.NaN : ((Transforms.ScaleByLearningRate) parts.get(lrPart)).at(count);
    }

    private Stage compile(int index, int from, int to, boolean last) {
        List<SlotRef> inputs = new ArrayList<>();
        for (SlotRef s : slots) if (s.part() >= from && s.part() < to) inputs.add(s);
        List<String> aux = new ArrayList<>();
        for (int k = from; k < to; k++) for (String a : parts.get(k).aux()) if (!aux.contains(a)) aux.add(a);
        List<StepScalar> scalars = new ArrayList<>();
        int[] scalarsFrom = new int[to - from + 1];
        Map<SlotRef, Expr> next = new LinkedHashMap<>();
        Expr u = index == 0 ? Expr.in(G).mul(Expr.param(0)) : Expr.in(U);
        Elementwise head = parts.get(from);
        int rowBase = FIXED + inputs.size() + aux.size(), rowValues = head.rowValueCount();
        ElementwiseKernel products = null;
        List<StepScalar> productScalars = new ArrayList<>();
        if (head.rowProductCount() > 0) {
            List<Expr> pr = head.rowProducts(new StagePass(head, from, u, inputs, aux, productScalars, new LinkedHashMap<>(), -1));
            if (pr.size() != head.rowProductCount())
                throw new IllegalStateException(head.name() + ": rowProducts gave " + pr.size() + " expressions, rowProductCount() is "
                        + head.rowProductCount());
            products = new ElementwiseKernel("optim_rows_" + head.name().replaceAll("[^A-Za-z0-9_]", "_"), rowBase, 1 + productScalars.size(), pr);
        }
        StringBuilder name = new StringBuilder("optim");
        for (int k = from; k < to; k++) {
            Elementwise part = parts.get(k);
            name.append('_').append(part.name().replaceAll("[^A-Za-z0-9_]", "_"));
            scalarsFrom[k - from] = scalars.size();
            u = part.apply(new StagePass(part, k, u, inputs, aux, scalars, next, k == from ? rowBase : -1));
            if (u == null) throw new IllegalStateException(part.name() + ": apply returned null");
        }
        scalarsFrom[to - from] = scalars.size();
        List<Expr> outs = new ArrayList<>();
        outs.add(last ? Expr.in(P).add(u) : u);
        List<SlotRef> outputs = new ArrayList<>(next.keySet());
        outputs.sort((a, b) -> Integer.compare(inputs.indexOf(a), inputs.indexOf(b)));
        for (SlotRef s : outputs) outs.add(next.get(s));
        String kn = name.length() > 120 ? name.substring(0, 120) + "_" + Integer.toHexString(name.toString().hashCode()) : name.toString();
        ElementwiseKernel kernel = new ElementwiseKernel(kn, rowBase + rowValues, 1 + scalars.size(), outs);
        return new Stage(from, to, kernel, List.copyOf(inputs), List.copyOf(outputs), List.copyOf(aux),
                scalars.toArray(StepScalar[]::new), scalarsFrom, last, products,
                productScalars.toArray(StepScalar[]::new), rowValues);
    }

    /** The view a part's fragment gets while its stage is being compiled. */
    private static final class StagePass implements Pass {
        private final Elementwise part;
        private final int k;
        private final Expr update;
        private final List<SlotRef> inputs;
        private final List<String> aux;
        /** The stage's scalars so far (this part's appended as it asks), or the row products' own. */
        private final List<StepScalar> scalars;
        private final Map<String, Integer> scalarNames = new HashMap<>();
        private final Map<SlotRef, Expr> next;
        private final int rowBase;

        /** {@code rowBase < 0}: no row values (and while compiling row products). */
        StagePass(Elementwise part, int k, Expr update, List<SlotRef> inputs, List<String> aux, List<StepScalar> scalars,
                Map<SlotRef, Expr> next, int rowBase) {
            this.rowBase = rowBase;
            this.part = part;
            this.k = k;
            this.update = update;
            this.inputs = inputs;
            this.aux = aux;
            this.scalars = scalars;
            this.next = next;
        }

        @Override public Expr update() { return update; }
        @Override public Expr param() { return Expr.in(P); }
        @Override public Expr grad() { return Expr.in(G).mul(Expr.param(0)); }

        private SlotRef ref(String name) {
            for (SlotRef s : inputs) if (s.part() == k && s.name().equals(name)) return s;
            throw new IllegalArgumentException(part.name() + ": no slot '" + name + "'; declared: "
                    + part.slots().stream().map(Slot::name).toList());
        }

        @Override
        public Expr slot(String name) {
            SlotRef r = ref(name);
            Expr cur = next.get(r);
            return cur != null ? cur : Expr.in(FIXED + inputs.indexOf(r));
        }

        @Override
        public void slot(String name, Expr value) {
            next.put(ref(name), value);
        }

        @Override
        public Expr row(int j) {
            if (rowBase < 0 || j < 0 || j >= part.rowValueCount())
                throw new IllegalArgumentException(part.name() + ": row value " + j + " is not available here (rowValueCount() is "
                        + part.rowValueCount() + "; row values are read in apply, not in rowProducts)");
            return Expr.in(rowBase + j);
        }

        @Override
        public Expr scalar(String name, StepScalar value) {
            Integer i = scalarNames.get(name);
            if (i == null) {
                i = scalars.size();
                scalars.add(value);
                scalarNames.put(name, i);
            }
            return Expr.param(1 + i);
        }

        @Override
        public Expr hyper(String component) {
            double v = Hyper.value(part, component);
            return scalar(component, s -> v);
        }

        @Override
        public Expr complement(String component) {
            double v = 1 - Hyper.value(part, component);
            return scalar("1 - " + component, s -> v);
        }

        @Override
        public Expr aux(String name) {
            int i = aux.indexOf(name);
            if (i < 0 || !part.aux().contains(name))
                throw new IllegalArgumentException(part.name() + ": aux input '" + name + "' is not declared in aux()");
            return Expr.in(FIXED + inputs.size() + i);
        }
    }
}
