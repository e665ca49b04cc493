package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.ReduceOp;

/**
 * Full reductions queued on the device and read back together: every result lands in one small
 * device buffer per dtype, so a step syncs with the host once per stage (and dtype) rather than once
 * per tensor and reduction. Results are the same numbers {@link Device#reduceToHost} gives.
 */
final class ReduceBatch {
    private record Job(ReduceOp op, Buffer in, int offset, int outer, int n) {}

    private final Device device;
    private final List<Job> jobs = new ArrayList<>();
    private int size;

    ReduceBatch(Device device) {
        this.device = device;
    }

    /** Queues {@code op} over {@code in[offset, offset+n)}; returns the index of its result. */
    int add(ReduceOp op, Buffer in, int offset, int n) {
        return addRows(op, in, offset, 1, n);
    }

    /**
     * Queues {@code op} over each of the {@code outer} contiguous rows of length {@code n} from
     * {@code offset}; returns the index of the first row's result (the others follow).
     */
    int addRows(ReduceOp op, Buffer in, int offset, int outer, int n) {
        int at = size;
        jobs.add(new Job(op, in, offset, outer, n));
        size += outer;
        return at;
    }

    /** Number of results queued so far (the index the next one gets). */
    int size() {
        return size;
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Runs every queued reduction and returns the results in order. */
    double[] run() {
        double[] r = new double[size];
        for (ElementType dt : ElementType.values()) {
            int count = 0;
            for (Job j : jobs) if (j.in().dtype() == dt) count += j.outer();
            if (count == 0) continue;
            try (Buffer out = device.allocate(dt, count)) {
                int k = 0;
                for (Job j : jobs)
                    if (j.in().dtype() == dt) {
                        device.reduce(j.op(), j.in(), j.offset(), j.outer(), j.n(), 1, out, k);
                        k += j.outer();
                    }
                double[] host = new double[count];
                out.read(0, host, 0, count);
                k = 0;
                int at = 0;
                for (Job j : jobs) {
                    if (j.in().dtype() == dt) {
                        System.arraycopy(host, k, r, at, j.outer());
                        k += j.outer();
                    }
                    at += j.outer();
                }
            }
        }
        return r;
    }
}
