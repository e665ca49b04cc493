package org.reprolab.ode.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblems;
import org.reprolab.ode.Solution;
import org.reprolab.ode.SolverStats;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.Solvers;

/**
 * The stiff solvers against scipy (issue 13): Van der Pol μ = 1000 and Robertson at rtol 1e-3, 1e-6, 1e-9
 * (atol = rtol·1e-3), Rodas4 and Radau5 (ours, analytic Jacobian) against scipy's Radau and BDF run in the same
 * run ({@code bench/ode_scipy.py stiffbench}: tight references and work-precision sweeps of both scipy methods
 * at half-decade rtol steps). Prints a markdown table: error against the reference, nfev, njev, nlu, wall time,
 * and for ours the cost ratio (evaluations nfev + njev, an analytic Jacobian counted as one evaluation) to the
 * cheaper scipy method at the same rtol and at equal error (the scipy cost interpolated log-log on its sweep at
 * our error; methods that never reach it are left out).
 * Usage: {@code StiffBench [repoRoot] [seconds per case] [saved stiffbench output]}.
 */
public final class StiffBench {
    private StiffBench() {}

    /** One scipy run of the sweep. */
    record Run(double rtol, long nfev, long njev, long nlu, double err, double ms) {
        long cost() { return nfev + njev; }
    }

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args.length > 0 ? args[0] : ".").toAbsolutePath();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 1;
        List<String> lines = args.length > 2 ? Files.readAllLines(Path.of(args[2])) : scipyLines(root);
        Map<String, double[]> refs = new HashMap<>();
        Map<String, List<Run>> sweeps = new HashMap<>();
        for (String line : lines) {
            String[] w = line.trim().split("\\s+");
            switch (w[0]) {
                case "ref" -> {
                    double[] r = new double[w.length - 2];
                    for (int i = 0; i < r.length; i++) r[i] = Double.parseDouble(w[i + 2]);
                    refs.put(w[1], r);
                }
                case "run" -> sweeps.computeIfAbsent(w[1] + " " + w[2], k -> new ArrayList<>()).add(new Run(
                        Double.parseDouble(w[3]), Long.parseLong(w[4]), Long.parseLong(w[5]), Long.parseLong(w[6]),
                        Double.parseDouble(w[7]), Double.parseDouble(w[8])));
                default -> { }
            }
        }
        System.out.println("| problem | rtol | method | error | nfev | njev | nlu | wall (ms) | cost / cheaper scipy, same rtol | cost / cheaper scipy, equal error |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        for (OdeProblems.Problem p : new OdeProblems.Problem[]{OdeProblems.vanDerPol(1000), OdeProblems.robertson()}) {
            double[] ref = refs.get(p.name());
            List<Run> radau = sweeps.getOrDefault(p.name() + " Radau", List.of()), bdf = sweeps.getOrDefault(p.name() + " BDF", List.of());
            for (double rtol : new double[]{1e-3, 1e-6, 1e-9}) {
                Run sr = at(radau, rtol), sb = at(bdf, rtol);
                double cheaperSame = Math.min(sr == null ? Double.POSITIVE_INFINITY : sr.cost(), sb == null ? Double.POSITIVE_INFINITY : sb.cost());
                for (Solver m : new Solver[]{Solvers.rodas4(), Solvers.radau5()}) {
                    StepController c = Controllers.pid(rtol, rtol * 1e-3);
                    Solution<double[]> s = Ode.solve(p.problem(), m, c);
                    SolverStats st = s.stats();
                    double cost = st.nfev() + st.njev();
                    double err = OdeProblems.relativeError(s.yEnd(), ref), ms = OdeBench.medianMicros(p, m, c, seconds) / 1e3;
                    double equal = Math.min(costAt(radau, err), costAt(bdf, err));
                    // beyond both sweeps: scipy would need more than its most accurate run, so the ratio is below this
                    double bound = Math.min(mostAccurate(radau).cost(), mostAccurate(bdf).cost());
                    System.out.printf(Locale.ROOT, "| %s | %.0e | %s | %.2e | %d | %d | %d | %.1f | %.2f | %s |%n", p.name(), rtol, m.name(), err,
                            st.nfev(), st.njev(), st.nlu(), ms, cost / cheaperSame,
                            Double.isInfinite(equal) ? String.format(Locale.ROOT, "< %.2f (beyond scipy's sweep)", cost / bound)
                                    : String.format(Locale.ROOT, "%.2f", cost / equal));
                }
                for (Object[] sc : new Object[][]{{"scipy Radau", sr}, {"scipy BDF", sb}}) {
                    Run r = (Run) sc[1];
                    if (r == null) System.out.printf(Locale.ROOT, "| %s | %.0e | %s | failed | | | | | | |%n", p.name(), rtol, sc[0]);
                    else System.out.printf(Locale.ROOT, "| %s | %.0e | %s | %.2e | %d | %d | %d | %.1f | | |%n", p.name(), rtol, sc[0],
                            r.err(), r.nfev(), r.njev(), r.nlu(), r.ms());
                }
            }
        }
    }

    /** The sweep's run at this rtol, or null if it failed. */
    static Run at(List<Run> sweep, double rtol) {
        for (Run r : sweep) if (Math.abs(r.rtol() / rtol - 1) < 1e-6) return r;
        return null;
    }

    /**
     * The scipy method's cost (nfev + njev) at error {@code err}: log-log interpolation between the first two consecutive runs of
     * the sweep (loosest first) that bracket it; the loosest run if every run is at least as accurate; infinity if
     * none reaches it.
     */
    static double costAt(List<Run> sweep, double err) {
        if (sweep.isEmpty()) return Double.POSITIVE_INFINITY;
        if (sweep.stream().allMatch(r -> r.err() <= err)) return sweep.getFirst().cost();
        for (int i = 0; i + 1 < sweep.size(); i++) {
            Run a = sweep.get(i), b = sweep.get(i + 1);
            if (a.err() >= err && b.err() <= err) {
                double x = Math.log(a.err() / err) / Math.log(a.err() / b.err());
                return Math.exp(Math.log(a.cost()) + x * Math.log((double) b.cost() / a.cost()));
            }
        }
        return Double.POSITIVE_INFINITY;
    }

    static Run mostAccurate(List<Run> sweep) {
        return sweep.stream().min(java.util.Comparator.comparingDouble(Run::err)).orElse(new Run(0, Long.MAX_VALUE / 2, 0, 0, 0, 0));
    }

    static List<String> scipyLines(Path root) throws Exception {
        Process pr = new ProcessBuilder("/usr/bin/python3", root.resolve("bench/ode_scipy.py").toString(), "stiffbench")
                .redirectError(ProcessBuilder.Redirect.INHERIT).start();
        String out = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (pr.waitFor() != 0) throw new IllegalStateException("scipy stiff benchmark failed (python3-scipy installed? ./reprolab setup)");
        return out.lines().toList();
    }
}
