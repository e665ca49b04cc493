package org.reprolab.tornado.bench;

import static jdk.incubator.vector.VectorOperators.ADD;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.ForkJoinPool;
import java.util.stream.IntStream;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The machine's own limits, measured in the benchmark's JVM so that every figure can be stated as a
 * fraction of them (issue 16 item 2): the FMA peak (a register-only Vector API FMA loop on every
 * core) and the in-place bandwidth ceiling (a Vector API {@code a += s*b} over 16M f32 on the same
 * threads; in place, so no write-allocate traffic goes uncounted, acceleration.md §4). A ratio to a
 * peer says who is ahead on this machine; a fraction of these says how much is left on the table.
 */
public final class MachineLimits {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** Enough independent accumulators to cover FMA latency (4 cycles) times two pipes, and more. */
    private static final int CHAINS = 12;

    private MachineLimits() {}

    /** SIMD lanes per vector for f32 (or f64) on this JVM: the {@code lanes} of the peak formula. */
    public static int lanes(boolean f64) {
        return f64 ? D.length() : F.length();
    }

    /**
     * The measured FMA peak in GFLOP/s: {@code threads} threads each run {@value #CHAINS} independent
     * f32 vector FMA chains held in registers (no memory traffic), best of {@code reps}; each FMA
     * counts 2 flops per lane, as GEMM's {@code 2mnk} does. On a shared machine other processes take
     * cores away from the all-thread run, so one thread's best times {@code threads} is measured too
     * and the larger of the two is the peak (both only ever underestimate it). The f64 peak is the
     * same instruction throughput with half the lanes (x86 issues f32 and f64 vector FMAs at the same
     * rate), so {@link #f64Peak} scales this f32 measurement rather than timing a second copy of the loop.
     */
    public static double fmaPeakGflops(int threads, int reps) {
        return Math.max(fmaGflops(threads, reps), threads * fmaGflops(1, reps));
    }

    /** The f64 peak that goes with an f32 one: the same FMA instructions per second, fewer lanes each. */
    public static double f64Peak(double f32PeakGflops) {
        return f32PeakGflops * lanes(true) / lanes(false);
    }

    private static double fmaGflops(int threads, int reps) {
        int iters = 16_000_000;
        double best = 0;
        try (ForkJoinPool pool = new ForkJoinPool(threads)) {
            for (int r = 0; r < reps + 2; r++) { // two warm-up reps let C2 compile the loop
                long t0 = System.nanoTime();
                double sink = pool.submit(() -> IntStream.range(0, threads).parallel().mapToDouble(t -> fmaChains(iters)).sum()).join();
                long ns = System.nanoTime() - t0;
                if (sink == 42.4242) System.out.print(""); // keeps the result alive
                if (r >= 2) best = Math.max(best, 2.0 * CHAINS * lanes(false) * iters * threads / ns);
            }
        }
        return best;
    }

    private static double fmaChains(int iters) {
        FloatVector a = FloatVector.broadcast(F, 0.999999f), b = FloatVector.broadcast(F, 1e-7f);
        FloatVector c0 = FloatVector.broadcast(F, 1), c1 = c0, c2 = c0, c3 = c0, c4 = c0, c5 = c0,
                c6 = c0, c7 = c0, c8 = c0, c9 = c0, c10 = c0, c11 = c0;
        for (int i = 0; i < iters; i++) {
            c0 = c0.fma(a, b); c1 = c1.fma(a, b); c2 = c2.fma(a, b); c3 = c3.fma(a, b);
            c4 = c4.fma(a, b); c5 = c5.fma(a, b); c6 = c6.fma(a, b); c7 = c7.fma(a, b);
            c8 = c8.fma(a, b); c9 = c9.fma(a, b); c10 = c10.fma(a, b); c11 = c11.fma(a, b);
        }
        return c0.add(c1).add(c2).add(c3).add(c4).add(c5).add(c6).add(c7).add(c8).add(c9).add(c10).add(c11).reduceLanes(ADD);
    }

