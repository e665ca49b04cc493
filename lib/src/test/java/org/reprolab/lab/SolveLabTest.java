package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblems;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.sde.SdeProblem;
import org.reprolab.ode.sde.SdeSystem;
import org.reprolab.ode.sde.VirtualBrownianTree;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.optim.Optimizers;
import org.reprolab.random.RngKey;

class SolveLabTest {
    static final double[] RTOL = {1e-3, 1e-6, 1e-9};

    /** The work-precision notebook's error: max |y - ref| / max |ref|. */
    static double relative(double[] y, double[] ref) {
        return IntStream.range(0, y.length).mapToDouble(i -> Math.abs(y[i] - ref[i])).max().orElseThrow()
                / Arrays.stream(ref).map(Math::abs).max().orElseThrow();
    }

    @Test
    void eachToleranceIsADirectSolveAndTheReferenceIsTheNamedSolversSolve() {
        var lv = OdeProblems.lotkaVolterra();
        var runs = Lab.solve(lv).compare(SolveMethod.of(Solvers.dopri5(), Controllers::scipy), Solvers.tsit5()).as("DOPRI5", "Tsit5")
                .tolerances(RTOL).reference(Solvers.dop853(), Controllers.pid(1e-13, 1e-15)).repeats(1).progress(Progress.none()).run();
        double[] ref = Ode.solve(lv.problem(), Solvers.dop853(), Controllers.pid(1e-13, 1e-15)).yEnd();
        Solution<double[]> direct = Ode.solve(lv.problem(), Solvers.dopri5(), Controllers.scipy(1e-6, 1e-9));
        assertEquals(relative(direct.yEnd(), ref), runs.at("DOPRI5", 2, "error").mean(), 0.0);
        assertEquals(direct.stats().nfev(), runs.at("DOPRI5", 2, "nfe").mean(), 0.0);
        assertEquals(direct.stats().naccept(), runs.at("DOPRI5", 2, "accepted").mean(), 0.0);
        assertEquals(direct.stats().nreject(), runs.at("DOPRI5", 2, "rejected").mean(), 0.0);
        assertEquals(1e-9, runs.at("DOPRI5", 2, "atol").mean(), 0.0, "atol = rtol * 1e-3");
        Solution<double[]> tsit = Ode.solve(lv.problem(), Solvers.tsit5(), Controllers.pid(1e-9, 1e-12));
        assertEquals(relative(tsit.yEnd(), ref), runs.at("Tsit5", 3, "error").mean(), 0.0, "bare solvers run under Controllers.pid");
        // the work-precision shape: tighter tolerance, more work, smaller error
        double[] nfe = runs.history("Tsit5", "nfe"), err = runs.history("Tsit5", "error");
        assertTrue(nfe[0] < nfe[1] && nfe[1] < nfe[2] && err[0] > 100 * err[2]);
        assertEquals(List.of("error", "nfe", "time_ms"), runs.metrics().stream().map(Metric::name).toList());
        assertEquals(runs.best("error").label(), err[2] < runs.history("DOPRI5", "error")[2] ? "Tsit5" : "DOPRI5");
    }

    @Test
    void closedFormReferenceAndCustomErrorMeasure() {
        var decay = OdeProblems.expDecay();   // y' = -y/2 from (2, 4, 8) on [0, 10]
        double[] exact = {2 * Math.exp(-5), 4 * Math.exp(-5), 8 * Math.exp(-5)};
        var runs = Lab.solve(decay).compare(Solvers.bs3()).tolerances(new double[] {1e-4}, new double[] {1e-10})
                .reference(p -> exact.clone()).error((y, ref) -> Math.abs(y[0] - ref[0])).repeats(2).progress(Progress.none()).run();
        double[] y = Ode.solve(decay.problem(), Solvers.bs3(), Controllers.pid(1e-4, 1e-10)).yEnd();
        assertEquals(Math.abs(y[0] - exact[0]), runs.at("BS3", 1, "error").mean(), 0.0);
        assertTrue(runs.at("BS3", 1, "time_ms").mean() > 0);
    }

