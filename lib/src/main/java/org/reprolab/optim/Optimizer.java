package org.reprolab.optim;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import org.reprolab.tensor.NonFiniteException;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;

/**
 * A chain of gradient transformations bound to named parameters, with torch-style parameter groups:
 * the stateful face over the pure {@link Transform}s, for training loops.
 *
 * <pre>{@code
 * var model = new MLP(new int[] {64, 128, 10}, Activation::relu, 0);
 * var opt = Optimizer.builder(model.parameters(), Optimizers.adamw(1e-3, 0.05))
 *         .group("no_decay", ParamFilter.noDecay(), Map.of("weight_decay", 0.0))
 *         .schedule(Schedule.warmupCosine(100, 2_000, 0.0, 0.0))
 *         .clipGradNorm(1.0)
 *         .build();
 * for (int i = 0; i < 2_000; i++) {
 *     model.zeroGrad();
 *     Losses.crossEntropy(model.forward(x), y).backward();
 *     opt.step();
 * }
 * }</pre>
 *
 * <p>Each step runs, per parameter, one fused kernel per stage of its group's chain (one in all for
 * chains without reductions) over the parameter, its gradient and its state, on the device; state
 * buffers stay on the device between steps. Stages with reductions run all tensors of the group
 * through the reduction first, so a group-wide norm is complete before it is used.
 *
 * <p>{@link #state()} and {@link #load} save and restore everything by parameter name, including the
 * step count that schedules read, so a run resumed from a checkpoint follows the same trajectory bit
 * for bit. With {@link Builder#frugal} the default group runs FRUGAL's blockwise split ({@link Frugal}):
 * its tensors move between the chain and a state-free group {@value #FRUGAL_STATE_FREE}, and only
 * state-full ones hold slots. {@link #step()} checks the thread's interrupt flag before it changes anything, and with
 * {@link Builder#checkFinite} refuses a NaN/Inf gradient naming the parameter, so neither leaves the
 * state half-updated.
 */
public final class Optimizer implements AutoCloseable {

    private final Device device;
    private final List<Group> groups;
    private final Map<String, TensorState> byName;
    private final double clipNorm;
    private final int accumulate;
    private final boolean checkFinite;
    /** FRUGAL's policy (null without): see {@link Frugal}. */
    private final Frugal frugal;
    /** FRUGAL's blocks (default-group tensors it splits), in parameter order; empty without FRUGAL. */
    private final List<TensorState> blocks;
    /** With FRUGAL: the default group (state-full blocks and regular tensors) and the state-free group; else null. */
    private final Group stateFull, stateFree;
    private long count;
    private int micro;

    /** One parameter group: its chain, its compiled plan, its tensors. */
    private record Group(String name, Transform chain, Plan plan, List<TensorState> tensors) {}

    /** Device state of one parameter. */
    private static final class TensorState {
        final ParamStorage storage;
        Group group;
        Buffer[] slots;
        double[][] host;
        Buffer scratch;
        Buffer acc;
        boolean accHas;
        Buffer zeros;
        Buffer rowTmp;
        Buffer rowBuf;
        long t;

        TensorState(ParamStorage storage, Group group, Device device) {
            this.storage = storage;
            bind(group, device);
        }

        /** Fresh state for {@code g}'s chain: initial slots and host scalars (FRUGAL moves blocks between groups). */
        void bind(Group g, Device device) {
            group = g;
            Plan plan = g.plan();
            slots = new Buffer[plan.slots.size()];
            for (int i = 0; i < slots.length; i++) {
                slots[i] = device.allocate(storage.dtype, storage.numel);
                if (plan.slots.get(i).init() != 0) device.fill(slots[i], 0, storage.numel, plan.slots.get(i).init());
            }
            host = new double[plan.parts.size()][];
            for (int k = 0; k < host.length; k++) {
                Elementwise e = plan.parts.get(k);
                host[k] = new double[e.hostSlots()];
                for (int i = 0; i < host[k].length; i++) host[k][i] = e.hostInit(i);
            }
        }

