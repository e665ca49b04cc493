package org.reprolab.ode.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblems;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.Solvers;

/**
 * Lotka–Volterra and Van der Pol (μ = 1) at rtol 1e-6, atol 1e-9: our DOPRI5 with scipy's controller (the same
 * steps as scipy's RK45) and Tsit5 with PI(0.4, 0.3), against scipy's {@code solve_ivp(method="RK45")} wall time
 * measured in the same run ({@code bench/ode_scipy.py bench}). Usage: {@code OdeBench [repoRoot] [seconds]}.
 */
public final class OdeBench {
    private OdeBench() {}

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 2;
        String scipy = scipyTimes(root);
        System.out.printf(Locale.ROOT, "%-15s %-22s %8s %12s %12s %10s%n", "problem", "method", "nfev", "ours (us)", "scipy (us)", "speed-up");
        for (OdeProblems.Problem p : new OdeProblems.Problem[]{OdeProblems.lotkaVolterra(), OdeProblems.vanDerPol(1)}) {
            double scipyMs = field(scipy, p.name(), "ms");
            long scipyNfev = (long) field(scipy, p.name(), "nfev");
            for (Object[] c : new Object[][]{{Solvers.dopri5(), Controllers.scipy(1e-6, 1e-9), "DOPRI5 + scipy ctl"},
                    {Solvers.tsit5(), Controllers.pid(1e-6, 1e-9, 0.4, 0.3), "Tsit5 + PI(0.4,0.3)"}}) {
                Solver m = (Solver) c[0];
                StepController o = (StepController) c[1];
                double us = medianMicros(p, m, o, seconds);
                Solution<double[]> s = Ode.solve(p.problem(), m, o);
                System.out.printf(Locale.ROOT, "%-15s %-22s %8d %12.1f %12.1f %9.0fx%n", p.name(), c[2], s.stats().nfev(), us,
                        1e3 * scipyMs, 1e3 * scipyMs / us);
            }
            System.out.printf(Locale.ROOT, "%-15s %-22s %8d %12s %12.1f%n", p.name(), "scipy RK45", scipyNfev, "", 1e3 * scipyMs);
        }
    }

    /** Median over rounds of the mean time per solve, after a warm-up of the same length (JIT). */
    static double medianMicros(OdeProblems.Problem p, Solver m, StepController o, double seconds) {
        double sink = 0;
        long end = System.nanoTime() + (long) (seconds * 1e9);
        while (System.nanoTime() < end) sink += Ode.solve(p.problem(), m, o).yEnd()[0];
        double[] rounds = new double[15];
        for (int r = 0; r < rounds.length; r++) {
            int reps = 0;
            long t0 = System.nanoTime(), stop = t0 + (long) (seconds * 1e9 / rounds.length);
            long now;
            do {
                sink += Ode.solve(p.problem(), m, o).yEnd()[0];
                reps++;
            } while ((now = System.nanoTime()) < stop);
            rounds[r] = (now - t0) / 1e3 / reps;
        }
        if (sink == 42) System.out.print("");
        Arrays.sort(rounds);
        return rounds[rounds.length / 2];
    }

    static String scipyTimes(Path root) throws Exception {
        Process pr = new ProcessBuilder("/usr/bin/python3", root.resolve("bench/ode_scipy.py").toString(), "bench", "21")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (pr.waitFor() != 0) throw new IllegalStateException("scipy benchmark failed (python3-scipy installed? ./reprolab setup)");
        return out;
    }

    static double field(String json, String problem, String key) {
        int at = json.indexOf("\"" + problem + "\"");
        Matcher m = Pattern.compile("\"" + key + "\":\\s*([-+0-9.eE]+)").matcher(json);
        if (at < 0 || !m.find(at)) throw new IllegalStateException("no " + problem + "." + key + " in " + json);
        return Double.parseDouble(m.group(1));
    }
}
