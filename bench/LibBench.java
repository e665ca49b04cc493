import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.Collectors;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tensor.TensorScope;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.bench.Bench;
import org.reprolab.tornado.bench.MachineLimits;
import org.reprolab.tornado.bench.SteadyState;

/**
 * Our side of bench/compute.py (issue 16 item 2), through the library's public API as a notebook
 * would use it, with the machine's limits measured in the same JVM: the FMA peak (f32, f64) and the
 * in-place bandwidth ceiling. Cases: {@code Tensor.matmul} in f32 and f64 at 256², 512², 1024²,
 * 2048² and a 4096×784 · 784×512 panel; one element-wise binary op on 16M f32 through
 * {@code Tensor}, interleaved with the ceiling; fused Adam (device kernel) against the ceiling; Adam
 * on 16M f32 through {@code Optimizer}; one Adam training step of an MLP 784-512-512-10 on a batch
 * of 256. Progress goes to stderr as each case finishes; the last stdout line is one JSON object.
 *
 * Run by bench/compute.py as a single-file source program: java FLAGS -cp CP bench/LibBench.java ROUNDS
 */
public final class LibBench {
    /** The matmul cases: m, k, n. */
    static final int[][] MATMULS = {{256, 256, 256}, {512, 512, 512}, {1024, 1024, 1024}, {2048, 2048, 2048}, {4096, 784, 512}};
    private static final int N16M = 1 << 24;

    private interface Work {
        void run();
    }

    private static final Map<String, Object> OUT = new LinkedHashMap<>();

    private static void progress(String format, Object... args) {
        System.err.printf(Locale.ROOT, "  [reprolab] " + format + "%n", args);
        System.err.flush();
    }

    /** Median of {@code rounds} timed runs after at least {@code warmup} runs and half a second (C2 needs both). */
    private static double medianMs(Work work, int rounds, int warmup) {
        long until = System.nanoTime() + 500_000_000L;
        for (int i = 0; i < warmup || System.nanoTime() < until; i++) work.run();
        long[] t = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            work.run();
            t[i] = System.nanoTime() - t0;
        }
        Arrays.sort(t);
        return t[rounds / 2] / 1e6;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 9;
        int threads = Runtime.getRuntime().availableProcessors();
        OUT.put("threads", threads);
        OUT.put("device", Devices.get("jvm").name());
        if (args.length > 1 && args[1].equals("add")) {   // the element-wise case alone: java bench/LibBench.java ROUNDS add
            elementwiseAdd16M(rounds, threads);
            return;
        }
        if (args.length > 1 && args[1].equals("mlp")) {   // the MLP step alone: java bench/LibBench.java ROUNDS mlp
            mlpStep(rounds);
            System.out.println(OUT);
            return;
        }
        double f32Peak = MachineLimits.fmaPeakGflops(threads, 5);
        for (boolean f64 : new boolean[] {false, true}) {
            double peak = f64 ? MachineLimits.f64Peak(f32Peak) : f32Peak;
            OUT.put((f64 ? "f64" : "f32") + "_peak_gflops", peak);
            OUT.put((f64 ? "f64" : "f32") + "_peak_formula_gflops", MachineLimits.formulaPeakGflops(f64, threads));
            progress("%s", MachineLimits.describePeak(f64, threads, peak));
        }
        OUT.put("cpu_mhz", MachineLimits.cpuinfoMhz());
        warmUp();

        for (DType dtype : new DType[] {DType.F32, DType.F64}) {
            for (int[] mkn : MATMULS) matmul(dtype, mkn[0], mkn[1], mkn[2], rounds);
        }
        elementwiseAdd16M(rounds, threads);

        Bench.FusedAdam fused = Bench.fusedAdam(Devices.get("jvm"), rounds);
        OUT.put("fused_adam_ms", fused.ms());
        OUT.put("fused_adam_gbs", fused.gbPerS());
        OUT.put("fused_adam_ceiling_gbs", fused.ceilingGbPerS());
        progress("fused Adam 16M f32 (device kernel): %.2f ms, %.1f GB/s = %.2f of the in-place ceiling %.1f GB/s",
                fused.ms(), fused.gbPerS(), fused.ofCeiling(), fused.ceilingGbPerS());