        /** Drops this tensor's state and starts afresh under {@code g} at step 0. */
        void rebind(Group g, Device device) {
            for (Buffer b : slots) b.close();
            bind(g, device);
            t = 0;
        }
    }

    private Optimizer(Builder b) {
        device = b.device != null ? b.device : b.params.values().iterator().next().buffer().device();
        clipNorm = b.clipNorm;
        accumulate = b.accumulate;
        checkFinite = b.checkFinite;
        List<Group> gs = new ArrayList<>();
        List<ParamFilter> filters = new ArrayList<>();
        for (GroupSpec spec : b.groups) {
            gs.add(new Group(spec.name, spec.chain, new Plan(spec.chain), new ArrayList<>()));
            filters.add(spec.filter);
        }
        Transform main = b.schedule == null ? b.chain : b.chain.with("schedule", b.schedule);
        Group def = new Group("default", main, new Plan(main), new ArrayList<>());
        gs.add(def);
        frugal = b.frugal;
        Group free = null;
        if (frugal != null) {
            Transform fc = frugal.stateFreeChain(main);
            free = new Group(FRUGAL_STATE_FREE, fc, new Plan(fc), new ArrayList<>());
            gs.add(free);
        }
        Map<String, Group> groupOf = new LinkedHashMap<>();
        List<String> blockNames = new ArrayList<>();
        for (var e : b.params.entrySet()) {
            Group g = def;
            for (int i = 0; i < filters.size(); i++)
                if (filters.get(i).test(e.getKey(), e.getValue())) {
                    g = gs.get(i);
                    break;
                }
            groupOf.put(e.getKey(), g);
            if (frugal != null && g == def && frugal.blocks().test(e.getKey(), e.getValue())) blockNames.add(e.getKey());
        }
        if (frugal != null) { // the split of period 0, so state-free blocks never get slots
            if (blockNames.isEmpty())
                throw new IllegalArgumentException("FRUGAL: no parameter of the default group is a block (its blocks filter matched none)");
            boolean[] on = selection(0, blockNames.size());
            for (int i = 0; i < on.length; i++) if (!on[i]) groupOf.put(blockNames.get(i), free);
        }
        byName = new LinkedHashMap<>();
        List<TensorState> bl = new ArrayList<>();
        Set<String> isBlock = Set.copyOf(blockNames);
        for (var e : b.params.entrySet()) {
            Group g = groupOf.get(e.getKey());
            TensorState ts = new TensorState(new ParamStorage(e.getKey(), e.getValue(), device), g, device);
            g.tensors().add(ts);
            byName.put(e.getKey(), ts);
            if (isBlock.contains(e.getKey())) bl.add(ts);
        }
        blocks = List.copyOf(bl);
        stateFull = frugal == null ? null : def;
        stateFree = free;
        groups = List.copyOf(gs);
    }

    /** Name of the group FRUGAL's state-free blocks step in. */
    public static final String FRUGAL_STATE_FREE = "frugal_state_free";

    /** FRUGAL's split of period {@code j} over {@code n} blocks: true where state-full. */
    private boolean[] selection(long j, int n) {
        boolean[] on = new boolean[n];
        for (int i : frugal.select(j, n)) on[i] = true;
        return on;
    }

    /**
     * FRUGAL's re-selection before the first step of period {@code j}: every block's state is dropped
     * (state-full blocks restart from fresh slots at step 0, state-free ones hold none).
     */
    private void reselect(long j) {
        boolean[] on = selection(j, blocks.size());
        for (int i = 0; i < on.length; i++) blocks.get(i).rebind(on[i] ? stateFull : stateFree, device);
        regroup();
    }

    /** Rebuilds the default and state-free groups' tensor lists in parameter order after blocks moved. */
    private void regroup() {
        for (Group g : List.of(stateFull, stateFree)) {
            g.tensors().clear();
            for (TensorState ts : byName.values()) if (ts.group == g) g.tensors().add(ts);
        }
    }