    @Test
    void peersReportTheirOwnWorkAndShareTheReferenceAndTheTable() {
        var lv = OdeProblems.lotkaVolterra();
        double[] ref = Ode.solve(lv.problem(), Solvers.dop853(), Controllers.pid(1e-13, 1e-15)).yEnd();
        List<List<Double>> asked = new ArrayList<>();
        // a Java peer: our DOPRI5 under scipy's controller, reported with made-up timings
        var peer = SolveMethod.peer("mirror", (p, budgets) -> {
            List<SolveMethod.Outcome> out = new ArrayList<>();
            for (StepController c : budgets) {
                asked.add(List.of(c.rtol(), c.atol()));
                var s = Ode.solve(p, Solvers.dopri5(), Controllers.scipy(c.rtol(), c.atol()));
                out.add(new SolveMethod.Outcome(s.yEnd(), s.stats().nfev(), 0.25, s.stats().naccept(), s.stats().nreject()));
            }
            return out;
        });
        // an external process speaking the line protocol: "nfe millis y..." per input line
        var process = SolveMethod.process("constant", "/bin/sh", "-c", "while read r a; do echo note; echo 7 0.5 1 2; done");
        var runs = Lab.solve(lv).compare(SolveMethod.of(Solvers.dopri5(), Controllers::scipy), peer, process).tolerances(RTOL)
                .reference(ref).repeats(1).progress(Progress.none()).run();
        assertEquals(List.of("DOPRI5 (I control)", "mirror", "constant"), runs.methods());
        assertEquals(List.of(List.of(1e-3, 1e-6), List.of(1e-6, 1e-9), List.of(1e-9, 1e-9 * 1e-3)), asked, "atol = rtol * 1e-3");
        for (int k = 1; k <= 3; k++) {
            assertEquals(runs.at("DOPRI5 (I control)", k, "error").mean(), runs.at("mirror", k, "error").mean(), 0.0);
            assertEquals(runs.at("DOPRI5 (I control)", k, "nfe").mean(), runs.at("mirror", k, "nfe").mean(), 0.0);
            assertEquals(0.25, runs.at("mirror", k, "time_ms").mean(), 0.0);
            assertEquals(7, runs.at("constant", k, "nfe").mean(), 0.0);
            assertEquals(relative(new double[] {1, 2}, ref), runs.at("constant", k, "error").mean(), 0.0);
            assertEquals(-1, runs.at("constant", k, "accepted").mean(), 0.0, "not reported");
        }
        assertEquals(3, runs.table().nrow());
        var failing = SolveMethod.process("broken", "/bin/sh", "-c", "echo oops; exit 2");
        var e = assertThrows(Exception.class, () -> Lab.solve(lv).compare(failing).tolerances(1e-3).reference(ref).progress(Progress.none()).run());
        assertTrue(String.valueOf(e.getMessage()).contains("broken") || String.valueOf(e.getCause()).contains("broken"), String.valueOf(e));
    }

    /** Geometric Brownian motion dX = mu X dt + s X dW, X(1) = X0 exp((mu - s^2/2) + s W(1)). */
    static SdeProblem gbm(RngKey key) {
        SdeSystem sys = new SdeSystem() {
            public void drift(double t, double[] y, double[] out) { for (int i = 0; i < y.length; i++) out[i] = 0.5 * y[i]; }
            public void diffusion(double t, double[] y, double[] out) { for (int i = 0; i < y.length; i++) out[i] = 0.8 * y[i]; }
            public void diffusionDerivative(double t, double[] y, double[] out) { java.util.Arrays.fill(out, 0.8); }
        };
        return SdeProblem.of(sys, 0, 1, new double[] {1, 1, 1, 1}, new VirtualBrownianTree(key, 0, 1, 4, 1e-6));
    }

    static double[] gbmExact(SdeProblem p) {
        double[] w = new double[4];
        p.brownian().value(1, w);
        double[] x = new double[4];
        for (int i = 0; i < 4; i++) x[i] = Math.exp(0.5 - 0.32 + 0.8 * w[i]);
        return x;
    }

    @Test
    void seedsDrawTheirOwnBrownianPathAndTheClosedFormFollowsIt() {
        var runs = Lab.solve("gbm", SolveLabTest::gbm).compare(Solvers.eulerMaruyama(), Solvers.milstein()).stepSizes(1.0 / 16, 1.0 / 256)
                .reference(p -> gbmExact((SdeProblem) p)).seeds(3).seed(7).repeats(1).progress(Progress.none()).run();
        RngKey first = RngKey.of(7).split(3).getFirst();
        var p = gbm(first);
        double[] y = Ode.solve(p, Solvers.milstein(), Controllers.constant(1.0 / 256)).yEnd();
        Run milsteinSeed0 = runs.runs().stream().filter(r -> r.method().equals("Milstein") && r.seed() == 0).findFirst().orElseThrow();
        assertEquals(relative(y, gbmExact(p)), milsteinSeed0.history("error")[1], 0.0);
        assertArrayEquals(new double[] {1.0 / 16, 1.0 / 256}, milsteinSeed0.history("h"));
        Run milsteinSeed1 = runs.runs().stream().filter(r -> r.method().equals("Milstein") && r.seed() == 1).findFirst().orElseThrow();
        assertNotEquals(milsteinSeed0.history("error")[1], milsteinSeed1.history("error")[1], "seeds solve different paths");
        // strong order: Milstein 1, Euler-Maruyama 1/2, so Milstein is the more accurate at h = 1/256
        assertTrue(runs.at("Milstein", 2, "error").mean() < runs.at("Euler-Maruyama", 2, "error").mean());
        assertEquals(3, runs.at("Milstein", 2, "error").n());
    }