        optimizerAdam16M(rounds);
        mlpStep(rounds);
        System.out.println(OUT.entrySet().stream()
                .map(e -> "\"" + e.getKey() + "\": " + (e.getValue() instanceof String s ? "\"" + s + "\"" : e.getValue()))
                .collect(Collectors.joining(", ", "{", "}")));
    }

    /**
     * Runs every matmul shape and the element-wise op a few times before anything is timed, so that
     * C2 has compiled the shared kernels before the first (smallest) case; on a loaded machine the
     * compiler threads get little CPU and per-case warm-up alone left 256² timing interpreted code.
     */
    static void warmUp() {
        long t0 = System.nanoTime();
        for (int rep = 0; rep < 3; rep++) {
            for (DType dtype : new DType[] {DType.F32, DType.F64}) {
                for (int[] mkn : MATMULS) {
                    int m = Math.min(mkn[0], 1024), k = mkn[1], n = mkn[2];
                    Tensor.randn(dtype, 3, m, Math.min(k, 1024)).matmul(Tensor.randn(dtype, 4, Math.min(k, 1024), n));
                }
            }
            Tensor.randn(DType.F32, 8, 1 << 20).add(Tensor.randn(DType.F32, 9, 1 << 20));
        }
        progress("JIT warm-up (every matmul shape, k and m capped at 1024, and the element-wise add, 3 times): %.1f s", (System.nanoTime() - t0) / 1e9);
    }

    /**
     * {@code Tensor.matmul} of an m×k by a k×n matrix: GFLOP/s ({@code 2mnk} flops). Each result is closed
     * when timed, so its buffer goes back to the pool at once, as PyTorch's caching/glibc allocator reuses
     * the freed output of {@code c = a @ b} (the peer writes into a kept {@code out=} tensor); without it
     * every call pays for a fresh output (zeroing, page faults while the heap grows), which measured as
     * much as 0.6x at 512² with the GEMM itself unchanged (docs/performance.md).
     */
    static void matmul(DType dtype, int m, int k, int n, int rounds) {
        Tensor a = Tensor.randn(dtype, 3, m, k), b = Tensor.randn(dtype, 4, k, n);
        double ms = medianMs(() -> {
            try (Tensor c = a.matmul(b)) {
                c.evaluate();
            }
        }, rounds, 3);
        double gflops = 2.0 * m * n * k / (ms / 1e3) / 1e9;
        String key = "matmul_" + dtype.name().toLowerCase(Locale.ROOT) + "_" + m + "x" + k + "x" + n;
        OUT.put(key + "_gflops", gflops);
        progress("matmul %s %dx%d * %dx%d: %.2f ms, %.1f GFLOP/s", dtype, m, k, k, n, ms, gflops);
    }

    /**
     * One element-wise binary op, {@code x.add(y)} on 16M f32 through {@code Tensor} (12 bytes per
     * element counted: two reads, one write), each round interleaved with one pass of the in-place
     * bandwidth ceiling on the same number of threads.
     */
    static void elementwiseAdd16M(int rounds, int threads) {
        Tensor x = Tensor.randn(DType.F32, 8, N16M), y = Tensor.randn(DType.F32, 9, N16M);
        long[] tAdd = new long[rounds], tCeil = new long[rounds], tGc = new long[rounds], tKept = new long[rounds], tOut = new long[rounds];
        try (MachineLimits.InPlaceCeiling ceiling = new MachineLimits.InPlaceCeiling(threads, N16M)) {
            Tensor z = Tensor.zeros(DType.F32, N16M);
            for (int w = 0; w < 3; w++) {
                try (Tensor r = x.add(y)) {
                    r.evaluate();
                }
                x.add(y).evaluate();
                z.assign(x.add(y));
                ceiling.passNanos();
                ceiling.outOfPlacePassNanos();
            }
            // the closed case in a loop of its own: each round reuses the buffer the previous one gave back. Interleaved
            // with the unclosed case (until session 6), the unclosed add took that buffer and kept it until a GC, so
            // nearly every "closed" round timed a fresh 64 MB allocation instead (0.53-0.57 of the ceiling vs 0.64-0.70)
            for (int r = 0; r < rounds; r++) {
                tCeil[r] = ceiling.passNanos();
                tOut[r] = ceiling.outOfPlacePassNanos();
                long t0 = System.nanoTime();
                try (Tensor sum = x.add(y)) {  // the result's buffer goes back to the pool when the block ends
                    sum.evaluate();            // element-wise ops are recorded lazily: compute the result now
                }
                tAdd[r] = System.nanoTime() - t0;
            }
            for (int r = 0; r < rounds; r++) {
                long t1 = System.nanoTime();
                x.add(y).evaluate();   // not closed: the pool gets its buffer back only after a GC finds it dead
                long t2 = System.nanoTime();
                z.assign(x.add(y));    // the same op into a kept output (torch.add(x, y, out=z)), no allocation
                tKept[r] = System.nanoTime() - t2;
                tGc[r] = t2 - t1;
            }
            Arrays.sort(tAdd);
            Arrays.sort(tGc);
            Arrays.sort(tKept);
            Arrays.sort(tCeil);
            Arrays.sort(tOut);
            double addNs = tAdd[rounds / 2], ceilGbs = ceiling.gbPerS(tCeil[rounds / 2]);
            double addGbs = 12.0 * N16M / addNs;
            OUT.put("add16m_ms", addNs / 1e6);
            OUT.put("add16m_gbs", addGbs);
            OUT.put("ceiling_gbs", ceilGbs);
            double keptGbs = 12.0 * N16M / tKept[rounds / 2], gcGbs = 12.0 * N16M / tGc[rounds / 2];
            double outGbs = ceiling.gbPerS(tOut[rounds / 2]);
            OUT.put("add16m_kept_gbs", keptGbs);
            OUT.put("add16m_unclosed_gbs", gcGbs);
            OUT.put("out_of_place_ceiling_gbs", outGbs);
            progress("x.add(y) 16M f32 through Tensor, closed (try-with-resources): %.2f ms, %.1f GB/s = %.2f of the in-place ceiling %.1f GB/s"
                    + " [%.2f-%.2f ms]; not closed (buffers back at GC): %.2f ms, %.2f; into a kept output z.assign(x.add(y)): %.2f ms, %.2f;"
                    + " out-of-place Vector API c = a + b into a kept array: %.2f ms, %.2f of the in-place ceiling (12 B/elem counted for all)",
                    addNs / 1e6, addGbs, addGbs / ceilGbs, ceilGbs, tAdd[0] / 1e6, tAdd[rounds - 1] / 1e6,
                    tGc[rounds / 2] / 1e6, gcGbs / ceilGbs, tKept[rounds / 2] / 1e6, keptGbs / ceilGbs,
                    tOut[rounds / 2] / 1e6, outGbs / ceilGbs);
        }
    }

    /** Adam on 16M f32 parameters through {@code Optimizer} (the optimizer's fused device pass). */
    static void optimizerAdam16M(int rounds) {
        Tensor p = Tensor.randn(DType.F32, 1, N16M).requiresGrad(true);
        p.setGrad(Tensor.randn(DType.F32, 2, N16M));
        try (Optimizer adam = Optimizer.builder(Map.of("p", p), Optimizers.adam(1e-3)).build()) {
            double ms = medianMs(adam::step, rounds, 3);
            OUT.put("adam16m_ms", ms);
            progress("Adam step 16M f32 through Optimizer: %.2f ms", ms);
        }
    }

    /** MLP 784-512-512-10, batch 256: forward, cross-entropy, backward, Adam update. */
    static void mlpStep(int rounds) {
        MLP model = new MLP(new int[] {784, 512, 512, 10}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 6, 256, 784);
        int[] labels = new SplittableRandom(7).ints(256, 0, 10).toArray();
        try (Optimizer adam = Optimizer.builder(model.parameters(), Optimizers.adam(1e-3)).build()) {
            Work step = () -> {
                try (TensorScope _ = Tensor.scope()) { // as Lab.train does: the next step reuses this one's memory
                    model.zeroGrad();
                    Losses.crossEntropy(model.forward(x), labels).backward();
                    adam.step();
                }
            };
            // steady state, as a training loop of thousands of steps runs: C2 needs several seconds for the step's
            // kernels (1-second windows measured 56, 10, 9, 7, 6.8, 5.8 ms per step from a cold start), so the
            // 0.5 s warm-up of medianMs timed partly compiled code (12.6 ms); the cold cost is the memory bench's
            long t0 = System.nanoTime();
            SteadyState.warmUp(8, step::run, line -> progress("MLP step %s", line)); // at least 8 s: two early windows can agree by chance
            OUT.put("mlp_warmup_s", (System.nanoTime() - t0) / 1e9);
            double ms = medianMs(step, rounds * 3, 5);
            OUT.put("mlp_step_ms", ms);
            progress("MLP 784-512-512-10 b256 Adam step (after %.1f s of warm-up): %.2f ms", (System.nanoTime() - t0) / 1e9, ms);
        }
    }
}
