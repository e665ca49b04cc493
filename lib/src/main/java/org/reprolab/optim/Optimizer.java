package org.reprolab.optim;

import static org.reprolab.optim.Range.Kind.*;

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
 * <p>This class orders a step (interrupt and finite checks, accumulation, clipping) and saves and
 * restores state; it delegates the rest: {@link ParamGroups} binds parameters to groups,
 * {@link Plan} cuts and compiles each group's chain into stages, {@link StageRunner} executes a stage
 * on the device, {@link TensorState} holds one parameter's state.
 *
 * <p>{@link #state()} and {@link #load} save and restore everything by parameter name, including the
 * step count that schedules read, so a run resumed from a checkpoint follows the same trajectory bit
 * for bit. With {@link Builder#frugal} the default group runs FRUGAL's blockwise split ({@link Frugal}):
 * its tensors move between the chain and a state-free group {@value #FRUGAL_STATE_FREE}, and only
 * state-full ones hold slots. {@link #step()} checks the thread's interrupt flag before it changes anything, and by default
 * refuses a NaN/Inf gradient naming the parameter and the step, so neither leaves the state
 * half-updated (issue 13: PyTorch's optimizers silently turn the weights into NaN instead;
 * {@link Builder#checkFinite checkFinite(false)} restores that for the users who want it).
 */
public final class Optimizer implements AutoCloseable {

    /** Name of the group FRUGAL's state-free blocks step in. */
    public static final String FRUGAL_STATE_FREE = "frugal_state_free";

    private final Device device;
    private final ParamGroups groups;
    private final StageRunner runner;
    private final double clipNorm;
    private final int accumulate;
    private final boolean checkFinite;
    private long count;
    private int micro;

    private Optimizer(Builder b) {
        device = b.device != null ? b.device : b.params.values().iterator().next().buffer().device();
        clipNorm = b.clipNorm;
        accumulate = b.accumulate;
        checkFinite = b.checkFinite;
        Transform chain = b.chain;
        Frugal frugal = b.frugal;
        List<Elementwise> parts = chain.flatten();
        List<Frugal.Part> marks = parts.stream().filter(p -> p instanceof Frugal.Part).map(p -> (Frugal.Part) p).toList();
        if (!marks.isEmpty()) { // FRUGAL given as a chain part: run the rest of the chain under its policy
            if (marks.size() > 1 || frugal != null) throw new IllegalArgumentException("optimizer: FRUGAL given twice (a chain part and/or the builder)");
            frugal = marks.getFirst().policy();
            chain = Transform.chain(parts.stream().filter(p -> !(p instanceof Frugal.Part)).toArray(Transform[]::new));
        }
        Transform main = b.schedule == null ? chain : chain.with("schedule", b.schedule);
        groups = new ParamGroups(b.groups, main, frugal, b.params, device);
        runner = new StageRunner(device, accumulate > 1);
    }

    /** An optimizer over {@code params} with one chain and no groups. */
    public static Optimizer of(Map<String, Tensor> params, Transform chain) {
        return builder(params, chain).build();
    }

    public static Builder builder(Map<String, Tensor> params, Transform chain) {
        return new Builder(params, chain);
    }

    /** Configures an {@link Optimizer}. */
    public static final class Builder {
        private final Map<String, Tensor> params;
        private final Transform chain;
        private final List<ParamGroups.Spec> groups = new ArrayList<>();
        private Schedule schedule;
        private Device device;
        private double clipNorm = Double.NaN;
        private int accumulate = 1;
        private boolean checkFinite = true;
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
            groups.add(new ParamGroups.Spec(name, filter, chain));
            return this;
        }

        /** Sets the learning-rate schedule of every group's chain. */
        public Builder schedule(Schedule s) {
            schedule = s;
            groups.replaceAll(g -> new ParamGroups.Spec(g.name(), g.filter(), g.chain().with("schedule", s)));
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
            clipNorm = POSITIVE.check("clipGradNorm", "max_norm", maxNorm);
            return this;
        }

        /**
         * Gradient accumulation (Optax {@code MultiSteps}): every {@code k}-th call of {@link #step()} applies
         * the mean of the last {@code k} gradients; the calls in between only accumulate.
         */
        public Builder accumulate(int k) {
            accumulate = AT_LEAST_ONE.check("accumulate", "k", k);
            return this;
        }

        /**
         * Whether a step refuses non-finite gradients with a {@link NonFiniteException} naming the
         * parameter and the step (on by default; it costs one batched max-abs reduction of the gradients
         * per step). {@code false} steps with them as PyTorch does, so NaN spreads into the weights.
         */
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
        Tensor.evaluatePending(); // lazy chains recorded before this step read the parameters' old values
        List<TensorState> active = new ArrayList<>();
        for (TensorState ts : groups.tensors()) {
            if (!ts.storage.hasGrad()) continue;
            ts.storage.pull();
            active.add(ts);
        }
        if (checkFinite && !active.isEmpty()) refuseNonFinite(active);
        double gscale = 1;
        if (accumulate > 1) {
            accumulateInto(active);
            if (++micro < accumulate) return;
            micro = 0;
            active.clear();
            for (TensorState ts : groups.tensors()) if (ts.accHas) {
                if (!ts.storage.hasGrad()) ts.storage.pull();
                active.add(ts);
            }
            gscale = 1.0 / accumulate;
        }
        if (!Double.isNaN(clipNorm)) gscale *= clipFactor(active, gscale);
        groups.beforeStep(count);
        for (Group g : groups.all()) {
            List<TensorState> mine = new ArrayList<>();
            for (TensorState ts : g.tensors()) if (active.contains(ts)) mine.add(ts);
            if (mine.isEmpty()) continue;
            for (TensorState ts : mine) ts.t++;
            var in = new StageRunner.StepInputs(count, g.plan().lr(count), gscale, aux);
            for (int si = 0; si < g.plan().stages.size(); si++) runner.run(g.plan(), si, mine, in);
        }
        for (TensorState ts : active) ts.accHas = false;
        count++;
    }

    private void refuseNonFinite(List<TensorState> active) {
        ReduceBatch batch = new ReduceBatch(device);
        for (TensorState ts : active) batch.add(ReduceOp.MAX_ABS, ts.storage.grad(), ts.storage.gradOffset(), ts.storage.numel);
        double[] m = batch.run();
        for (int i = 0; i < m.length; i++)
            if (!Double.isFinite(m[i]))
                throw new NonFiniteException("optimizer step", "gradient of parameter '" + active.get(i).storage.name
                        + "' is not finite (" + m[i] + ") at step " + count + " (count() before the step); nothing was updated."
                        + " Optimizer.builder(...).checkFinite(false) steps anyway, as PyTorch does");
    }

    /** Adds the current gradients to the accumulators (the first one of a cycle is copied). */
    private void accumulateInto(List<TensorState> active) {
        for (TensorState ts : active) {
            Buffer acc = ts.accumulator();
            int n = ts.storage.numel;
            if (!ts.accHas) device.copy(ts.storage.grad(), ts.storage.gradOffset(), acc, 0, n);
            else device.run(Kernels.ACCUMULATE, new int[] {n},
                    List.of(Operand.of(acc), Operand.of(ts.storage.grad(), ts.storage.gradOffset())), List.of(Operand.of(acc)));
            ts.accHas = true;
        }
    }

    /** {@code torch.nn.utils.clip_grad_norm_}'s factor on the gradients (already scaled by {@code gscale}), at most 1. */
    private double clipFactor(List<TensorState> active, double gscale) {
        ReduceBatch batch = new ReduceBatch(device);
        for (TensorState ts : active) batch.add(ReduceOp.SUM_SQUARES, runner.grad(ts), runner.gradOffset(ts), ts.storage.numel);
        double sq = 0;
        for (double v : batch.run()) sq += v;
        double total = Math.sqrt(sq) * gscale;
        double coef = clipNorm / (total + 1e-6);
        return coef < 1 ? coef : 1;
    }

    /** Whether the next step needs aux input {@code name} (e.g. a curvature estimate) for some parameter. */
    public boolean needsAux(String name) {
        for (TensorState ts : groups.tensors())
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
        return groups.named(group).plan().lr(count);
    }

    public List<String> groupNames() {
        return groups.names();
    }

    /** Parameter names of one group. */
    public List<String> groupParams(String group) {
        return groups.named(group).tensors().stream().map(t -> t.storage.name).toList();
    }

    /** The chain a group runs. */
    public Transform chain(String group) {
        return groups.named(group).chain();
    }

    /** The fused kernels of a group's chain, one per stage. */
    public List<ElementwiseKernel> kernels(String group) {
        return groups.named(group).plan().stages.stream().map(Plan.Stage::kernel).toList();
    }

    /** Bytes of per-element optimizer state on the device (slots and gradient accumulators). */
    public long stateBytes() {
        long b = 0;
        for (TensorState ts : groups.tensors()) {
            long per = (long) ts.storage.numel * ts.storage.dtype.bytes();
            b += per * ts.slots.length;
            if (accumulate > 1) b += per;
        }
        return b;
    }

    /** A snapshot of all state by parameter name; see {@link OptimizerState}. */
    public OptimizerState state() {
        Map<String, OptimizerState.ParamState> ps = new LinkedHashMap<>();
        for (TensorState ts : groups.tensors()) {
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
        Set<String> missing = new TreeSet<>(groups.paramNames());
        missing.removeAll(s.params().keySet());
        Set<String> unexpected = new TreeSet<>(s.params().keySet());
        unexpected.removeAll(groups.paramNames());
        if (!missing.isEmpty() || !unexpected.isEmpty())
            throw new IllegalArgumentException("optimizer load: missing parameters " + missing + ", unexpected parameters " + unexpected);
        if (s.micro() < 0 || s.micro() >= accumulate)
            throw new IllegalArgumentException("optimizer load: state has " + s.micro() + " accumulated micro-steps but accumulate is " + accumulate);
        if (s.count() < 0) throw new IllegalArgumentException("optimizer load: negative step count " + s.count());
        Map<TensorState, Group> target = groups.groupsAt(s.count()); // FRUGAL: the split the saved run was in
        for (var e : s.params().entrySet()) {
            TensorState ts = groups.tensor(e.getKey());
            Plan plan = target.get(ts).plan();
            Set<String> want = new TreeSet<>();
            for (Plan.SlotRef r : plan.slots) want.add(r.key(plan.parts));
            Set<String> have = new TreeSet<>(e.getValue().slots().keySet());
            have.remove("accumulator");
            if (!want.equals(have))
                throw new IllegalArgumentException("optimizer load: parameter '" + e.getKey() + "' has state " + have
                        + " but its chain keeps " + want + groups.splitNote(ts, target.get(ts), s.count()));
            for (var v : e.getValue().slots().entrySet())
                if (v.getValue().length != ts.storage.numel)
                    throw new IllegalArgumentException("optimizer load: '" + e.getKey() + "' state " + v.getKey() + " has "
                            + v.getValue().length + " elements, the parameter has " + ts.storage.numel);
        }
        count = s.count();
        micro = s.micro();
        groups.moveTo(target);
        for (var e : s.params().entrySet()) {
            TensorState ts = groups.tensor(e.getKey());
            Plan plan = ts.group.plan();
            ts.t = e.getValue().step();
            for (int i = 0; i < ts.slots.length; i++) ts.slots[i].write(e.getValue().slots().get(plan.slots.get(i).key(plan.parts)));
            double[] acc = e.getValue().slots().get("accumulator");
            ts.accHas = acc != null;
            if (acc != null) ts.accumulator().write(acc);
            for (int k = 0; k < ts.host.length; k++) {
                double[] h = e.getValue().host().get(k + "." + plan.parts.get(k).name());
                if (h != null) System.arraycopy(h, 0, ts.host[k], 0, ts.host[k].length);
            }
        }
    }

    /** Clears every parameter's gradient. */
    public void zeroGrad() {
        for (TensorState ts : groups.tensors()) ts.storage.param.zeroGrad();
    }

    public Device device() {
        return device;
    }

    /** Frees the device state. */
    @Override
    public void close() {
        groups.close();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Optimizer(step=" + count + ", device=" + device.name());
        for (Group g : groups.all())
            if (!g.tensors().isEmpty()) sb.append("\n  ").append(g.name()).append(" [").append(g.tensors().size())
                    .append(" tensors]: ").append(g.chain());
        return sb.append(")").toString();
    }
}
