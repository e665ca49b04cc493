import java.util.Arrays;
import java.util.Map;
import java.util.SplittableRandom;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * Our side of bench/compute.py, through the library's public API as a notebook would use it:
 * Adam on 16M f32 parameters (reprolab optim, one fused pass), Tensor.matmul 1024^2 in f32, and
 * one Adam training step of an MLP 784-512-512-10 on a batch of 256. Prints one JSON line.
 *
 * Run by bench/compute.py as a single-file source program: java FLAGS -cp CP bench/LibBench.java ROUNDS
 */
public final class LibBench {

    private interface Work {
        void run();
    }

    private static double medianMs(Work work, int rounds, int warmup) {
        for (int i = 0; i < warmup; i++) {
            work.run();
        }
        long[] t = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            work.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[rounds / 2] / 1e6;
    }

    /**
     * Issue 16: one element-wise binary op through {@code Tensor} ({@code x.add(y)} on 16M f32, its
     * lazy result computed by {@code evaluate()}) against the in-place bandwidth ceiling measured in
     * this JVM, a Vector API {@code a += b} over as many threads as the jvm device uses. Both move 12
     * counted bytes per element (two reads, one write); rounds are interleaved, medians compared.
     * Prints one line with both bandwidths and their ratio (target: at least 0.8).
     */
    private static void tensorAddVsCeiling(int rounds) {
        int n = 1 << 24;
        Tensor x = Tensor.randn(DType.F32, 11, n);
        Tensor y = Tensor.randn(DType.F32, 12, n);
        float[] a = Tensor.randn(DType.F32, 13, n).f32Array();
        float[] b = y.f32Array();
        int threads = x.buffer().device().capabilities().computeUnits();
        java.util.concurrent.ForkJoinPool pool = new java.util.concurrent.ForkJoinPool(threads);
        var species = jdk.incubator.vector.FloatVector.SPECIES_PREFERRED;
        int chunk = (n / threads + species.length() - 1) / species.length() * species.length();
        Work ceiling = () -> pool.submit(() -> java.util.stream.IntStream.range(0, threads).parallel().forEach(t -> {
            int from = Math.min(n, t * chunk), to = Math.min(n, from + chunk), i = from;
            for (; i + species.length() <= to; i += species.length()) {
                jdk.incubator.vector.FloatVector.fromArray(species, a, i)
                        .add(jdk.incubator.vector.FloatVector.fromArray(species, b, i)).intoArray(a, i);
            }
            for (; i < to; i++) {
                a[i] += b[i];
            }
        })).join();
        Work add = () -> x.add(y).evaluate();
        // the same op into one kept output (torch.add(x, y, out=z)): x.add(y) without any allocation
        Tensor z = Tensor.zeros(DType.F32, n);
        Work kept = () -> z.assign(x.add(y));
        long[] tAdd = new long[rounds];
        long[] tKept = new long[rounds];
        long[] tCeil = new long[rounds];
        for (int r = -3; r < rounds; r++) {
            long t0 = System.nanoTime();
            ceiling.run();
            long t1 = System.nanoTime();
            add.run();
            long t2 = System.nanoTime();
            kept.run();
            long t3 = System.nanoTime();
            if (r >= 0) {
                tCeil[r] = t1 - t0;
                tAdd[r] = t2 - t1;
                tKept[r] = t3 - t2;
            }
        }
        pool.shutdown();
        Arrays.sort(tAdd);
        Arrays.sort(tKept);
        Arrays.sort(tCeil);
        double ceilGbs = 12.0 * n / tCeil[rounds / 2];
        System.out.printf("tensor x.add(y) 16M f32: %.2f ms [%.2f-%.2f], %.2f of the in-place ceiling | into a kept output,"
                + " z.assign(x.add(y)): %.2f ms, %.2f of it | ceiling (Vector API a += b, %d threads, 12 B/element): %.2f ms, %.1f GB/s%n",
                tAdd[rounds / 2] / 1e6, tAdd[0] / 1e6, tAdd[rounds - 1] / 1e6, (double) tCeil[rounds / 2] / tAdd[rounds / 2],
                tKept[rounds / 2] / 1e6, (double) tCeil[rounds / 2] / tKept[rounds / 2], threads, tCeil[rounds / 2] / 1e6, ceilGbs);
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        tensorAddVsCeiling(rounds);
        if (args.length > 1 && args[1].equals("add")) {
            return; // the element-wise mode alone: java bench/LibBench.java ROUNDS add
        }

        // Adam on 16M f32 parameters: the optimizer's fused device pass
        Tensor p = Tensor.randn(DType.F32, 1, 1 << 24).requiresGrad(true);
        p.setGrad(Tensor.randn(DType.F32, 2, 1 << 24));
        double adamMs;
        try (Optimizer adam = Optimizer.builder(Map.of("p", p), Optimizers.adam(1e-3)).build()) {
            adamMs = medianMs(adam::step, rounds, 3);
        }
        p = null;

        // f32 matmul 1024^2 through the Tensor API
        Tensor a = Tensor.randn(DType.F32, 3, 1024, 1024);
        Tensor b = Tensor.randn(DType.F32, 4, 1024, 1024);
        double matmulMs = medianMs(() -> a.matmul(b), rounds, 3);

        // MLP 784-512-512-10, batch 256: forward, cross-entropy, backward, Adam update
        MLP model = new MLP(new int[] {784, 512, 512, 10}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 6, 256, 784);
        int[] labels = new SplittableRandom(7).ints(256, 0, 10).toArray();
        double stepMs;
        try (Optimizer adam = Optimizer.builder(model.parameters(), Optimizers.adam(1e-3)).build()) {
            stepMs = medianMs(() -> {
                model.zeroGrad();
                Losses.crossEntropy(model.forward(x), labels).backward();
                adam.step();
            }, rounds * 3, 5);
        }
        double gflops = 2.0 * 1024 * 1024 * 1024 / (matmulMs / 1e3) / 1e9;
        System.out.printf("{\"adam16m_ms\": %.3f, \"matmul_ms\": %.3f, \"matmul_gflops\": %.2f, \"mlp_step_ms\": %.3f, \"device\": \"%s\"}%n",
                adamMs, matmulMs, gflops, stepMs, a.device());
    }
}
