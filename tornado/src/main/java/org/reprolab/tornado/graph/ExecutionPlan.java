package org.reprolab.tornado.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.MatrixView;
import org.reprolab.tornado.Operand;

/**
 * Runs an {@link ImmutableTaskGraph} on a device, many times (TornadoVM: {@code TornadoExecutionPlan}).
 * Device buffers are allocated on the first execution and kept until {@link #close()} or a device
 * change, so {@code FIRST_EXECUTION} data stays resident and each execution pays only for the
 * transfers its modes ask for. Not thread-safe: one plan, one caller at a time.
 */
public final class ExecutionPlan implements AutoCloseable {
    private final ImmutableTaskGraph graph;
    private final Set<Object> arrays;
    private final Map<Object, Buffer> buffers = new IdentityHashMap<>();
    private final Set<Object> pendingCopyIn = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
    private Device device;
    private long executions;
    private boolean closed;

    public ExecutionPlan(ImmutableTaskGraph graph) {
        this.graph = graph;
        Set<Object> all = java.util.Collections.newSetFromMap(new IdentityHashMap<>());
        List<Object> ordered = new ArrayList<>();
        for (Task t : graph.tasks) for (Object a : t.arrays()) if (all.add(a)) ordered.add(a);
        for (Object a : graph.toDevice.keySet()) if (all.add(a)) ordered.add(a);
        for (Object a : graph.toHost.keySet()) if (all.add(a)) ordered.add(a);
        this.arrays = new LinkedHashSet<>(ordered);
        this.device = null;
    }

    /** Runs on {@code device} (default: {@link Devices#current()} at the first execution); drops buffers held on another device. */
    public ExecutionPlan withDevice(Device device) {
        if (this.device != device) {
            freeBuffers();
            this.device = device;
        }
        return this;
    }

    public Device device() {
        return device;
    }

    /** Number of executions so far. */
    public long executions() {
        return executions;
    }

    /** Copies these arrays to the device again before the next execution, whatever their mode. */
    public ExecutionPlan copyIn(Object... hostArrays) {
        for (Object a : hostArrays) {
            known(a);
            pendingCopyIn.add(a);
        }
        return this;
    }

    /** Copies these arrays' device contents to the host now (for {@code UNDER_DEMAND}). */
    public ExecutionPlan transferToHost(Object... hostArrays) {
        for (Object a : hostArrays) {
            known(a);
            Buffer b = buffers.get(a);
            if (b == null) throw new IllegalStateException("plan '" + graph.name() + "' has not executed yet; nothing to transfer");
            read(b, a);
        }
        return this;
    }

    /** The device buffer behind a host array (after the first execution), for interop with direct device calls. */
    public Buffer buffer(Object hostArray) {
        known(hostArray);
        Buffer b = buffers.get(hostArray);
        if (b == null) throw new IllegalStateException("plan '" + graph.name() + "' has not executed yet; no buffer allocated");
        return b;
    }

    /** Runs every task once, with the transfers the graph's modes ask for. */
    public ExecutionResult execute() {
        if (closed) throw new IllegalStateException("plan '" + graph.name() + "' is closed");
        long t0 = System.nanoTime();
        if (device == null) device = Devices.current();
        boolean first = buffers.isEmpty();
        long up = 0, down = 0;
        if (first)
            for (Object a : arrays) buffers.put(a, device.allocate(HostArrays.dtype(a), HostArrays.length(a)));
        for (var e : graph.toDevice.entrySet()) {
            Object a = e.getKey();
            if (first || e.getValue() == DataTransferMode.EVERY_EXECUTION || pendingCopyIn.contains(a)) {
                write(buffers.get(a), a);
                up += bytes(a);
            }
        }
        for (Object a : pendingCopyIn)
            if (!graph.toDevice.containsKey(a)) {
                write(buffers.get(a), a);
                up += bytes(a);
            }
        pendingCopyIn.clear();
        for (Task t : graph.tasks) run(t);
        for (var e : graph.toHost.entrySet()) {
            if (e.getValue() == DataTransferMode.EVERY_EXECUTION || (first && e.getValue() == DataTransferMode.FIRST_EXECUTION)) {
                read(buffers.get(e.getKey()), e.getKey());
                down += bytes(e.getKey());
            }
        }
        device.synchronize();
        return new ExecutionResult(executions++, System.nanoTime() - t0, up, down);
    }

    private void run(Task t) {
        try {
            switch (t) {
                case Task.Elementwise e -> {
                    int n = HostArrays.length(e.outputs().get(0));
                    device.run(e.kernel(), new int[] {n}, e.inputs().stream().map(a -> Operand.of(buffers.get(a))).toList(),
                            e.outputs().stream().map(a -> Operand.of(buffers.get(a))).toList(), e.params().clone());
                }
                case Task.Reduce r -> device.reduce(r.op(), buffers.get(r.in()), 0, r.outer(), r.n(), r.inner(), buffers.get(r.out()), 0);
                case Task.Matmul m -> device.matmul(m.batch(), m.m(), m.n(), m.k(),
                        MatrixView.rowMajor(buffers.get(m.a()), m.m(), m.k()), MatrixView.rowMajor(buffers.get(m.b()), m.k(), m.n()),
                        MatrixView.rowMajor(buffers.get(m.c()), m.m(), m.n()), m.accumulate());
                case Task.Random r -> {
                    int len = HostArrays.length(r.out());
                    device.random(r.distribution(), r.key(), executions * len, buffers.get(r.out()), 0, len);
                }
            }
        } catch (DeviceException e) {
            throw new DeviceException("task graph '" + graph.name() + "', task '" + t.id() + "': " + e.getMessage(), e);
        }
    }

    private void known(Object a) {
        if (!arrays.contains(a))
            throw new IllegalArgumentException("array is not part of task graph '" + graph.name() + "'");
    }

    private static long bytes(Object a) {
        return (long) HostArrays.length(a) * HostArrays.dtype(a).bytes();
    }

    private static void write(Buffer b, Object a) {
        if (a instanceof float[] f) b.write(0, f, 0, f.length);
        else b.write(0, (double[]) a, 0, ((double[]) a).length);
    }

    private static void read(Buffer b, Object a) {
        if (a instanceof float[] f) b.read(0, f, 0, f.length);
        else b.read(0, (double[]) a, 0, ((double[]) a).length);
    }

    private void freeBuffers() {
        buffers.values().forEach(Buffer::close);
        buffers.clear();
    }

    /** Frees the device buffers. */
    @Override
    public void close() {
        if (!closed) {
            freeBuffers();
            closed = true;
        }
    }
}
