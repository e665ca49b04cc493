package org.reprolab.tornado.graph;

import java.util.List;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.random.RngKey;

/** One step of a task graph; host arrays ({@code float[]}/{@code double[]}) name the device buffers. */
sealed interface Task {
    String id();

    /** Host arrays this task touches. */
    List<Object> arrays();

    /** {@code params} is read at every execution, so the caller may change it between executions. */
    record Elementwise(String id, ElementwiseKernel kernel, List<Object> inputs, List<Object> outputs, double[] params) implements Task {
        public List<Object> arrays() {
            return java.util.stream.Stream.concat(inputs.stream(), outputs.stream()).toList();
        }
    }

    record Reduce(String id, ReduceOp op, Object in, int outer, int n, int inner, Object out) implements Task {
        public List<Object> arrays() {
            return List.of(in, out);
        }
    }

    record Matmul(String id, int batch, int m, int n, int k, Object a, Object b, Object c, boolean accumulate) implements Task {
        public List<Object> arrays() {
            return List.of(a, b, c);
        }
    }

    /** Execution {@code e} (from 0) draws elements {@code e*length ..} of the key's stream: fresh numbers every time. */
    record Random(String id, Distribution distribution, RngKey key, Object out) implements Task {
        public List<Object> arrays() {
            return List.of(out);
        }
    }
}
