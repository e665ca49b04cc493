package org.reprolab.tornado.jvm;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * GFLOP/s of the jvm device's GEMM ({@link F32Gemm}, {@link F64Gemm}) at the issue-16 sizes and at the
 * MLP 784-512-512-10 batch-256 shapes (forward {@code x W^T}, backward {@code g W} and {@code x^T g}).
 * Two figures per shape, medians of the rounds: wall-clock GFLOP/s on the device's threads, and GFLOP
 * per CPU-second of those threads (the pool's and the caller's thread CPU time), which measures the
 * kernel's efficiency per core even on a machine shared with other work, where wall time mostly
 * measures the neighbours. Not a test: after {@code ./mvnw -q -B -o -pl random,tornado test-compile} run
 * <pre>
 * java --add-modules jdk.incubator.vector -cp random/target/classes:tornado/target/classes:tornado/target/test-classes \
 *      [-Dthreads=2] [-Drounds=7] [-Ddtype=f64] [-Dshapes=256,512] org.reprolab.tornado.jvm.GemmBench
 * </pre>
 * and compare with PyTorch in the same minute; numbers go to docs/performance.md.
 */
final class GemmBench {
    private static final ThreadMXBean MX = ManagementFactory.getThreadMXBean();
    /** m, n, k, layout: 0 = A B, 1 = A^T B (A stored k x m), 2 = A B^T (B stored n x k). */
    private static final int[][] SHAPES = {{256, 256, 256, 0}, {512, 512, 512, 0}, {1024, 1024, 1024, 0}, {2048, 2048, 2048, 0},
        {4096, 512, 784, 0}, {256, 512, 784, 2}, {256, 784, 512, 0}, {784, 512, 256, 1}, {512, 512, 256, 1}};

    private GemmBench() {}

    public static void main(String[] args) {
        int threads = Integer.getInteger("threads", 2), rounds = Integer.getInteger("rounds", 7);
        boolean f64 = "f64".equals(System.getProperty("dtype", "f32"));
        Parallel par = new Parallel(threads);
        SplittableRandom rnd = new SplittableRandom(1);
        System.out.printf("%s GEMM, %d threads, median of %d rounds; load average %s%n", f64 ? "f64" : "f32", threads, rounds, loadAverage());
        String only = System.getProperty("shapes", ""); // e.g. -Dshapes=256,512: only the shapes with these m
        for (int[] s : SHAPES) {
            int m = s[0], n = s[1], k = s[2], layout = s[3];
            if (!only.isEmpty() && !java.util.List.of(only.split(",")).contains(Integer.toString(m))) continue;
            int ars = layout == 1 ? 1 : k, acs = layout == 1 ? m : 1, brs = layout == 2 ? 1 : n, bcs = layout == 2 ? k : 1;
            Runnable gemm;
            if (f64) {
                double[] a = rnd.doubles(m * k, -1, 1).toArray(), b = rnd.doubles(k * n, -1, 1).toArray(), c = new double[m * n];
                gemm = () -> F64Gemm.gemm(par, 1, m, n, k, a, 0, 0, ars, acs, b, 0, 0, brs, bcs, c, 0, 0, n, 1, false);
            } else {
                float[] a = floats(rnd, m * k), b = floats(rnd, k * n), c = new float[m * n];
                gemm = () -> F32Gemm.gemm(par, 1, m, n, k, a, 0, 0, ars, acs, b, 0, 0, brs, bcs, c, 0, 0, n, 1, false);
            }
            double flop = 2.0 * m * n * k;
            int reps = (int) Math.max(1, 2e9 / flop);
            // warm up for 0.5 s: the first call of a new layout can deoptimize the packing and task loops, and
            // C2 takes a while to recompile them on a busy machine
            for (long end = System.nanoTime() + 500_000_000L, w = 0; w < 5 || System.nanoTime() < end; w++) gemm.run();
            double[] wall = new double[rounds], cpu = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                long c0 = cpuNanos(), t0 = System.nanoTime();
                for (int i = 0; i < reps; i++) gemm.run();
                wall[r] = flop * reps / (System.nanoTime() - t0);
                cpu[r] = flop * reps / Math.max(1, cpuNanos() - c0);
            }
            Arrays.sort(wall);
            Arrays.sort(cpu);
            System.out.printf("%-4s %4d x %4d . %4d x %4d: %6.1f GFLOP/s wall [%.1f-%.1f], %6.1f GFLOP per CPU-second%n",
                    new String[] {"NN", "TN", "NT"}[layout], m, k, k, n, wall[rounds / 2], wall[0], wall[rounds - 1], cpu[rounds / 2]);
        }
        System.out.printf("load average after: %s%n", loadAverage());
    }

    /** CPU time of the calling thread and the device pool's workers. */
    private static long cpuNanos() {
        long t = 0;
        for (Thread th : Thread.getAllStackTraces().keySet())
            if (th == Thread.currentThread() || th.getName().startsWith("reprolab-jvm")) t += Math.max(0, MX.getThreadCpuTime(th.threadId()));
        return t;
    }

    private static float[] floats(SplittableRandom rnd, int n) {
        float[] f = new float[n];
        for (int i = 0; i < n; i++) f[i] = (float) rnd.nextDouble(-1, 1);
        return f;
    }

    private static String loadAverage() {
        try {
            return java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException e) {
            return "unknown";
        }
    }
}
