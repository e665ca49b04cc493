package org.reprolab.optim;

import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;

/**
 * The optimizer's state of one parameter: its slots on the device, its transformations' host state,
 * its step count, and the device buffers its stages borrow (scratch update, gradient accumulator,
 * zeros for absent aux inputs, row products and row values), allocated on first use and kept.
 */
final class TensorState implements AutoCloseable {
    final ParamStorage storage;
    private final Device device;
    /** The group whose chain this tensor runs (FRUGAL moves blocks between groups). */
    Group group;
    Buffer[] slots;
    /** Host state per part of the group's chain, see {@link Elementwise#hostState()}. */
    double[][] host;
    /** This tensor's step count (1-based during a step), as torch's {@code state['step']}. */
    long t;
    Buffer acc;
    /** Whether {@link #acc} holds gradients not yet applied. */
    boolean accHas;
    private Buffer scratch, zeros, rowTmp, rowBuf;

    TensorState(ParamStorage storage, Group group, Device device) {
        this.storage = storage;
        this.device = device;
        bind(group);
    }

    /** Fresh state for {@code g}'s chain: initial slots and host state. */
    private void bind(Group g) {
        group = g;
        Plan plan = g.plan();
        slots = new Buffer[plan.slots.size()];
        for (int i = 0; i < slots.length; i++) {
            slots[i] = device.allocate(storage.dtype, storage.numel);
            if (plan.slots.get(i).init() != 0) device.fill(slots[i], 0, storage.numel, plan.slots.get(i).init());
        }
        host = new double[plan.parts.size()][];
        for (int k = 0; k < host.length; k++) host[k] = plan.parts.get(k).hostState();
    }

    /** Drops this tensor's state and starts afresh under {@code g} at step 0. */
    void rebind(Group g) {
        for (Buffer b : slots) b.close();
        bind(g);
        t = 0;
    }

    /** The gradient accumulator, allocated on first use. */
    Buffer accumulator() {
        if (acc == null) acc = device.allocate(storage.dtype, storage.numel);
        return acc;
    }

    /** The buffer between two stages (the update the earlier one leaves). */
    Buffer scratch() {
        if (scratch == null) scratch = device.allocate(storage.dtype, storage.numel);
        return scratch;
    }

    /** Zeros standing in for an aux input a stage does not need at this step. */
    Buffer zeros() {
        if (zeros == null) zeros = device.allocate(storage.dtype, storage.numel);
        return zeros;
    }

    /** Room for {@code n} per-element row products. */
    Buffer rowProducts(int n) {
        if (rowTmp == null || rowTmp.length() < n * storage.numel) rowTmp = regrow(rowTmp, n * storage.numel);
        return rowTmp;
    }

    /** Room for {@code n} per-row values. */
    Buffer rowValues(int n) {
        if (rowBuf == null || rowBuf.length() < n) rowBuf = regrow(rowBuf, n);
        return rowBuf;
    }

    private Buffer regrow(Buffer old, int n) {
        if (old != null) old.close();
        return device.allocate(storage.dtype, n);
    }

    @Override
    public void close() {
        for (Buffer b : slots) b.close();
        for (Buffer b : new Buffer[] {scratch, acc, zeros, rowTmp, rowBuf}) if (b != null) b.close();
        storage.close();
    }
}
