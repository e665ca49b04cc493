package org.reprolab.diffusion.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.Sampler;

/**
 * Samples per second of DPM-Solver++(2M) at 10 NFE on the ring8 mixture (exact denoiser), ours and PyTorch 1.13
 * ({@code bench/diffusion_torch.py}, the same algorithm) side by side in one run, after checking that both give the
 * same endpoints from the same noise. Run by {@code bench/diffusion.sh}; prints a markdown table.
 */
public final class DiffusionBench {
    private DiffusionBench() {}

    public static void main(String[] args) throws Exception {
        String root = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        String torch = root + "/bench/diffusion_torch.py";
        DiffusionModel model = GaussianMixture.ring(8, 1, 0.08).denoiser(NoiseSchedule.vpLinear());
        Sampler s = new Sampler.DpmSolverPP(2);

        // 1. the same algorithm: endpoints from the same 16 noise points
        Batch z = Batch.normal(16, 2, 0);
        double[] ours = Diffusion.sample(s, model, z, 10).x().data();
        StringBuilder json = new StringBuilder("[");
        for (double[] row : z.rows()) json.append(json.length() > 1 ? "," : "").append(String.format(Locale.ROOT, "[%.17g,%.17g]", row[0], row[1]));
        String out = run(json.append("]").toString(), "/usr/bin/python3", torch, "check");
        double[] theirs = Arrays.stream(out.trim().replaceAll("[\\[\\]\\s]", " ").trim().split("[ ,]+")).mapToDouble(Double::parseDouble).toArray();
        double maxDiff = 0;
        for (int i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
        System.out.printf(Locale.ROOT, "endpoint agreement with PyTorch (16 points, f64): max |diff| = %.2e%n%n", maxDiff);
        if (!(maxDiff < 1e-9)) throw new IllegalStateException("the two implementations disagree: " + maxDiff);

        // 2. throughput
        System.out.println("| samples | ours f64 (s) | ours samples/s | PyTorch f64 (s, threads) | PyTorch f64 samples/s | PyTorch f32 (s, threads) | ours vs PyTorch f64 |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (int n : new int[] {10_000, 100_000, 1_000_000}) {
            Batch zn = Batch.normal(n, 2, 1);
            for (int w = 0; w < 2; w++) Diffusion.sample(s, model, zn, 10);
            List<Double> times = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                long t0 = System.nanoTime();
                Diffusion.sample(s, model, zn, 10);
                times.add((System.nanoTime() - t0) / 1e9);
            }
            double mine = median(times);
            double[] f64 = torchBest(torch, n, rounds, "f64"), f32 = torchBest(torch, n, rounds, "f32");
            System.out.printf(Locale.ROOT, "| %,d | %.3f | %,.0f | %.3f (%d) | %,.0f | %.3f (%d) | %.2fx |%n", n, mine, n / mine,
                    f64[0], (int) f64[1], n / f64[0], f32[0], (int) f32[1], f64[0] / mine);
        }
    }

    /** PyTorch's median time with 1 and with 2 threads, the faster of the two (OpenMP threads suffer badly on a loaded 2-core machine). */
    private static double[] torchBest(String script, int n, int rounds, String dtype) throws IOException, InterruptedException {
        double[] best = {Double.POSITIVE_INFINITY, 0};
        for (int threads = 1; threads <= 2; threads++) {
            String t = run("", "/usr/bin/python3", script, "bench", Integer.toString(n), Integer.toString(rounds), Integer.toString(threads), dtype);
            double sec = Double.parseDouble(t.replaceAll("(?s).*\"median_s\": ([0-9.eE+-]+).*", "$1"));
            if (sec < best[0]) { best[0] = sec; best[1] = threads; }
        }
        return best;
    }

    private static double median(List<Double> v) {
        double[] a = v.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    private static String run(String stdin, String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed");
        return out;
    }
}
