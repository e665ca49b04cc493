package org.reprolab.ode;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs {@code bench/ode_scipy.py} with Debian's python3 and scipy; fails with a clear message if scipy is missing. */
final class Scipy {
    private Scipy() {}

    static final Path BENCH = locateBench();
    private static Map<String, Object> compare6;

    private static Path locateBench() {
        Path p = Path.of("").toAbsolutePath();
        for (int up = 0; up < 3 && p != null; up++, p = p.getParent())
            if (Files.exists(p.resolve("bench/ode_scipy.py"))) return p.resolve("bench");
        throw new IllegalStateException("bench/ode_scipy.py not found above " + Path.of("").toAbsolutePath());
    }

    /** The committed high-accuracy references (bench/ode_ref.json, made by {@code ode_scipy.py refs}). */
    static Map<String, Object> references() throws IOException {
        return Json.obj(Json.parse(Files.readString(BENCH.resolve("ode_ref.json"))), "problems");
    }

    /** scipy run side by side now: {@code ode_scipy.py compare 1e-6} (cached for the JVM). */
    static synchronized Map<String, Object> compareAt1e6() throws Exception {
        if (compare6 == null) compare6 = Json.obj(Json.parse(run("compare", "1e-6")), "problems");
        return compare6;
    }

    static String run(String... args) throws Exception {
        Path py = Path.of("/usr/bin/python3");
        if (!Files.isExecutable(py))
            throw new AssertionError("these checks run scipy side by side and need Debian's /usr/bin/python3 with python3-scipy: run ./reprolab setup");
        String[] cmd = new String[args.length + 2];
        cmd[0] = py.toString();
        cmd[1] = BENCH.resolve("ode_scipy.py").toString();
        System.arraycopy(args, 0, cmd, 2, args.length);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(false).start();
        byte[] out = p.getInputStream().readAllBytes();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(120, TimeUnit.SECONDS)) throw new AssertionError("ode_scipy.py timed out");
        if (p.exitValue() == 3)
            throw new AssertionError("scipy is missing for /usr/bin/python3 (" + err.strip() + "); install it with ./reprolab setup (Debian python3-scipy)");
        if (p.exitValue() != 0) throw new AssertionError("ode_scipy.py " + String.join(" ", args) + " failed: " + err);
        return new String(out, StandardCharsets.UTF_8);
    }
}
