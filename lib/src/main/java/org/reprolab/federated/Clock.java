package org.reprolab.federated;

import java.util.SplittableRandom;

/**
 * Simulated time: how many seconds a client needs per local step, plus a fixed communication latency
 * per upload. Federated runs never sleep; the simulation advances this clock, so heterogeneous speeds
 * and stragglers (FedCompass, Li et al., ICLR 2024; asynchronous FedAvg theories) are exact and
 * repeatable on any machine.
 */
public record Clock(double[] secondsPerStep, double latency) {

    public Clock {
        for (double s : secondsPerStep) if (!(s > 0)) throw new IllegalArgumentException("Clock: seconds per step must be > 0, got " + s);
        if (!(latency >= 0)) throw new IllegalArgumentException("Clock: latency must be >= 0, got " + latency);
        secondsPerStep = secondsPerStep.clone();
    }

    /** Every client equally fast: one second per step, no latency. */
    public static Clock uniform(int clients) {
        double[] s = new double[clients];
        java.util.Arrays.fill(s, 1);
        return new Clock(s, 0);
    }

    /** Per-step times exp(σ·z), z standard normal drawn from {@code seed}: a median of one second, heavy-tailed stragglers. */
    public static Clock logNormal(int clients, double sigma, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] s = new double[clients];
        for (int i = 0; i < clients; i++) {
            double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
            s[i] = Math.exp(sigma * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2));
        }
        return new Clock(s, 0);
    }

    /** Seconds client {@code i} needs for {@code steps} local steps and the upload. */
    public double duration(int i, int steps) {
        return steps * secondsPerStep[i] + latency;
    }
}