    /** An optimizer over {@code params} with one chain and no groups. */
    public static Optimizer of(Map<String, Tensor> params, Transform chain) {
        return builder(params, chain).build();
    }

    public static Builder builder(Map<String, Tensor> params, Transform chain) {
        return new Builder(params, chain);
    }

    private record GroupSpec(String name, ParamFilter filter, Transform chain) {}

    /** Configures an {@link Optimizer}. */
    public static final class Builder {
        private final Map<String, Tensor> params;
        private final Transform chain;
        private final List<GroupSpec> groups = new ArrayList<>();
        private Schedule schedule;
        private Device device;
        private double clipNorm = Double.NaN;
        private int accumulate = 1;
        private boolean checkFinite;
        private Frugal frugal;

        private Builder(Map<String, Tensor> params, Transform chain) {
            if (params == null || params.isEmpty()) throw new IllegalArgumentException("optimizer: no parameters given");
            if (chain == null) throw new IllegalArgumentException("optimizer: chain is null");
            for (var e : params.entrySet())
                if (e.getValue() == null) throw new IllegalArgumentException("optimizer: parameter '" + e.getKey() + "' is null");
            this.params = new LinkedHashMap<>(params);
            this.chain = chain;
        }

        /**
         * A torch-style group: parameters selected by {@code filter} (first matching group wins) use the
         * main chain with hyper-parameters overridden by name, e.g. {@code Map.of("weight_decay", 0.0)}.
         */
        public Builder group(String name, ParamFilter filter, Map<String, ?> overrides) {
            Transform c = chain;
            for (var e : overrides.entrySet()) c = c.with(e.getKey(), e.getValue());
            return group(name, filter, c);
        }

        /** An Optax-style partition: parameters selected by {@code filter} use their own chain. */
        public Builder group(String name, ParamFilter filter, Transform chain) {
            if (filter == null || chain == null) throw new IllegalArgumentException("group '" + name + "': null filter or chain");
            groups.add(new GroupSpec(name, filter, chain));
            return this;
        }

        /** Sets the learning-rate schedule of every group's chain. */
        public Builder schedule(Schedule s) {
            schedule = s;
            groups.replaceAll(g -> new GroupSpec(g.name, g.filter, g.chain.with("schedule", s)));
            return this;
        }

        /**
         * The device the optimizer runs on; by default the first parameter's. Every parameter must live
         * there (updates run in place in their buffers), else building fails naming the parameter.
         */
        public Builder device(Device d) {
            device = d;
            return this;
        }

        /**
         * Clips the gradients of all parameters together to total L2 norm {@code maxNorm} before the
         * chains, as {@code torch.nn.utils.clip_grad_norm_}: factor {@code min(1, maxNorm/(norm + 1e-6))}.
         */
        public Builder clipGradNorm(double maxNorm) {
            clipNorm = Check.positive("clipGradNorm", "max_norm", maxNorm);
            return this;
        }

        /**
         * Gradient accumulation (Optax {@code MultiSteps}): every {@code k}-th call of {@link #step()} applies
         * the mean of the last {@code k} gradients; the calls in between only accumulate.
         */
        public Builder accumulate(int k) {
            accumulate = (int) Check.atLeastOne("accumulate", "k", k);
            return this;
        }

        /** Refuses non-finite gradients with a {@link NonFiniteException} naming the parameter. */
        public Builder checkFinite(boolean on) {
            checkFinite = on;
            return this;
        }

        /**
         * FRUGAL, blockwise ({@link Frugal}): the default group's chain runs only on a re-drawn fraction
         * of its tensors (with state allocated for those alone), the others step state-free (signSGD).
         * Gradient clipping and accumulation work as without it; named groups are not affected.
         */
        public Builder frugal(Frugal policy) {
            if (policy == null) throw new IllegalArgumentException("optimizer: FRUGAL policy is null");
            frugal = policy;
            return this;
        }

        public Optimizer build() {
            if (schedule != null) schedule(schedule);
            return new Optimizer(this);
        }
    }

