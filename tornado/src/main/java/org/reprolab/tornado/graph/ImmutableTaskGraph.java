package org.reprolab.tornado.graph;

import java.util.List;
import java.util.Map;

/** A frozen {@link TaskGraph} (TornadoVM: {@code ImmutableTaskGraph}); run it with an {@link ExecutionPlan}. */
public final class ImmutableTaskGraph {
    private final String name;
    final Map<Object, DataTransferMode> toDevice;
    final Map<Object, DataTransferMode> toHost;
    final List<Task> tasks;

    ImmutableTaskGraph(String name, Map<Object, DataTransferMode> toDevice, Map<Object, DataTransferMode> toHost, List<Task> tasks) {
        this.name = name;
        this.toDevice = toDevice;
        this.toHost = toHost;
        this.tasks = tasks;
    }

    public String name() {
        return name;
    }

    /** Task ids in execution order. */
    public List<String> taskIds() {
        return tasks.stream().map(Task::id).toList();
    }
}
