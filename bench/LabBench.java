import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.reprolab.lab.Lab;
import org.reprolab.lab.Progress;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Transform;
import org.reprolab.problems.Objective;
import org.reprolab.problems.Problems;
import org.reprolab.tensor.Tensor;

/**
 * Lab's own overhead: the DESIGN snippet (five optimizers, 2,000 steps on Rosenbrock from (-1.5, 2))
 * through Lab.optimize(...).run(), against the same work as a bare loop that records the loss and
 * the point at every step, as a notebook would by hand. Rounds alternate (bare, Lab, bare, Lab ...)
 * so drift hits both; prints the medians and the minima (the least disturbed round, on a
 * shared machine the steadier figure) and their ratios.
 *
 * Run by bench/lab.sh as a single-file source program: java -cp CP bench/LabBench.java ROUNDS
 */
public final class LabBench {
    static final List<Transform> METHODS = List.of(Optimizers.adam(1e-2), Optimizers.adan(1e-2), Optimizers.adaBelief(1e-2),
            Optimizers.lion(1e-3), Optimizers.diffGrad(1e-2));
    static final int STEPS = 2_000;

    static double checksum;

    static void bare(Objective f) {
        for (Transform chain : METHODS) {
            double[] loss = new double[STEPS + 1], x0 = new double[STEPS + 1], x1 = new double[STEPS + 1];
            double[] xs = {-1.5, 2.0};
            var x = Tensor.of(xs.clone());
            loss[0] = f.value(xs);
            x0[0] = xs[0];
            x1[0] = xs[1];
            try (var opt = Optimizer.of(Map.of("x", x), chain)) {
                for (int t = 1; t <= STEPS; t++) {
                    x.setGrad(Tensor.of(f.gradient(xs)));
                    opt.step();
                    xs = x.toDoubleArray();
                    loss[t] = f.value(xs);
                    x0[t] = xs[0];
                    x1[t] = xs[1];
                }
            }
            checksum += loss[STEPS];
        }
    }

    static void lab(Objective f) {
        var runs = Lab.optimize(f).from(-1.5, 2.0).compare(METHODS.toArray(Transform[]::new)).steps(STEPS).progress(Progress.none()).run();
        checksum += runs.runs().getLast().history("loss")[STEPS];
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 31;
        Objective f = Problems.rosenbrock();
        for (int i = 0; i < 5; i++) {
            bare(f);
            lab(f);
        }
        long[] b = new long[rounds], l = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            bare(f);
            long t1 = System.nanoTime();
            lab(f);
            long t2 = System.nanoTime();
            b[i] = t1 - t0;
            l[i] = t2 - t1;
        }
        Arrays.sort(b);
        Arrays.sort(l);
        double bareMs = b[rounds / 2] / 1e6, labMs = l[rounds / 2] / 1e6, bareMin = b[0] / 1e6, labMin = l[0] / 1e6;
        System.out.printf("{\"case\": \"rosenbrock 5 optimizers x 2000 steps\", \"rounds\": %d, \"bare_median_ms\": %.2f, \"lab_median_ms\": %.2f, "
                        + "\"overhead_median_percent\": %.1f, \"bare_min_ms\": %.2f, \"lab_min_ms\": %.2f, \"overhead_min_percent\": %.1f, \"checksum\": %s}%n",
                rounds, bareMs, labMs, 100 * (labMs / bareMs - 1), bareMin, labMin, 100 * (labMin / bareMin - 1), checksum);
    }
}
