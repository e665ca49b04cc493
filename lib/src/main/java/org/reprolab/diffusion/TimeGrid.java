package org.reprolab.diffusion;

/**
 * How the sampling times {@code t_0 = tStart > t_1 > … > t_N = tEnd} are spaced: an orthogonal choice
 * from both the schedule and the sampler (k-diffusion's "sigmas" idea; dpm-solver's {@code skip_type}).
 * Every grid returns {@code N + 1} times with both endpoints exact.
 */
public sealed interface TimeGrid {

    /** The {@code steps + 1} times from {@code tStart} down to {@code tEnd}. */
    double[] times(NoiseSchedule schedule, double tStart, double tEnd, int steps);

    /** Uniform in the half log-SNR λ (dpm-solver {@code skip_type='logSNR'}, diffusers {@code use_lu_lambdas}). */
    static TimeGrid logSnr() { return new LogSnr(); }

    /** Uniform in t (dpm-solver {@code 'time_uniform'}). */
    static TimeGrid timeUniform() { return new TimeUniform(); }

    /** Uniform in √t (dpm-solver {@code 'time_quadratic'}). */
    static TimeGrid timeQuadratic() { return new TimeQuadratic(); }

    /** Karras et al. (2022) ρ-spacing of σ̃ = σ/α (EDM {@code rho = 7}). */
    static TimeGrid karras(double rho) { return new Karras(rho); }

    /** Trailing spacing (Lin et al. 2024, "Common diffusion noise schedules and sample steps are flawed") of a T-step discrete schedule. */
    static TimeGrid trailing(int trainSteps) { return new Trailing(trainSteps); }

