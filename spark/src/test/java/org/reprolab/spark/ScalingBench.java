package org.reprolab.spark;

import static org.reprolab.optim.Optimizers.adam;

import java.util.Map;
import org.reprolab.lab.Cluster;
import org.reprolab.lab.Experiment;
import org.reprolab.lab.Lab;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Runs;
import org.reprolab.problems.Rosenbrock;

/**
 * The scaling figure of docs/performance.md: one 64-run sweep (2 learning rates x 32 seeds, Adam on noisy
 * Rosenbrock) on the local pool (1 and 2 threads), Spark local[1], local[2] and a standalone cluster of one
 * two 1-core workers on 127.0.0.1, back to back in one JVM, each twice. Overhead per task = (wall - work / slots) / runs,
 * where work is the sum of the runs' own wall times. Run with {@code bench/spark.sh}.
 */
public final class ScalingBench {
    private ScalingBench() {}

    static Experiment<?, ?> sweep(int steps) {
        return Lab.optimize(new Rosenbrock()).from(-1, 1).compare(adam(1e-2)).steps(steps).noise(0.3).seeds(32)
                .sweep("lr", 1e-3, 1e-2).progress(Progress.none());
    }

    public static void main(String[] args) throws Exception {
        int steps = args.length > 0 ? Integer.parseInt(args[0]) : 2_000;
        System.out.printf("64 runs x %d Adam steps; load average %s%n", steps, loadAverage());
        sweep(200).run();
        measure("local pool, parallel(1)", 1, () -> sweep(steps).run());
        measure("local pool, parallel(2)", 2, () -> sweep(steps).parallel(2).run());
        for (String master : new String[] {"local[1]", "local[2]"}) {
            try (Cluster c = Cluster.spark(master)) {
                sweep(200).on(c).run();
                measure("spark " + master, master.equals("local[1]") ? 1 : 2, () -> sweep(steps).on(c).run());
            }
        }
        try (var standalone = new Standalone()) {
            standalone.addWorker();
            standalone.addWorker();
            try (Cluster c = Cluster.spark(standalone.url(), Map.of("spark.executor.memory", "512m", "spark.driver.host", "127.0.0.1",
                    "spark.driver.bindAddress", "127.0.0.1"))) {
                sweep(200).on(c).run();
                measure("spark standalone, 2 workers x 1 core", 2, () -> sweep(steps).on(c).run());
            }
        }
        System.out.printf("load average after: %s%n", loadAverage());
    }

    /** Twice, back to back: the first pass still warms the executors' JIT (a cluster's executors are fresh JVMs). */
    private static void measure(String what, int slots, java.util.function.Supplier<Runs> sweep) {
        once(what + ", pass 1", slots, sweep);
        once(what + ", pass 2", slots, sweep);
    }

    private static void once(String what, int slots, java.util.function.Supplier<Runs> sweep) {
        long t0 = System.nanoTime();
        Runs runs = sweep.get();
        double wall = (System.nanoTime() - t0) / 1e6;
        double work = runs.runs().stream().mapToDouble(r -> r.wallMillis()).sum();
        double overhead = (wall - work / slots) / runs.runs().size();
        System.out.printf("| %s | %d | %.0f | %.0f | %.1f |%n", what, slots, wall, work, overhead);
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ", 4)[0];
        } catch (java.io.IOException e) {
            return "?";
        }
    }
}
