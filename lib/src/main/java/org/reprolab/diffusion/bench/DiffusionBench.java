package org.reprolab.diffusion.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.reprolab.diffusion.SampleOptions;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;

/**
 * Samples per second of DPM-Solver++(2M) at 10 NFE on the ring8 mixture (exact denoiser), ours and PyTorch 1.13
 * ({@code bench/diffusion_torch.py}, the same algorithm) side by side in one run, after checking that both give the
 * same endpoints from the same noise. Ours runs device-resident on the current device (the batch stays in device
 * buffers, one mixture kernel per evaluation, one fused kernel per step). The peer runs as one long-lived process
 * with {@code OPENBLAS_CORETYPE} and {@code OPENBLAS_L2_SIZE} removed from its environment, and the rounds are
 * interleaved (ours, peer f64 at our thread count, peer f64 at 1 thread, peer f32), so both see the same machine
 * load; the ratio is against the faster of the peer's two f64 thread counts. Progress goes to stdout as it runs;
 * the result is a markdown table. Run by {@code bench/diffusion.sh}.
 */
public final class DiffusionBench {
    private DiffusionBench() {}

    public static void main(String[] args) throws Exception {
        String root = args[0];
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 7;
        int threads = Runtime.getRuntime().availableProcessors();
        DiffusionModel model = GaussianMixture.ring(8, 1, 0.08).denoiser(NoiseSchedule.vpLinear());
        Sampler s = new Sampler.DpmSolverPP(2);
        System.out.println("# machine: " + threads + " processors for the JVM, load average " + loadAverage());
        Device device = Devices.current();
        SampleOptions on = SampleOptions.defaults();
        System.out.println("# ours: device-resident on " + device.describe());
        try (Peer torch = new Peer(root + "/bench/diffusion_torch.py")) {
            System.out.println("# peer: " + torch.call("info"));

            // 1. the same algorithm: endpoints from the same 16 noise points
            Batch z = Batch.normal(16, 2, 0);
            double[] ours = Diffusion.sample(s, model, z, 10, on, device).x().data();
            StringBuilder json = new StringBuilder("[");
            for (double[] row : z.rows()) json.append(json.length() > 1 ? "," : "").append(String.format(Locale.ROOT, "[%.17g,%.17g]", row[0], row[1]));
            double[] theirs = Arrays.stream(Peer.once(json.append("]").toString(), root + "/bench/diffusion_torch.py", "check").trim()
                    .replaceAll("[\\[\\]\\s]", " ").trim().split("[ ,]+")).mapToDouble(Double::parseDouble).toArray();
            double maxDiff = 0;
            for (int i = 0; i < ours.length; i++) maxDiff = Math.max(maxDiff, Math.abs(ours[i] - theirs[i]));
            System.out.printf(Locale.ROOT, "endpoint agreement with PyTorch (16 points, f64): max |diff| = %.2e%n", maxDiff);
            if (!(maxDiff < 1e-9)) throw new IllegalStateException("the two implementations disagree: " + maxDiff);

            // 2. throughput, rounds interleaved, after the JIT has compiled the kernels (C2 takes seconds on the
            //    mixture's 240-node fused loop, longer on a loaded machine): solves of 100k points for >= 5 s until stable
            Batch warmBatch = Batch.normal(100_000, 2, 9);
            long w0 = System.nanoTime();
            int warmed = 0;
            do warmed += warmUp(() -> Diffusion.sample(s, model, warmBatch, 10, on, device));
            while (System.nanoTime() - w0 < 5e9 && warmed < 60);
            System.out.printf(Locale.ROOT, "# JIT warm-up: %d solves of 100,000 points in %.1f s%n", warmed, (System.nanoTime() - w0) / 1e9);
            List<String> rows = new ArrayList<>();
            for (int n : new int[] {10_000, 100_000, 1_000_000}) {
                Batch zn = Batch.normal(n, 2, 1);
                int warm = warmUp(() -> Diffusion.sample(s, model, zn, 10, on, device));
                System.out.printf(Locale.ROOT, "# n = %,d: ours warmed up in %d solves; peer warming up%n", n, warm);
                for (String dt : new String[] {"f64", "f32"}) torch.call("warm " + n + " " + threads + " " + dt + " 1");
                double[] mine = new double[rounds], same = new double[rounds], one = new double[rounds], f32 = new double[rounds];
                for (int r = 0; r < rounds; r++) {
                    long t0 = System.nanoTime();
                    Diffusion.sample(s, model, zn, 10, on, device);
                    mine[r] = (System.nanoTime() - t0) / 1e9;
                    same[r] = torch.seconds("run " + n + " " + threads + " f64");
                    one[r] = torch.seconds("run " + n + " 1 f64");
                    f32[r] = torch.seconds("run " + n + " " + threads + " f32");
                    System.out.printf(Locale.ROOT, "# n = %,d round %d/%d: ours %.4f s, PyTorch f64 %.4f s (%d threads) %.4f s (1 thread), f32 %.4f s; load %s%n",
                            n, r + 1, rounds, mine[r], same[r], threads, one[r], f32[r], loadAverage());
                }
                double m = median(mine), pSame = median(same), pOne = median(one), peer = Math.min(pSame, pOne);
                rows.add(String.format(Locale.ROOT, "| %,d | %.4f (%.4f–%.4f) | %,.0f | %.4f | %.4f | %.4f | %.2fx | %.2fx |", n, m, min(mine), max(mine),
                        n / m, pSame, pOne, median(f32), peer / m, median(f32) / m));
            }
            System.out.println();
            System.out.println("| samples | ours f64 (s, median (min–max)) | ours samples/s | PyTorch f64 " + threads + " threads (s) | PyTorch f64 1 thread (s) | PyTorch f32 " + threads
                    + " threads (s) | ours vs faster PyTorch f64 | ours vs PyTorch f32 |");
            System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
            rows.forEach(System.out::println);
            System.out.println("\n# " + rounds + " interleaved rounds per size, medians; load average at the end " + loadAverage());
        }
    }