    @Test
    void badInputIsNamed() {
        var lv = OdeProblems.lotkaVolterra();
        var e = assertThrows(IllegalArgumentException.class, () -> Lab.solve(lv).compare(Optimizers.adam(1e-2)));
        assertTrue(e.getMessage().contains("is not a solver"), e.getMessage());
        var noRef = assertThrows(IllegalStateException.class, () -> Lab.solve(lv).compare(Solvers.tsit5()).tolerances(1e-3).progress(Progress.none()).run());
        assertTrue(noRef.getMessage().contains("reference"), noRef.getMessage());
        var noBudget = assertThrows(IllegalStateException.class, () -> Lab.solve(lv).compare(Solvers.tsit5()).reference(1, 2).progress(Progress.none()).run());
        assertTrue(noBudget.getMessage().contains("tolerances(...)"), noBudget.getMessage());
        var badTol = assertThrows(IllegalArgumentException.class, () -> Lab.solve(lv).tolerances(1e-3, -1));
        assertTrue(badTol.getMessage().contains("tolerance 2"), badTol.getMessage());
        var sweep = assertThrows(IllegalArgumentException.class,
                () -> Lab.solve(lv).compare(Solvers.tsit5()).tolerances(1e-3).reference(1, 2).sweep("lr", 1).progress(Progress.none()).run());
        assertTrue(sweep.getMessage().contains("Tsit5") && sweep.getMessage().contains("no hyper-parameters"), sweep.getMessage());
        var dims = assertThrows(IllegalArgumentException.class,
                () -> Lab.solve(lv).compare(Solvers.tsit5()).tolerances(1e-3).reference(1, 2, 3).progress(Progress.none()).run());
        assertTrue(dims.getMessage().contains("2 components") && dims.getMessage().contains("has 3"), dims.getMessage());
    }

    @Test
    void theGuidesExampleRuns() {
        var runs = Lab.solve(OdeProblems.lotkaVolterra())
                      .compare(Solvers.tsit5(), Solvers.dop853())
                      .compare(SolveMethod.of(Solvers.dopri5(), Controllers::scipy)).as("DOPRI5 (scipy control)")
                      .tolerances(1e-3, 1e-6, 1e-9)
                      .reference(Solvers.dop853(), Controllers.pid(1e-13, 1e-15))
                      .progress(Progress.none()).run();
        assertEquals(List.of("Tsit5", "DOP853", "DOPRI5 (scipy control)"), runs.methods());
        assertTrue(runs.at("Tsit5", 2, "nfe").mean() < runs.at("Tsit5", 3, "nfe").mean());
        assertTrue(runs.plot("nfe", "error").toString() != null && runs.plot("time_ms", "error") != null);
    }

    @Test
    void theGuidesSeededSdeExampleMeasuresAStrongErrorThatFallsWithTheStep() {
        SdeSystem ou = SdeSystem.additive(y -> Arrays.stream(y).map(v -> -v).toArray(), 0.5);
        var runs = Lab.solve("Ornstein-Uhlenbeck", key -> SdeProblem.of(ou, 0, 1, new double[] {1, 1, 1, 1}, new VirtualBrownianTree(key, 0, 1, 4, 1e-6)))
                .compare(Solvers.eulerMaruyama()).stepSizes(1.0 / 8, 1.0 / 32, 1.0 / 128)
                .reference(Solvers.eulerMaruyama(), Controllers.constant(1.0 / 4096)).seeds(8).repeats(1).progress(Progress.none()).run();
        double[] err = runs.history("Euler-Maruyama", "error");
        // additive noise: Euler-Maruyama has strong order 1, so 4x smaller steps give about 4x smaller errors
        assertTrue(err[0] > 2.5 * err[1] && err[1] > 2.5 * err[2], Arrays.toString(err));
        assertEquals(8, runs.at("Euler-Maruyama", 3).n());
        assertTrue(runs.at("Euler-Maruyama", 3).halfWidth() > 0, "seeds differ");
    }
}