    // ---- stepping ---------------------------------------------------------------------------------

    /** One step with the gradients in the parameters' {@link Tensor#grad()} (parameters without one are skipped). */
    public void step() {
        step(Map.of());
    }

    /**
     * One step with extra per-element inputs for transformations that declare {@link Elementwise#aux()}
     * (e.g. {@code "hessian"} → parameter name → tensor, from {@link Curvature}).
     */
    public void step(Map<String, Map<String, Tensor>> aux) {
        if (Thread.currentThread().isInterrupted())
            throw new CancellationException("optimizer step " + count + " interrupted before it started");
        List<TensorState> active = new ArrayList<>();
        for (TensorState ts : byName.values()) {
            if (!ts.storage.hasGrad()) continue;
            ts.storage.pull();
            active.add(ts);
        }
        if (checkFinite && !active.isEmpty()) {
            ReduceBatch batch = new ReduceBatch(device);
            for (TensorState ts : active) batch.add(ReduceOp.MAX_ABS, ts.storage.grad(), ts.storage.gradOffset(), ts.storage.numel);
            double[] m = batch.run();
            for (int i = 0; i < m.length; i++)
                if (!Double.isFinite(m[i]))
                    throw new NonFiniteException("optimizer step", "gradient of parameter '" + active.get(i).storage.name
                            + "' is not finite (" + m[i] + ") at step " + count + "; nothing was updated");
        }
        double gscale = 1;
        if (accumulate > 1) {
            for (TensorState ts : active) {
                if (ts.acc == null) ts.acc = device.allocate(ts.storage.dtype, ts.storage.numel);
                int n = ts.storage.numel;
                if (!ts.accHas) device.copy(ts.storage.grad(), ts.storage.gradOffset(), ts.acc, 0, n);
                else device.run(Kernels.ACCUMULATE, new int[] {n},
                        List.of(Operand.of(ts.acc), Operand.of(ts.storage.grad(), ts.storage.gradOffset())), List.of(Operand.of(ts.acc)));
                ts.accHas = true;
            }
            if (++micro < accumulate) return;
            micro = 0;
            active.clear();
            for (TensorState ts : byName.values()) if (ts.accHas) {
                if (!ts.storage.hasGrad()) ts.storage.pull();
                active.add(ts);
            }
            gscale = 1.0 / accumulate;
        }
        if (!Double.isNaN(clipNorm)) {
            ReduceBatch batch = new ReduceBatch(device);
            for (TensorState ts : active) batch.add(ReduceOp.SUM_SQUARES, gradBuffer(ts), gradOffset(ts), ts.storage.numel);
            double sq = 0;
            for (double v : batch.run()) sq += v;
            double total = Math.sqrt(sq) * gscale;
            double coef = clipNorm / (total + 1e-6);
            if (coef < 1) gscale *= coef;
        }
        if (frugal != null && count > 0 && count % frugal.period() == 0) reselect(frugal.periodOf(count));
        for (Group g : groups) {
            List<TensorState> mine = new ArrayList<>();
            for (TensorState ts : g.tensors()) if (active.contains(ts)) mine.add(ts);
            if (!mine.isEmpty()) run(g, mine, gscale, aux);
        }
        for (TensorState ts : active) ts.accHas = false;
        count++;
    }

    private Buffer gradBuffer(TensorState ts) {
        return accumulate > 1 ? ts.acc : ts.storage.grad();
    }

    private int gradOffset(TensorState ts) {
        return accumulate > 1 ? 0 : ts.storage.gradOffset();
    }

