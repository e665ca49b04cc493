package org.reprolab.ode.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Sensitivity;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.tensor.TensorField;
import org.reprolab.ode.tensor.TensorProblem;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.bench.SteadyState;

/**
 * A batched neural-ODE solve (issue 16): the MLP field 2 → 64 → 64 → 2 (tanh) on a batch of f32 states, t ∈ [0, 5],
 * fixed-step RK4 (40 steps) and adaptive Dopri5 (rtol 1e-5, atol 1e-7, scipy's controller), no gradients, against
 * the same loops written in PyTorch ({@code bench/neural_ode_torch.py}, torchdiffeq's algorithms; Debian has no
 * torchdiffeq), a server process started with {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} unset whose rounds
 * (1 and 2 threads) interleave with ours; medians, the speed-up over torch's faster thread count.
 * Both sides build the weights and initial states from the same closed forms, so their final states are printed
 * side by side as a check. Ours: {@code TensorProblem} with {@code Sensitivity.none()}, i.e. the state in device
 * buffers and one fused kernel per stage combination ({@code DeviceOps}).
 * Usage: {@code NeuralOdeBench [repoRoot] [rounds] [batch...]}.
 */
public final class NeuralOdeBench {
    private NeuralOdeBench() {}

    static final int H = 64, RK4_STEPS = 40;
    static final double T1 = 5, RTOL = 1e-5, ATOL = 1e-7;

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int[] batches = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1024, 16384};
        List<String> rows = new ArrayList<>();
        try (Torch torch = new Torch(root)) {
            for (int b : batches) {
                for (String name : new String[] {"rk4", "dopri5"}) rows.add(measure(torch, name, b, rounds));
            }
        }
        System.out.printf(Locale.ROOT, "%n%-14s %5s %5s %10s %10s %10s %9s  %s%n", "case", "nfev", "torch", "ours (ms)", "torch 1 thr",
                "torch 2 thr", "speed-up", "final state mean / mean|y|: ours | torch");
        rows.forEach(System.out::println);
    }

    /**
     * Rounds interleaved: ours, torch with 1 thread, torch with 2 threads (dropped once its first two rounds are over
     * 3x slower than 1 thread, as on a loaded machine), medians; the speed-up is over torch's faster median.
     */
    static String measure(Torch torch, String name, int b, int rounds) throws Exception {
        boolean rk4 = name.equals("rk4");
        Tableau tab = rk4 ? Solvers.rk4() : Solvers.dopri5();
        StepController ctl = rk4 ? Controllers.constant(T1 / RK4_STEPS) : Controllers.scipy(RTOL, ATOL);
        Tensor y0 = y0(b);
        TensorField f = field();
        SteadyState.warmUp(4, () -> solve(f, y0, tab, ctl).yEnd(), line -> System.out.println("  " + name + " batch " + b + " " + line));
        String peer = torch.solve(name, b, 1);
        torch.solve(name, b, 2);
        List<Double> ours = new ArrayList<>(), t1 = new ArrayList<>(), t2 = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            solve(f, y0, tab, ctl).yEnd();
            ours.add((System.nanoTime() - t0) / 1e6);
            t1.add(OdeBench.field(torch.solve(name, b, 1), "ms", "ms"));
            boolean two = t2.size() < 2 || median(t2) <= 3 * median(t1);
            if (two) t2.add(OdeBench.field(torch.solve(name, b, 2), "ms", "ms"));
            System.out.printf(Locale.ROOT, "  %s batch %d round %d/%d: ours %.1f ms, torch 1 thread %.1f ms%s%n", name, b, r + 1, rounds,
                    ours.getLast(), t1.getLast(), two ? String.format(Locale.ROOT, ", 2 threads %.1f ms", t2.getLast()) : " (2 threads dropped)");
        }
        Solution<Tensor> s = solve(f, y0, tab, ctl);
        double[] y = s.yEnd().toDoubleArray();
        double mean = Arrays.stream(y).average().orElse(0), meanAbs = Arrays.stream(y).map(Math::abs).average().orElse(0);
        double best = Math.min(median(t1), t2.isEmpty() ? Double.POSITIVE_INFINITY : median(t2));
        return String.format(Locale.ROOT, "%-14s %5d %5d %10.1f %10.1f %10.1f %8.2fx  %.6f / %.6f | %.6f / %.6f", name + "_" + b,
                s.stats().nfev(), (long) OdeBench.field(peer, "nfev", "nfev"), median(ours), median(t1), median(t2), best / median(ours),
                mean, meanAbs, OdeBench.field(peer, "mean", "mean"), OdeBench.field(peer, "meanAbs", "meanAbs"));
    }

    static double median(List<Double> xs) {
        if (xs.isEmpty()) return Double.NaN;
        double[] a = xs.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a[a.length / 2];
    }

    static Solution<Tensor> solve(TensorField f, Tensor y0, Tableau tab, StepController ctl) {
        return Ode.solve(TensorProblem.of(f, 0, T1, y0), tab, ctl, OdeOptions.defaults().sensitivity(Sensitivity.none()));
    }

    /** The MLP of {@code neural_ode_torch.py}: tanh(tanh(y·W1 + b1)·W2 + b2)·W3 + b3, weights from the same formulas. */
    static TensorField field() {
        Tensor w1 = weight(2, H, 0.1), b1 = bias(H, 0.1), w2 = weight(H, H, 0.2), b2 = bias(H, 0.2), w3 = weight(H, 2, 0.3), b3 = bias(2, 0.3);
        return (t, y) -> y.matmul(w1).add(b1).tanh().matmul(w2).add(b2).tanh().matmul(w3).add(b3);
    }

    static Tensor weight(int rows, int cols, double seed) {
        float[] w = new float[rows * cols];
        for (int i = 0; i < rows; i++)
            for (int j = 0; j < cols; j++) w[i * cols + j] = (float) (0.8 * Math.sin(1.3 * i + 0.7 * j + seed) / Math.sqrt(rows));
        return Tensor.of(w, rows, cols);
    }

    static Tensor bias(int cols, double seed) {
        float[] b = new float[cols];
        for (int j = 0; j < cols; j++) b[j] = (float) (0.1 * Math.cos(j + seed));
        return Tensor.of(b, cols);
    }

    static Tensor y0(int batch) {
        float[] y = new float[batch * 2];
        for (int b = 0; b < batch; b++)
            for (int i = 0; i < 2; i++) y[b * 2 + i] = (float) (1.5 * Math.sin(0.37 * b + 1.1 * i));
        return Tensor.of(y, batch, 2);
    }

    /**
     * The PyTorch side as a server process (one timed solve per request), so rounds interleave with ours; started with
     * {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} unset, the fair peer of issue 16.
     */
    static final class Torch implements AutoCloseable {
        private final Process process;
        private final BufferedReader out;
        private final java.io.Writer in;

        Torch(Path root) throws Exception {
            ProcessBuilder pb = new ProcessBuilder("/usr/bin/python3", root.resolve("bench/neural_ode_torch.py").toString())
                    .redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("OPENBLAS_CORETYPE"); // these slow torch's GEMM on this CPU (issue 16)
            pb.environment().remove("OPENBLAS_L2_SIZE");
            process = pb.start();
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
            in = new java.io.OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        }

        /** One timed solve: its JSON answer. */
        String solve(String name, int batch, int threads) throws Exception {
            in.write(name + " " + batch + " " + threads + "\n");
            in.flush();
            String l = out.readLine();
            if (l == null || !l.startsWith("{"))
                throw new IllegalStateException("the PyTorch side failed (python3-torch installed? ./reprolab setup): " + l);
            return l;
        }

        @Override
        public void close() throws Exception {
            in.close();
            process.waitFor();
        }
    }
}
