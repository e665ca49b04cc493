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

/**
 * A batched neural-ODE solve (issue 16): the MLP field 2 → 64 → 64 → 2 (tanh) on a batch of f32 states, t ∈ [0, 5],
 * fixed-step RK4 (40 steps) and adaptive Dopri5 (rtol 1e-5, atol 1e-7, scipy's controller), no gradients, against
 * the same loops written in PyTorch ({@code bench/neural_ode_torch.py}, torchdiffeq's algorithms; Debian has no
 * torchdiffeq) run in the same process tree (1 and 2 threads, the faster reported) with {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} unset.
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
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int[] batches = args.length > 2 ? Arrays.stream(args, 2, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {1024, 16384};
        List<String> torch = torch(root, rounds, batches);
        System.out.printf(Locale.ROOT, "%n%-16s %9s %9s %10s %14s %9s  %s%n", "case", "nfev", "torch", "ours (ms)", "torch (ms, thr)",
                "speed-up", "final state mean / mean|y|: ours | torch");
        int i = 0;
        for (int b : batches) {
            for (String name : new String[] {"rk4", "dopri5"}) {
                String peer = torch.get(i++);
                boolean rk4 = name.equals("rk4");
                Tableau tab = rk4 ? Solvers.rk4() : Solvers.dopri5();
                StepController ctl = rk4 ? Controllers.constant(T1 / RK4_STEPS) : Controllers.scipy(RTOL, ATOL);
                Tensor y0 = y0(b);
                TensorField f = field();
                double ms = medianMs(f, y0, tab, ctl, rounds, name + " batch " + b);
                Solution<Tensor> s = solve(f, y0, tab, ctl);
                double[] y = s.yEnd().toDoubleArray();
                double mean = Arrays.stream(y).average().orElse(0), meanAbs = Arrays.stream(y).map(Math::abs).average().orElse(0);
                double torchMs = OdeBench.field(peer, "case", "ms");
                System.out.printf(Locale.ROOT, "%-16s %9d %9d %10.1f %10.1f (%d) %8.2fx  %.6f / %.6f | %.6f / %.6f%n", name + "_" + b,
                        s.stats().nfev(), (long) OdeBench.field(peer, "case", "nfev"), ms, torchMs,
                        (int) OdeBench.field(peer, "case", "threads"), torchMs / ms, mean, meanAbs,
                        OdeBench.field(peer, "case", "mean"), OdeBench.field(peer, "case", "meanAbs"));
            }
        }
    }

    static Solution<Tensor> solve(TensorField f, Tensor y0, Tableau tab, StepController ctl) {
        return Ode.solve(TensorProblem.of(f, 0, T1, y0), tab, ctl, OdeOptions.defaults().sensitivity(Sensitivity.none()));
    }

    static double medianMs(TensorField f, Tensor y0, Tableau tab, StepController ctl, int rounds, String what) {
        solve(f, y0, tab, ctl); // warm-up (JIT, kernel compilation)
        solve(f, y0, tab, ctl);
        double[] ms = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            long t0 = System.nanoTime();
            solve(f, y0, tab, ctl).yEnd();
            ms[r] = (System.nanoTime() - t0) / 1e6;
            System.out.printf(Locale.ROOT, "  ours %s round %d/%d: %.1f ms%n", what, r + 1, rounds, ms[r]);
        }
        Arrays.sort(ms);
        return ms[rounds / 2];
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

    /** Runs the PyTorch side first (its progress passes through), one JSON line per case. */
    static List<String> torch(Path root, int rounds, int[] batches) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("/usr/bin/python3", root.resolve("bench/neural_ode_torch.py").toString(),
                Integer.toString(rounds)));
        for (int b : batches) cmd.add(Integer.toString(b));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
        pb.environment().remove("OPENBLAS_CORETYPE"); // the fair peer (issue 16): these slow torch's GEMM on this CPU
        pb.environment().remove("OPENBLAS_L2_SIZE");
        Process pr = pb.start();
        List<String> lines = new ArrayList<>();
        try (var in = new BufferedReader(new InputStreamReader(pr.getInputStream(), StandardCharsets.UTF_8))) {
            for (String l; (l = in.readLine()) != null; ) if (l.startsWith("{")) lines.add(l);
        }
        if (pr.waitFor() != 0 || lines.size() != 2 * batches.length)
            throw new IllegalStateException("the PyTorch side failed (python3-torch installed? ./reprolab setup)");
        return lines;
    }
}