    private void run(Group g, List<TensorState> tensors, double gscale, Map<String, Map<String, Tensor>> aux) {
        Plan plan = g.plan();
        double lr = plan.lr(count);
        for (TensorState ts : tensors) ts.t++;
        int n = tensors.size();
        for (int si = 0; si < plan.stages.size(); si++) {
            Plan.Stage st = plan.stages.get(si);
            List<Reduction> reds = st.reductions(plan.parts);
            Elementwise head = plan.parts.get(st.from());
            double[][] red = new double[n][];
            double[] gred = new double[reds.size()];
            for (int r = 0; r < reds.size(); r++) gred[r] = reds.get(r).op().identity();
            int nProducts = head.rowProductCount();
            ReduceBatch batch = new ReduceBatch(device);
            int[][] at = new int[n][];
            int[] rowsAt = new int[n], totalsAt = new int[n];
            for (int i = 0; i < n; i++) {
                TensorState ts = tensors.get(i);
                red[i] = new double[reds.size()];
                if (!reds.isEmpty() && head.reduceAt(ts.t)) {
                    at[i] = new int[reds.size()];
                    for (int r = 0; r < reds.size(); r++) at[i][r] = queue(batch, reds.get(r), ts, si);
                }
                if (nProducts > 0) {
                    int len = ts.storage.numel, rows = Step.rows(ts.storage.param.shape());
                    if (ts.rowTmp == null || ts.rowTmp.length() < nProducts * len)
                        ts.rowTmp = device.allocate(ts.storage.dtype, nProducts * len);
                    List<Operand> outs = new ArrayList<>();
                    for (int k = 0; k < nProducts; k++) outs.add(Operand.of(ts.rowTmp, k * len));
                    device.run(st.products(), new int[] {len}, inputs(plan, st, si, ts, aux), outs, gscale);
                    rowsAt[i] = batch.addRows(ReduceOp.SUM, ts.rowTmp, 0, nProducts * rows, len / rows);
                    totalsAt[i] = batch.size();
                    for (int k = 0; k < nProducts; k++) batch.add(ReduceOp.SUM, ts.rowTmp, k * len, len);
                }
            }
            double[] got = batch.isEmpty() ? new double[0] : batch.run();
            double[] groupRowTotals = new double[nProducts];
            for (int i = 0; i < n; i++) for (int k = 0; k < nProducts; k++) groupRowTotals[k] += got[totalsAt[i] + k];
            for (int i = 0; i < n; i++) {
                if (at[i] == null) continue;
                for (int r = 0; r < reds.size(); r++) {
                    Reduction rd = reds.get(r);
                    boolean scaled = rd.of() == Reduction.Of.GRAD || (rd.of() == Reduction.Of.UPDATE && si == 0);
                    red[i][r] = scaled ? rd.scaled(got[at[i][r]], gscale) : got[at[i][r]];
                    gred[r] = rd.combine(gred[r], red[i][r]);
                }
            }
            for (int i = 0; i < n; i++) {
                TensorState ts = tensors.get(i);
                double[] params = new double[st.scalarCount()];
                params[0] = gscale;
                int rows = Step.rows(ts.storage.param.shape());
                double[][] rowSums = new double[nProducts][rows];
                double[] rowTotals = new double[nProducts];
                for (int k = 0; k < nProducts; k++) {
                    System.arraycopy(got, rowsAt[i] + k * rows, rowSums[k], 0, rows);
                    rowTotals[k] = got[totalsAt[i] + k];
                }
                double[][] rowValues = new double[st.rowValues()][rows];
                for (int k = st.from(); k < st.to(); k++) {
                    Elementwise part = plan.parts.get(k);
                    boolean headPart = k == st.from();
                    Step step = new Step(ts.t, count, lr, ts.storage.numel, ts.storage.param.shape(),
                            headPart && red[i] != null ? red[i] : new double[0], headPart ? gred : new double[0],
                            headPart ? rowSums : new double[0][], headPart ? rowTotals : new double[0],
                            headPart ? groupRowTotals : new double[0]);
                    double[] out = new double[part.scalarCount()];
                    part.scalars(step, ts.host[k], out);
                    System.arraycopy(out, 0, params, st.scalarOffsets()[k - st.from()], out.length);
                    if (headPart && st.rowValues() > 0) part.rowValues(step, rowValues);
                }
                if (st.rowValues() > 0) {
                    if (ts.rowBuf == null || ts.rowBuf.length() < st.rowValues() * rows)
                        ts.rowBuf = device.allocate(ts.storage.dtype, st.rowValues() * rows);
                    double[] flat = new double[st.rowValues() * rows];
                    for (int j = 0; j < st.rowValues(); j++) System.arraycopy(rowValues[j], 0, flat, j * rows, rows);
                    ts.rowBuf.write(0, flat, 0, flat.length);
                }
                launch(plan, st, si, ts, params, aux);
            }
        }
    }

