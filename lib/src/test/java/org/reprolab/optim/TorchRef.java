package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a torch reference script of {@code src/test/python} on a batch of cases and returns trajectories by id. */
final class TorchRef {
    static final String PYTHON = "/usr/bin/python3";

    private TorchRef() {}

    static Path script(String name) {
        Path base = Path.of(System.getProperty("basedir", "."));
        Path p = base.resolve("src/test/python/" + name);
        if (!Files.exists(p)) p = base.resolve("lib/src/test/python/" + name);
        return p;
    }

    /** {@code casesJson}: the JSON objects of the cases. Fails the test with a clear message when torch is missing. */
    static Map<String, double[]> run(List<String> casesJson) {
        return run("torch_optim_ref.py", casesJson);
    }

    /** Runs {@code src/test/python/<script>} on the cases; see {@link #run(List)}. */
    static Map<String, double[]> run(String script, List<String> casesJson) {
        try {
            Path dir = Files.createTempDirectory("torch-optim-ref");
            Path spec = dir.resolve("spec.json"), out = dir.resolve("out.txt");
            Files.writeString(spec, "{\"cases\": [\n" + String.join(",\n", casesJson) + "\n]}\n");
            if (!Files.isExecutable(Path.of(PYTHON)))
                fail("torch reference tests need " + PYTHON + " with PyTorch (Debian package python3-torch); " + PYTHON + " is missing");
            Process pr = new ProcessBuilder(PYTHON, script(script).toString(), spec.toString(), out.toString())
                    .redirectErrorStream(true).start();
            String log = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!pr.waitFor(300, TimeUnit.SECONDS)) {
                pr.destroyForcibly();
                fail("torch reference script timed out");
            }
            if (pr.exitValue() != 0) {
                if (log.contains("No module named 'torch'"))
                    fail("torch reference tests need PyTorch for " + PYTHON + " (Debian package python3-torch, torch 1.13): " + log);
                fail("torch reference script failed (exit " + pr.exitValue() + "):\n" + log);
            }
            Map<String, double[]> res = new HashMap<>();
            for (String line : Files.readAllLines(out)) {
                String[] f = line.trim().split(" ");
                double[] v = new double[f.length - 1];
                for (int i = 1; i < f.length; i++) v[i - 1] = Double.parseDouble(f[i]);
                res.put(f[0], v);
            }
            return res;
        } catch (IOException e) {
            throw new AssertionError("cannot run the torch reference script: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Largest |a - b| / max(1, |b|), or +inf on a length mismatch or non-finite values. */
    static double maxRelDiff(double[] a, double[] b) {
        if (a.length != b.length) return Double.POSITIVE_INFINITY;
        double m = 0;
        for (int i = 0; i < a.length; i++) {
            if (!Double.isFinite(a[i]) || !Double.isFinite(b[i])) return Double.POSITIVE_INFINITY;
            m = Math.max(m, Math.abs(a[i] - b[i]) / Math.max(1, Math.abs(b[i])));
        }
        return m;
    }
}