    /** Solves until three successive times agree within 10%, at least 3 and at most 12; returns how many it took. */
    private static int warmUp(Runnable solve) {
        double[] last = new double[3];
        for (int i = 0; i < 12; i++) {
            long t0 = System.nanoTime();
            solve.run();
            last[i % 3] = (System.nanoTime() - t0) / 1e9;
            if (i >= 2 && max(last) <= 1.1 * min(last)) return i + 1;
        }
        return 12;
    }

    private static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (IOException e) {
            return "unknown";
        }
    }

    private static double median(double[] v) {
        double[] a = v.clone();
        Arrays.sort(a);
        return a.length % 2 == 1 ? a[a.length / 2] : 0.5 * (a[a.length / 2 - 1] + a[a.length / 2]);
    }

    private static double min(double[] v) { return Arrays.stream(v).min().orElse(Double.NaN); }

    private static double max(double[] v) { return Arrays.stream(v).max().orElse(Double.NaN); }

    /** The PyTorch peer as one long-lived process ({@code diffusion_torch.py serve}), its environment without the OpenBLAS overrides. */
    private static final class Peer implements AutoCloseable {
        private final Process process;
        private final PrintWriter in;
        private final BufferedReader out;

        Peer(String script) throws IOException {
            process = builder("/usr/bin/python3", script, "serve").start();
            in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        static ProcessBuilder builder(String... cmd) {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectError(ProcessBuilder.Redirect.INHERIT);
            pb.environment().remove("OPENBLAS_CORETYPE");
            pb.environment().remove("OPENBLAS_L2_SIZE");
            return pb;
        }

        String call(String command) throws IOException {
            in.println(command);
            String line = out.readLine();
            if (line == null) throw new IllegalStateException("the PyTorch peer exited on '" + command + "'");
            return line;
        }

        double seconds(String command) throws IOException {
            return Double.parseDouble(call(command).replaceAll("(?s).*\"s\": ([0-9.eE+-]+).*", "$1"));
        }

        static String once(String stdin, String... cmd) throws IOException, InterruptedException {
            Process p = builder(cmd).start();
            p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
            p.getOutputStream().close();
            String result = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (p.waitFor() != 0) throw new IllegalStateException(String.join(" ", cmd) + " failed");
            return result;
        }

        @Override
        public void close() throws IOException {
            in.close();
            try {
                process.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
