package org.reprolab.optim;

import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Device;

/**
 * Which parameter runs which chain: the named groups (first matching filter wins), the default group,
 * and with FRUGAL the state-free group its blocks move to and from at every re-selection. Owns the
 * parameters' {@link TensorState}s, in parameter order.
 */
final class ParamGroups implements AutoCloseable {

    /** A named group as configured: its filter and its chain. */
    record Spec(String name, ParamFilter filter, Transform chain) {}

    private final Device device;
    private final List<Group> groups;
    private final Map<String, TensorState> byName = new LinkedHashMap<>();
    /** FRUGAL's policy (null without): see {@link Frugal}. */
    private final Frugal frugal;
    /** FRUGAL's blocks (default-group tensors it splits), in parameter order; empty without FRUGAL. */
    private final List<TensorState> blocks = new ArrayList<>();
    /** With FRUGAL: the default group (state-full blocks and regular tensors) and the state-free group; else null. */
    private final Group stateFull, stateFree;

    ParamGroups(List<Spec> named, Transform main, Frugal frugal, Map<String, Tensor> params, Device device) {
        this.device = device;
        this.frugal = frugal;
        List<Group> gs = new ArrayList<>();
        for (Spec spec : named) gs.add(new Group(spec.name(), spec.chain()));
        Group def = new Group("default", main);
        gs.add(def);
        Group free = frugal == null ? null : new Group(Optimizer.FRUGAL_STATE_FREE, frugal.stateFreeChain(main));
        if (free != null) gs.add(free);
        groups = List.copyOf(gs);
        stateFull = frugal == null ? null : def;
        stateFree = free;
        Map<String, Group> groupOf = new LinkedHashMap<>();
        List<String> blockNames = new ArrayList<>();
        for (var e : params.entrySet()) {
            Group g = def;
            for (int i = 0; i < named.size(); i++)
                if (named.get(i).filter().test(e.getKey(), e.getValue())) {
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
        Set<String> isBlock = Set.copyOf(blockNames);
        for (var e : params.entrySet()) {
            Group g = groupOf.get(e.getKey());
            TensorState ts = new TensorState(new ParamStorage(e.getKey(), e.getValue(), device), g, device);
            g.tensors().add(ts);
            byName.put(e.getKey(), ts);
            if (isBlock.contains(e.getKey())) blocks.add(ts);
        }
    }

    List<Group> all() {
        return groups;
    }

    /** Every parameter's state, in parameter order. */
    Collection<TensorState> tensors() {
        return byName.values();
    }

    Set<String> paramNames() {
        return byName.keySet();
    }

    TensorState tensor(String param) {
        return byName.get(param);
    }

    Group named(String group) {
        for (Group g : groups) if (g.name().equals(group)) return g;
        throw new IllegalArgumentException("no group '" + group + "'; groups: " + names());
    }

    List<String> names() {
        return groups.stream().map(Group::name).toList();
    }

    /** FRUGAL's split of period {@code j} over {@code n} blocks: true where state-full. */
    private boolean[] selection(long j, int n) {
        boolean[] on = new boolean[n];
        for (int i : frugal.select(j, n)) on[i] = true;
        return on;
    }

    /**
     * Before the optimizer step {@code count}: FRUGAL's re-selection at the first step of every period
     * but the first; every block's state is dropped (state-full blocks restart from fresh slots at step
     * 0, state-free ones hold none).
     */
    void beforeStep(long count) {
        if (frugal == null || count == 0 || count % frugal.period() != 0) return;
        boolean[] on = selection(frugal.periodOf(count), blocks.size());
        for (int i = 0; i < on.length; i++) blocks.get(i).rebind(on[i] ? stateFull : stateFree);
        regroup();
    }

    /** The group each tensor is in after optimizer step {@code count} (FRUGAL's split is a pure function of it). */
    Map<TensorState, Group> groupsAt(long count) {
        Map<TensorState, Group> target = new IdentityHashMap<>();
        for (TensorState ts : byName.values()) target.put(ts, ts.group);
        if (frugal != null) {
            boolean[] on = selection(count == 0 ? 0 : frugal.periodOf(count - 1), blocks.size());
            for (int i = 0; i < on.length; i++) target.put(blocks.get(i), on[i] ? stateFull : stateFree);
        }
        return target;
    }

    /** Moves tensors to their target groups, with fresh state where the group changes. */
    void moveTo(Map<TensorState, Group> target) {
        for (TensorState ts : byName.values()) if (ts.group != target.get(ts)) ts.rebind(target.get(ts));
        if (frugal != null) regroup();
    }

    /** Rebuilds the default and state-free groups' tensor lists in parameter order after blocks moved. */
    private void regroup() {
        for (Group g : List.of(stateFull, stateFree)) {
            g.tensors().clear();
            for (TensorState ts : byName.values()) if (ts.group == g) g.tensors().add(ts);
        }
    }

    /** For errors about a block's saved state: which side of FRUGAL's split it is on at step {@code count}. */
    String splitNote(TensorState ts, Group target, long count) {
        if (!blocks.contains(ts)) return "";
        return " (FRUGAL: the split at step " + count + " makes it " + (target == stateFull ? "state-full" : "state-free")
                + "; was the state saved with another density, period, order or seed?)";
    }

    @Override
    public void close() {
        for (TensorState ts : byName.values()) ts.close();
    }
}
