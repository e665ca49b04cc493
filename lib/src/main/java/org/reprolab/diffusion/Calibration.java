package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Tensor;

/**
 * Where the calibration inputs of a post-training-quantised diffusion network come from: {@code n} pairs
 * {@code (x_t, t)}, as the rows {@code [x, t]} of a tensor {@code [n, dim + 1]} that {@code ScoreNetwork.forward}
 * takes directly ({@code nn.FakeQuantization.calibrate} fits its activation grids on them).
 *
 * <p>Shang et al. ("Post-training Quantization on Diffusion Models", CVPR 2023) show that the choice decides the
 * quality of the quantised sampler, because the network's activations change with {@code t}: their NDTC takes
 * {@code x_t} from the full-precision model's own denoising trajectories (not from noised training data) at times
 * drawn from a normal distribution, {@link Trajectory}. The baselines they compare with draw inputs from the
 * training data noised by the forward process at uniform times, {@link ForwardNoised}, or at a single time,
 * {@link AtTime}.
 */
public sealed interface Calibration {

    /**
     * The {@code n} inputs for {@code model} (the full-precision network as a model, whose schedule fixes the time
     * range), from its training data {@code data}, drawn from {@code key}.
     */
    Tensor inputs(DiffusionModel model, Batch data, int n, RngKey key);

    /** A short name for tables: "NDTC(0.4, 0.4)", "forward-noised", "t=1". */
    String label();

    /** NDTC with the official script's time distribution, N(0.4, 0.4) of the way from data to noise, DPM-Solver++(2M) at 20 NFE. */
    static Calibration ndtc() {
        return new Trajectory(0.4, 0.4, new Sampler.DpmSolverPP(2), 20);
    }

    /** Training data noised to times uniform over the schedule's range. */
    static Calibration forwardNoised() {
        return new ForwardNoised();
    }

    /** Training data noised to the single time {@code t} ({@code t} = the schedule's start: pure noise). */
    static Calibration atTime(double t) {
        return new AtTime(t);
    }

    /**
     * Normally distributed time-step calibration (NDTC, PTQ4DM §4.2): sample {@code n} trajectories of the
     * full-precision model with {@code sampler} at {@code nfe}; for trajectory {@code i} draw a fraction
     * {@code f_i ~ N(mean, std)} clamped to [0, 1] and keep the input the model was evaluated at whose time is
     * nearest to {@code tEnd + f_i (tStart − tEnd)}. The fraction counts from the data end (t = 0), our reading
     * of the paper's text (μ below T/2, not checked against the paper itself); the official script
     * ({@code quant_sample_ddim_in_backward_DNTC.sh}: mean 0.4, std 0.4) indexes the sampler's steps from the noise
     * end instead, so its inputs lie nearer the noise ({@code new Trajectory(0.6, 0.4, ...)} here).
     */
    record Trajectory(double mean, double std, Sampler sampler, int nfe) implements Calibration {
        public Trajectory {
            if (!Double.isFinite(mean) || !(std >= 0)) throw new IllegalArgumentException("Calibration.Trajectory: need a finite mean and std >= 0, got " + mean + ", " + std);
            Objects.requireNonNull(sampler, "Calibration.Trajectory: sampler");
            if (nfe < 1) throw new IllegalArgumentException("Calibration.Trajectory: nfe must be >= 1, got " + nfe);
        }

        @Override
        public String label() {
            return "NDTC(" + number(mean) + ", " + number(std) + ")";
        }

        @Override
        public Tensor inputs(DiffusionModel model, Batch data, int n, RngKey key) {
            check(n, data);
            List<double[]> xs = new ArrayList<>();
            List<Double> ts = new ArrayList<>();
            DiffusionModel recorded = DiffusionModel.of(model.schedule(), model.prediction(), (x, t, out) -> {
                xs.add(x.data().clone());
                ts.add(t);
                model.eval(x, t, out);
            });
            Diffusion.sample(sampler, recorded, Batch.normal(n, data.dim(), key.foldIn(0)), nfe);
            double[] f = new double[n];
            Philox.fill(key.foldIn(1), true, 0, f, 0, n);
            NoiseSchedule s = model.schedule();
            int d = data.dim();
            double[] rows = new double[n * (d + 1)];
            for (int i = 0; i < n; i++) {
                double frac = Math.min(1, Math.max(0, mean + std * f[i]));
                double target = s.tEnd() + frac * (s.tStart() - s.tEnd());
                int best = 0;
                for (int k = 1; k < ts.size(); k++) if (Math.abs(ts.get(k) - target) < Math.abs(ts.get(best) - target)) best = k;
                System.arraycopy(xs.get(best), i * d, rows, i * (d + 1), d);
                rows[i * (d + 1) + d] = ts.get(best);
            }
            return Tensor.of(rows, n, d + 1);
        }
    }

    /** Rows of {@code data} (drawn with replacement) noised by the forward process to times uniform on [tEnd, tStart]. */
    record ForwardNoised() implements Calibration {
        @Override
        public String label() {
            return "forward-noised";
        }

        @Override
        public Tensor inputs(DiffusionModel model, Batch data, int n, RngKey key) {
            check(n, data);
            double[] u = new double[n];
            Philox.fill(key.foldIn(2), false, 0, u, 0, n);
            NoiseSchedule s = model.schedule();
            double[] t = new double[n];
            for (int i = 0; i < n; i++) t[i] = s.tEnd() + u[i] * (s.tStart() - s.tEnd());
            return noised(model.schedule(), data, t, key);
        }
    }

    /** Rows of {@code data} noised by the forward process to the one time {@code t}. */
    record AtTime(double t) implements Calibration {
        public AtTime {
            if (!Double.isFinite(t)) throw new IllegalArgumentException("Calibration.AtTime: t must be finite, got " + t);
        }

        @Override
        public String label() {
            return "t=" + number(t);
        }

        @Override
        public Tensor inputs(DiffusionModel model, Batch data, int n, RngKey key) {
            check(n, data);
            NoiseSchedule s = model.schedule();
            if (t < s.tEnd() || t > s.tStart()) throw new IllegalArgumentException("Calibration.AtTime: t = " + t + " is outside the schedule's [" + s.tEnd() + ", " + s.tStart() + "]");
            double[] ts = new double[n];
            java.util.Arrays.fill(ts, t);
            return noised(s, data, ts, key);
        }
    }

    /** 0.4 as "0.4", 1.0 as "1". */
    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static void check(int n, Batch data) {
        if (n < 1) throw new IllegalArgumentException("Calibration: n must be >= 1, got " + n);
        Objects.requireNonNull(data, "Calibration: data");
    }

    /** Rows {@code [α_t x₀ + σ_t ε, t]} with x₀ drawn from {@code data} by {@code key.foldIn(3)} and ε from {@code key.foldIn(4)}. */
    private static Tensor noised(NoiseSchedule s, Batch data, double[] t, RngKey key) {
        int n = t.length, d = data.dim();
        double[] u = new double[n];
        Philox.fill(key.foldIn(3), false, 0, u, 0, n);
        Batch eps = Batch.normal(n, d, key.foldIn(4));
        double[] rows = new double[n * (d + 1)];
        for (int i = 0; i < n; i++) {
            int r = Math.min(data.n() - 1, (int) (u[i] * data.n()));
            double a = s.alpha(t[i]), sg = s.sigma(t[i]);
            for (int j = 0; j < d; j++) rows[i * (d + 1) + j] = a * data.get(r, j) + sg * eps.get(i, j);
            rows[i * (d + 1) + d] = t[i];
        }
        return Tensor.of(rows, n, d + 1);
    }
}
