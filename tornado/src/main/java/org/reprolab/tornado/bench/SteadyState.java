package org.reprolab.tornado.bench;

import java.util.function.Consumer;

/**
 * Runs a benchmark's work until the JIT is done with it: one-second windows until two successive windows agree
 * within 10%, after at least a given number of windows (at most 20). Code on the jvm device needs seconds of C2
 * before it runs at its steady speed (one-second windows of an RK4 neural-ODE solve from a cold start: 1019, 180,
 * 81, 69, 73 ms; of the MLP training step: 56, 10, 9, 7, 6.8, 5.8 ms), so a fixed handful of warm-up calls timed
 * partly compiled code. Shared by the benchmarks that time long loops ({@code NeuralOdeBench}, {@code bench/LibBench}).
 */
public final class SteadyState {
    private SteadyState() {}

    /**
     * Repeats {@code work} in one-second windows, reporting each window's milliseconds per call to {@code log}, until
     * two successive windows agree within 10% and at least {@code minWindows} have run; returns the last window's
     * milliseconds per call.
     */
    public static double warmUp(int minWindows, Runnable work, Consumer<String> log) {
        double previous = Double.MAX_VALUE, perCall = Double.NaN;
        for (int window = 1; window <= 20; window++) {
            long w0 = System.nanoTime();
            int n = 0;
            while (System.nanoTime() - w0 < 1_000_000_000L) {
                work.run();
                n++;
            }
            perCall = (System.nanoTime() - w0) / 1e6 / n;
            log.accept(String.format(java.util.Locale.ROOT, "JIT warm-up, window %d: %.2f ms per call", window, perCall));
            if (window >= minWindows && Math.abs(perCall - previous) < 0.1 * previous) break;
            previous = perCall;
        }
        return perCall;
    }
}