    /**
     * The nominal clock in MHz from {@code /proc/cpuinfo} ("cpu MHz" of the first CPU), or NaN where
     * there is none. A VM reports its base clock; the measured peak shows what the cores really do.
     */
    public static double cpuinfoMhz() {
        try {
            return Files.readAllLines(Path.of("/proc/cpuinfo")).stream().filter(l -> l.startsWith("cpu MHz"))
                    .findFirst().map(l -> Double.parseDouble(l.substring(l.indexOf(':') + 1).trim())).orElse(Double.NaN);
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    /** The formula's peak, cores × lanes × 2 FMA pipes × 2 flops × clock, with the clock read from /proc/cpuinfo. */
    public static double formulaPeakGflops(boolean f64, int cores) {
        return cores * lanes(f64) * 2.0 * 2.0 * cpuinfoMhz() / 1e3;
    }

    /** One line naming both peaks, for the bench's header. */
    public static String describePeak(boolean f64, int threads, double measured) {
        return String.format(Locale.ROOT, "%s FMA peak: measured %.1f GFLOP/s (best of %d threads together and %d x one thread; %d chains of %d-lane f32 vector FMA, registers only%s)"
                        + " | formula %d cores x %d lanes x 2 FMA x 2 flops x %.0f MHz (/proc/cpuinfo) = %.1f GFLOP/s",
                f64 ? "f64" : "f32", measured, threads, threads, CHAINS, lanes(false), f64 ? "; scaled to " + lanes(true) + " f64 lanes" : "", threads, lanes(f64), cpuinfoMhz(), formulaPeakGflops(f64, threads));
    }

    /**
     * The in-place bandwidth ceiling: {@code a += s*b} over {@code n} f32 with the Vector API, split
     * over {@code threads} threads; 12 bytes counted per element (two reads, one write, no
     * write-allocate because {@code a} is read first). Time one pass with {@link #passNanos()} and
     * interleave it with the kernel it bounds.
     */
    public static final class InPlaceCeiling implements AutoCloseable {
        /** Bytes counted per element of one pass. */
        public static final int BYTES_PER_ELEMENT = 12;
        private final ForkJoinPool pool;
        private final int threads;
        private final float[] a, b;
        private float[] c;

        public InPlaceCeiling(int threads, int n) {
            this.threads = threads;
            this.pool = new ForkJoinPool(threads);
            this.a = filled(n, 1);
            this.b = filled(n, 2);
        }

        static float[] filled(int n, long seed) {
            float[] x = new float[n];
            SplittableRandom r = new SplittableRandom(seed);
            for (int i = 0; i < n; i++) x[i] = (float) r.nextDouble(-1, 1);
            return x;
        }

        /** Runs one pass and returns its wall time in nanoseconds. */
        public long passNanos() {
            long t0 = System.nanoTime();
            int n = a.length, chunk = (n / threads + F.length() - 1) / F.length() * F.length();
            pool.submit(() -> IntStream.range(0, threads).parallel().forEach(t -> {
                int from = t * chunk, to = Math.min(n, from + chunk), i = from;
                FloatVector sv = FloatVector.broadcast(F, 1e-3f);
                for (; i + F.length() <= to; i += F.length())
                    FloatVector.fromArray(F, b, i).fma(sv, FloatVector.fromArray(F, a, i)).intoArray(a, i);
                for (; i < to; i++) a[i] += 1e-3f * b[i];
            })).join();
            return System.nanoTime() - t0;
        }

        /**
         * One pass of the out-of-place {@code c = a + b} into a third array that is kept (so mapped, never
         * zeroed again), and its wall time in nanoseconds: the best an out-of-place element-wise op can do on
         * these threads. It moves 16 bytes per element although 12 are counted: each line of {@code c} is
         * read for ownership before it is written (write-allocate), since the Vector API has no streaming
         * (non-temporal) stores, so on a bandwidth-bound machine it reaches about 12/16 = 0.75 of the in-place
         * pass, whose written line was just read anyway.
         */
        public long outOfPlacePassNanos() {
            if (c == null) c = new float[a.length];
            float[] out = c;
            long t0 = System.nanoTime();
            int n = a.length, chunk = (n / threads + F.length() - 1) / F.length() * F.length();
            pool.submit(() -> IntStream.range(0, threads).parallel().forEach(t -> {
                int from = t * chunk, to = Math.min(n, from + chunk), i = from;
                for (; i + F.length() <= to; i += F.length())
                    FloatVector.fromArray(F, a, i).add(FloatVector.fromArray(F, b, i)).intoArray(out, i);
                for (; i < to; i++) out[i] = a[i] + b[i];
            })).join();
            return System.nanoTime() - t0;
        }

        /** GB/s of a pass that took {@code nanos}. */
        public double gbPerS(double nanos) {
            return (double) BYTES_PER_ELEMENT * a.length / nanos;
        }

        public int threads() {
            return threads;
        }

        @Override
        public void close() {
            pool.shutdown();
        }
    }
}
