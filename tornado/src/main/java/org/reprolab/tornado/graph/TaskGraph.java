package org.reprolab.tornado.graph;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.random.RngKey;

/**
 * A description of device work in TornadoVM's shape ({@code uk.ac.manchester.tornado.api.TaskGraph}):
 * declare which host arrays go to the device and when, the tasks that run on them, and which come
 * back. It only describes; {@link #snapshot()} freezes it and an {@link ExecutionPlan} runs it, many
 * times, keeping every buffer resident on the device between executions.
 *
 * <p>Host arrays ({@code float[]} for f32, {@code double[]} for f64) are identified by reference, like
 * TornadoVM's {@code FloatArray}s. An array used by a task but never transferred to the device is a
 * device-only scratch buffer, zero on the first execution.
 *
 * <pre>{@code
 * var g = new TaskGraph("adam")
 *     .transferToDevice(DataTransferMode.FIRST_EXECUTION, p, m, v)
 *     .transferToDevice(DataTransferMode.EVERY_EXECUTION, grad)
 *     .elementwise("step", ADAM, List.of(p, grad, m, v), List.of(p, m, v), hyper)
 *     .transferToHost(DataTransferMode.UNDER_DEMAND, p);
 * try (var plan = new ExecutionPlan(g.snapshot()).withDevice(Devices.get("opencl"))) {
 *     for (int t = 1; t <= steps; t++) { hyper[0] = lr(t); plan.execute(); }
 *     plan.transferToHost(p);
 * }
 * }</pre>
 */
public final class TaskGraph {
    private final String name;
    private final Map<Object, DataTransferMode> toDevice = new IdentityHashMap<>();
    private final Map<Object, DataTransferMode> toHost = new IdentityHashMap<>();
    private final List<Task> tasks = new ArrayList<>();
    private final Map<String, Task> ids = new LinkedHashMap<>();

    public TaskGraph(String name) {
        this.name = name;
    }

    public String name() {
        return name;
    }

    /** Host arrays to copy to the device ({@code FIRST_EXECUTION} or {@code EVERY_EXECUTION}). */
    public TaskGraph transferToDevice(DataTransferMode mode, Object... arrays) {
        if (mode == DataTransferMode.UNDER_DEMAND)
            throw new IllegalArgumentException("task graph '" + name + "': UNDER_DEMAND applies to transferToHost only");
        for (Object a : arrays) toDevice.put(checkArray(a), mode);
        return this;
    }

    /** Host arrays to copy back after executions ({@code EVERY_EXECUTION}, {@code FIRST_EXECUTION} or {@code UNDER_DEMAND}). */
    public TaskGraph transferToHost(DataTransferMode mode, Object... arrays) {
        for (Object a : arrays) toHost.put(checkArray(a), mode);
        return this;
    }

    /** A fused element-wise kernel over whole arrays of one length; {@code params} is read at each execution. */
    public TaskGraph elementwise(String id, ElementwiseKernel kernel, List<?> inputs, List<?> outputs, double[] params) {
        inputs.forEach(this::checkArray);
        outputs.forEach(this::checkArray);
        int n = HostArrays.length(outputs.get(0));
        for (Object a : java.util.stream.Stream.concat(inputs.stream(), outputs.stream()).toList())
            if (HostArrays.length(a) != n)
                throw new IllegalArgumentException("task '" + id + "': element-wise arrays must have one length, got "
                        + HostArrays.length(a) + " and " + n);
        if (params == null) params = new double[0];
        if (params.length != kernel.params())
            throw new IllegalArgumentException("task '" + id + "': kernel '" + kernel.name() + "' takes " + kernel.params()
                    + " params but the params array has " + params.length);
        return add(new Task.Elementwise(id, kernel, List.copyOf(inputs), List.copyOf(outputs), params));
    }

    /** Full reduction of {@code in} into {@code out[0]}. */
    public TaskGraph reduce(String id, ReduceOp op, Object in, Object out) {
        return reduce(id, op, in, 1, HostArrays.length(checkArray(in)), 1, out);
    }

    /** Reduction of {@code in} viewed as {@code [outer, n, inner]} over its middle axis into {@code out}. */
    public TaskGraph reduce(String id, ReduceOp op, Object in, int outer, int n, int inner, Object out) {
        checkArray(in);
        checkArray(out);
        return add(new Task.Reduce(id, op, in, outer, n, inner, out));
    }

    /** {@code c = a @ b} (or {@code +=}) for {@code batch} row-major matrices stored back to back. */
    public TaskGraph matmul(String id, int batch, int m, int n, int k, Object a, Object b, Object c, boolean accumulate) {
        checkArray(a);
        checkArray(b);
        checkArray(c);
        return add(new Task.Matmul(id, batch, m, n, k, a, b, c, accumulate));
    }

    /** Fills {@code out} from the key's stream; each execution continues the stream. */
    public TaskGraph random(String id, Distribution distribution, RngKey key, Object out) {
        checkArray(out);
        return add(new Task.Random(id, distribution, key, out));
    }

    private TaskGraph add(Task t) {
        if (t.id() == null || t.id().isBlank()) throw new IllegalArgumentException("task graph '" + name + "': task id is empty");
        if (ids.containsKey(t.id()))
            throw new IllegalArgumentException("task graph '" + name + "': duplicate task id '" + t.id() + "'");
        ids.put(t.id(), t);
        tasks.add(t);
        return this;
    }

    private Object checkArray(Object a) {
        HostArrays.dtype(a);
        return a;
    }

    /** Freezes the graph; later changes to this builder do not affect the snapshot. */
    public ImmutableTaskGraph snapshot() {
        if (tasks.isEmpty()) throw new IllegalStateException("task graph '" + name + "' has no tasks");
        return new ImmutableTaskGraph(name, new IdentityHashMap<>(toDevice), new IdentityHashMap<>(toHost), List.copyOf(tasks));
    }
}
