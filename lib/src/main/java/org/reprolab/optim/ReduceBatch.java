package org.reprolab.optim;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.DType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.ReduceOp;

/**
 * Full reductions queued on the device and read back together: every result lands in one small
 * device buffer per dtype, so a step syncs with the host once per stage (and dtype) rather than once
 * per tensor and reduction. Results are the same numbers {@link Device#reduceToHost} gives.
 */
final class ReduceBatch {
    private record Job(ReduceOp op, Buffer in, int offset, int n) {}

    private final Device device;
    private final List<Job> jobs = new ArrayList<>();

    ReduceBatch(Device device) {
        this.device = device;
    }

    /** Queues {@code op} over {@code in[offset, offset+n)}; returns the index of its result. */
    int add(ReduceOp op, Buffer in, int offset, int n) {
        jobs.add(new Job(op, in, offset, n));
        return jobs.size() - 1;
    }

    boolean isEmpty() {
        return jobs.isEmpty();
    }

    /** Runs every queued reduction and returns the results in order. */
    double[] run() {
        double[] r = new double[jobs.size()];
        for (DType dt : DType.values()) {
            List<Integer> mine = new ArrayList<>();
            for (int i = 0; i < jobs.size(); i++) if (jobs.get(i).in().dtype() == dt) mine.add(i);
            if (mine.isEmpty()) continue;
            try (Buffer out = device.allocate(dt, mine.size())) {
                for (int k = 0; k < mine.size(); k++) {
                    Job j = jobs.get(mine.get(k));
                    device.reduce(j.op(), j.in(), j.offset(), 1, j.n(), 1, out, k);
                }
                double[] host = new double[mine.size()];
                out.read(0, host, 0, host.length);
                for (int k = 0; k < mine.size(); k++) r[mine.get(k)] = host[k];
            }
        }
        return r;
    }
}