    record LogSnr() implements TimeGrid {
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            double l0 = s.lambda(tStart), l1 = s.lambda(tEnd);
            double[] t = new double[steps + 1];
            for (int i = 0; i <= steps; i++) {
                if ((i & 0xFFFF) == 0) Run.checkInterrupt("building the time grid"); // 10^7 steps take seconds
                t[i] = s.tOfLambda(l0 + (l1 - l0) * i / steps);
            }
            t[0] = tStart;
            t[steps] = tEnd;
            return t;
        }
    }

    record TimeUniform() implements TimeGrid {
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            double[] t = new double[steps + 1];
            for (int i = 0; i <= steps; i++) t[i] = tStart + (tEnd - tStart) * i / steps;
            t[steps] = tEnd;
            return t;
        }
    }

    record TimeQuadratic() implements TimeGrid {
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            double a = Math.sqrt(tStart), b = Math.sqrt(tEnd);
            double[] t = new double[steps + 1];
            for (int i = 0; i <= steps; i++) { double r = a + (b - a) * i / steps; t[i] = r * r; }
            t[0] = tStart;
            t[steps] = tEnd;
            return t;
        }
    }

    /**
     * {@code σ̃_i = (σ̃_max^{1/ρ} + i/N·(σ̃_min^{1/ρ} − σ̃_max^{1/ρ}))^ρ}, i = 0..N, with σ̃_max = σ̃(tStart),
     * σ̃_min = σ̃(tEnd) (EDM {@code generate.py}; the trailing σ = 0 of EDM is not part of the grid: samplers
     * end at tEnd). ρ → ∞ gives the logSNR grid.
     */
    record Karras(double rho) implements TimeGrid {
        public Karras {
            if (!(rho > 0)) throw new IllegalArgumentException("Karras rho must be > 0, got " + rho);
        }
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            double a = Math.pow(s.sigmaTilde(tStart), 1 / rho), b = Math.pow(s.sigmaTilde(tEnd), 1 / rho);
            double[] t = new double[steps + 1];
            for (int i = 0; i <= steps; i++) {
                if ((i & 0xFFFF) == 0) Run.checkInterrupt("building the time grid");
                t[i] = s.tOfSigmaTilde(Math.pow(a + (b - a) * i / steps, rho));
            }
            t[0] = tStart;
            t[steps] = tEnd;
            return t;
        }
    }

    /**
     * diffusers {@code timestep_spacing="trailing"}: integer timesteps {@code round(T − i·T/N) − 1}, i < N, of a
     * T-step discrete schedule, mapped to continuous time by {@code k ↦ tStart·(k+1)/T}; the last time is tEnd.
     */
    record Trailing(int trainSteps) implements TimeGrid {
        public Trailing {
            if (trainSteps < 1) throw new IllegalArgumentException("trailing needs trainSteps >= 1, got " + trainSteps);
        }
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            if (steps > trainSteps) throw new IllegalArgumentException("trailing: " + steps + " steps > " + trainSteps + " train steps");
            double[] t = new double[steps + 1];
            for (int i = 0; i < steps; i++) {
                long k = Math.round(trainSteps - (double) i * trainSteps / steps) - 1;
                t[i] = tStart * (k + 1) / trainSteps;
            }
            t[steps] = tEnd;
            if (steps > 1 && !(t[steps - 1] > tEnd)) throw new IllegalArgumentException("trailing: tEnd " + tEnd + " is not below " + t[steps - 1]);
            return t;
        }
    }

    /**
     * Steps at chosen fractions of the half log-SNR interval: {@code λ_i = λ(tStart) + u_i (λ(tEnd) − λ(tStart))}
     * with {@code u_0 = 0 < u_1 < … < u_N = 1}, given the interior {@code u_1..u_{N−1}}. The time steps a solver
     * search places (Liu et al. 2024, USF), independent of the interval; equal fractions {@code i/N} are
     * {@link #logSnr()}.
     */
    record LogSnrFractions(double[] fractions) implements TimeGrid {
        public LogSnrFractions {
            fractions = fractions.clone();
            for (int i = 0; i < fractions.length; i++)
                if (!(fractions[i] > (i == 0 ? 0 : fractions[i - 1]) && fractions[i] < 1))
                    throw new IllegalArgumentException("logSNR fractions must increase strictly inside (0, 1), at index " + i + ": " + fractions[i]);
        }
        public double[] fractions() { return fractions.clone(); }
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            check(tStart, tEnd, steps);
            if (steps != fractions.length + 1)
                throw new IllegalArgumentException("the logSNR fractions make " + (fractions.length + 1) + " steps, the sampler asked for " + steps);
            double l0 = s.lambda(tStart), l1 = s.lambda(tEnd);
            double[] t = new double[steps + 1];
            t[0] = tStart;
            for (int i = 1; i < steps; i++) t[i] = s.tOfLambda(l0 + (l1 - l0) * fractions[i - 1]);
            t[steps] = tEnd;
            return t;
        }
        @Override public boolean equals(Object o) { return o instanceof LogSnrFractions f && java.util.Arrays.equals(fractions, f.fractions); }
        @Override public int hashCode() { return java.util.Arrays.hashCode(fractions); }
        @Override public String toString() { return "LogSnrFractions" + java.util.Arrays.toString(fractions); }
    }

    /** Explicit times, decreasing. */
    record Custom(double[] ts) implements TimeGrid {
        public Custom {
            ts = ts.clone();
            for (int i = 1; i < ts.length; i++) if (!(ts[i] < ts[i - 1])) throw new IllegalArgumentException("custom grid must decrease strictly, at index " + i);
        }
        public double[] times(NoiseSchedule s, double tStart, double tEnd, int steps) {
            if (steps != ts.length - 1) throw new IllegalArgumentException("custom grid has " + (ts.length - 1) + " steps, sampler asked for " + steps);
            return ts.clone();
        }
    }

    private static void check(double tStart, double tEnd, int steps) {
        if (steps < 1) throw new IllegalArgumentException("a time grid needs >= 1 step, got " + steps);
        if (!(tStart > tEnd)) throw new IllegalArgumentException("tStart " + tStart + " must be > tEnd " + tEnd);
    }
}