    /** Queues one reduction of one tensor (the gradient's ones unscaled; the caller applies gscale). */
    private int queue(ReduceBatch batch, Reduction r, TensorState ts, int stage) {
        int len = ts.storage.numel;
        return switch (r.of()) {
            case PARAM -> batch.add(r.op(), ts.storage.param(), ts.storage.offset(), len);
            case GRAD -> batch.add(r.op(), gradBuffer(ts), gradOffset(ts), len);
            case UPDATE -> stage == 0
                    ? batch.add(r.op(), gradBuffer(ts), gradOffset(ts), len)
                    : batch.add(r.op(), ts.scratch, 0, len);
        };
    }

    /** The stage's kernel inputs without the row values: {@code [p, g, u, slots..., aux...]}. */
    private List<Operand> inputs(Plan plan, Plan.Stage st, int si, TensorState ts, Map<String, Map<String, Tensor>> aux) {
        Operand g = Operand.of(gradBuffer(ts), gradOffset(ts));
        List<Operand> in = new ArrayList<>();
        in.add(ts.storage.paramOperand());
        in.add(g);
        if (si > 0) in.add(Operand.of(ts.scratch));
        else in.add(g);
        for (Plan.SlotRef s : st.inputs()) in.add(Operand.of(ts.slots[plan.slots.indexOf(s)]));
        for (String a : st.aux()) in.add(auxOperand(plan, st, ts, a, aux));
        return in;
    }

    private void launch(Plan plan, Plan.Stage st, int si, TensorState ts, double[] params, Map<String, Map<String, Tensor>> aux) {
        int len = ts.storage.numel;
        List<Operand> in = inputs(plan, st, si, ts, aux);
        int[] shape = {len};
        if (st.rowValues() > 0) { // per-row values broadcast along the rows of the channel view
            int rows = Step.rows(ts.storage.param.shape());
            shape = new int[] {rows, len / rows};
            for (int j = 0; j < st.rowValues(); j++) in.add(Operand.strided(ts.rowBuf, j * rows, 1, 0));
        }
        List<Operand> out = new ArrayList<>();
        if (st.last()) out.add(ts.storage.paramOperand());
        else {
            if (ts.scratch == null) ts.scratch = device.allocate(ts.storage.dtype, len);
            out.add(Operand.of(ts.scratch));
        }
        for (Plan.SlotRef s : st.outputs()) out.add(Operand.of(ts.slots[plan.slots.indexOf(s)]));
        device.run(st.kernel(), shape, in, out, params);
    }

    /**
     * The aux input where it lies when it is a contiguous tensor on this device with the parameter's
     * dtype; otherwise moved, converted or gathered by device operations first.
     */
    private Operand auxOperand(Plan plan, Plan.Stage st, TensorState ts, String name, Map<String, Map<String, Tensor>> aux) {
        boolean needed = false;
        for (int k = st.from(); k < st.to(); k++)
            if (plan.parts.get(k).aux().contains(name) && plan.parts.get(k).auxAt(ts.t)) needed = true;
        int len = ts.storage.numel;
        if (!needed) {
            if (ts.zeros == null) ts.zeros = device.allocate(ts.storage.dtype, len);
            return Operand.of(ts.zeros);
        }
        Map<String, Tensor> m = aux.get(name);
        Tensor t = m == null ? null : m.get(ts.storage.name);
        if (t == null)
            throw new IllegalArgumentException("optimizer step " + count + ": the chain needs aux input '" + name
                    + "' for parameter '" + ts.storage.name + "' at its step " + ts.t + " but none was given"
                    + " (pass step(Map.of(\"" + name + "\", estimates)))");
        if (t.numel() != len)
            throw new IllegalArgumentException("aux input '" + name + "' for '" + ts.storage.name + "' has " + t.numel()
                    + " elements, the parameter has " + len);
        if (t.buffer().device() != device) t = t.to(device);
        if (t.dtype() != ts.storage.param.dtype()) t = t.to(ts.storage.param.dtype());
        if (!t.isContiguous()) t = t.contiguous();
        return Operand.of(t.buffer(), t.offset());
    }

    /** Whether the next step needs aux input {@code name} (e.g. a curvature estimate) for some parameter. */
    public boolean needsAux(String name) {
        for (TensorState ts : byName.values())
            for (Elementwise e : ts.group.plan().parts)
                if (e.aux().contains(name) && e.auxAt(ts.t + 1)) return true;
        return false;
    }

    // ---- state ------------------------------------------------------------------------------------

    /** Steps taken (the step schedules read). */
    public long count() {
        return count;
    }

    /** The default group's learning rate for the next step. */
    public double lr() {
        return lr("default");
    }

    /** A group's learning rate for the next step. */
    public double lr(String group) {
        return groups.stream().filter(g -> g.name().equals(group)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no group '" + group + "'; groups: " + groupNames()))
                .plan().lr(count);
    }

    public List<String> groupNames() {
        return groups.stream().map(Group::name).toList();
    }

    /** Parameter names of one group. */
    public List<String> groupParams(String group) {
        for (Group g : groups) if (g.name().equals(group)) return g.tensors().stream().map(t -> t.storage.name).toList();
        throw new IllegalArgumentException("no group '" + group + "'; groups: " + groupNames());
    }

    /** The chain a group runs. */
    public Transform chain(String group) {
        for (Group g : groups) if (g.name().equals(group)) return g.chain();
        throw new IllegalArgumentException("no group '" + group + "'; groups: " + groupNames());
    }

    /** The fused kernels of a group's chain, one per stage. */
    public List<ElementwiseKernel> kernels(String group) {
        for (Group g : groups) if (g.name().equals(group)) return g.plan().stages.stream().map(Plan.Stage::kernel).toList();
        throw new IllegalArgumentException("no group '" + group + "'; groups: " + groupNames());
    }

    /** Bytes of per-element optimizer state on the device (slots and gradient accumulators). */
    public long stateBytes() {
        long b = 0;
        for (TensorState ts : byName.values()) {
            long per = (long) ts.storage.numel * ts.storage.dtype.bytes();
            b += per * ts.slots.length;
            if (accumulate > 1) b += per;
        }
        return b;
    }

    /** A snapshot of all state by parameter name; see {@link OptimizerState}. */
    public OptimizerState state() {
        Map<String, OptimizerState.ParamState> ps = new LinkedHashMap<>();
        for (TensorState ts : byName.values()) {
            Plan plan = ts.group.plan();
            Map<String, double[]> slots = new LinkedHashMap<>();
            for (int i = 0; i < ts.slots.length; i++) slots.put(plan.slots.get(i).key(plan.parts), ts.slots[i].toDoubleArray());
            if (ts.accHas) slots.put("accumulator", ts.acc.toDoubleArray());
            Map<String, double[]> host = new LinkedHashMap<>();
            for (int k = 0; k < ts.host.length; k++)
                if (ts.host[k].length > 0) host.put(k + "." + plan.parts.get(k).name(), ts.host[k].clone());
            ps.put(ts.storage.name, new OptimizerState.ParamState(ts.t, slots, host));
        }
        return new OptimizerState(count, micro, ps);
    }

    /**
     * Restores a snapshot taken from an optimizer with the same chains and parameter names (shapes and
     * keys are checked; nothing changes when a check fails).
     */
    public void load(OptimizerState s) {
        Set<String> missing = new TreeSet<>(byName.keySet());
        missing.removeAll(s.params().keySet());
        Set<String> unexpected = new TreeSet<>(s.params().keySet());
        unexpected.removeAll(byName.keySet());
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IllegalArgumentException("optimizer load: missing parameters " + missing + ", unexpected parameters " + unexpected);
        if (s.micro() < 0 || s.micro() >= accumulate)
            throw new IllegalArgumentException("optimizer load: state has " + s.micro() + " accumulated micro-steps but accumulate is " + accumulate);
        if (s.count() < 0) throw new IllegalArgumentException("optimizer load: negative step count " + s.count());
        Map<TensorState, Group> target = new java.util.IdentityHashMap<>();
        for (TensorState ts : byName.values()) target.put(ts, ts.group);
        if (frugal != null) { // the split the saved run was in: that of its last step (a pure function of the count)
            boolean[] on = selection(s.count() == 0 ? 0 : frugal.periodOf(s.count() - 1), blocks.size());
            for (int i = 0; i < on.length; i++) target.put(blocks.get(i), on[i] ? stateFull : stateFree);
        }
        for (var e : s.params().entrySet()) {
            TensorState ts = byName.get(e.getKey());
            Plan plan = target.get(ts).plan();
            Set<String> want = new TreeSet<>();
            for (Plan.SlotRef r : plan.slots) want.add(r.key(plan.parts));
            Set<String> have = new TreeSet<>(e.getValue().slots().keySet());
            have.remove("accumulator");
            if (!want.equals(have))
                throw new IllegalArgumentException("optimizer load: parameter '" + e.getKey() + "' has state " + have
                        + " but its chain keeps " + want + (blocks.contains(ts) ? " (FRUGAL: the split at step " + s.count()
                        + " makes it " + (target.get(ts) == stateFull ? "state-full" : "state-free")
                        + "; was the state saved with another density, period, order or seed?)" : ""));
            for (var v : e.getValue().slots().entrySet())
                if (v.getValue().length != ts.storage.numel)
                    throw new IllegalArgumentException("optimizer load: '" + e.getKey() + "' state " + v.getKey() + " has "
                            + v.getValue().length + " elements, the parameter has " + ts.storage.numel);
        }
        count = s.count();
        micro = s.micro();
        for (var e : s.params().entrySet()) {
            TensorState ts = byName.get(e.getKey());
            if (ts.group != target.get(ts)) ts.rebind(target.get(ts), device);
            Plan plan = ts.group.plan();
            ts.t = e.getValue().step();
            for (int i = 0; i < ts.slots.length; i++) ts.slots[i].write(e.getValue().slots().get(plan.slots.get(i).key(plan.parts)));
            double[] acc = e.getValue().slots().get("accumulator");
            ts.accHas = acc != null;
            if (acc != null) {
                if (ts.acc == null) ts.acc = device.allocate(ts.storage.dtype, ts.storage.numel);
                ts.acc.write(acc);
            }
            for (int k = 0; k < ts.host.length; k++) {
                double[] h = e.getValue().host().get(k + "." + plan.parts.get(k).name());
                if (h != null) System.arraycopy(h, 0, ts.host[k], 0, ts.host[k].length);
            }
        }
        if (frugal != null) regroup();
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (TensorState ts : byName.values()) ts.storage.param.zeroGrad();
    }

    public Device device() {
        return device;
    }

    /** Frees the device state. */
    @Override
    public void close() {
        for (TensorState ts : byName.values()) {
            for (Buffer b : ts.slots) b.close();
            if (ts.scratch != null) ts.scratch.close();
            if (ts.acc != null) ts.acc.close();
            if (ts.zeros != null) ts.zeros.close();
            if (ts.rowTmp != null) ts.rowTmp.close();
            if (ts.rowBuf != null) ts.rowBuf.close();
            ts.storage.close();
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Optimizer(step=" + count + ", device=" + device.name());
        for (Group g : groups)
            if (!g.tensors().isEmpty()) sb.append("\n  ").append(g.name()).append(" [").append(g.tensors().size())
                    .append(" tensors]: ").append(g.chain());
        return sb.append(")").toString();
    }
}
