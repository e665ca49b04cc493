package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adaBelief;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.adan;
import static org.reprolab.optim.Optimizers.diffGrad;
import static org.reprolab.optim.Optimizers.lion;
import static org.reprolab.optim.Optimizers.sgd;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Transform;
import org.reprolab.problems.Objective;
import org.reprolab.problems.Problems;
import org.reprolab.tensor.Tensor;
import smile.data.DataFrame;

class OptimizeLabTest {

    /** The notebook's hand-written loop: exact gradient in, one optimizer step, read x back. */
    private static List<double[]> handLoop(Objective f, double[] x0, Transform chain, int steps) {
        var path = new ArrayList<double[]>();
        var x = Tensor.of(x0.clone());
        path.add(x0.clone());
        try (var opt = Optimizer.of(Map.of("x", x), chain)) {
            for (int t = 0; t < steps; t++) {
                x.setGrad(Tensor.of(f.gradient(x.toDoubleArray())));
                opt.step();
                path.add(x.toDoubleArray());
            }
        }
        return path;
    }

    private static OptimizeExperiment rosenbrock() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).progress(Progress.none());
    }

    @Test
    void adamOnRosenbrockEqualsTheHandWrittenLoopBitForBit() {
        var f = Problems.rosenbrock();
        var path = handLoop(f, new double[] {-1.5, 2.0}, adam(1e-2), 300);
        Run run = rosenbrock().compare(adam(1e-2)).steps(300).run().runs().getFirst();
        assertEquals(Run.Status.COMPLETE, run.status());
        assertEquals(300, run.units());
        double[] loss = run.history("loss"), x0 = run.history("x0"), x1 = run.history("x1");
        assertEquals(301, loss.length);
        for (int t = 0; t <= 300; t++) {
            assertEquals(f.value(path.get(t)), loss[t], 0.0, "loss at step " + t);
            assertEquals(path.get(t)[0], x0[t], 0.0);
            assertEquals(path.get(t)[1], x1[t], 0.0);
        }
        double[] last = path.getLast();
        assertEquals(Math.hypot(last[0] - 1, last[1] - 1), run.scalars().get("distance"), 0.0);
    }

    @Test
    void namesComeFromTheFactoryAndTheHyperParametersThatDifferFromItsDefaults() {
        var runs = rosenbrock().compare(adam(1e-2), adan(1e-2), adaBelief(1e-2), lion(1e-3), diffGrad(1e-2), sgd(1e-3, 0.9),
                adam(0.1).with("beta1", 0.95)).steps(2).run();
        assertEquals(List.of("Adam(lr=0.01)", "Adan(lr=0.01)", "AdaBelief(lr=0.01)", "Lion(lr=0.001)", "diffGrad(lr=0.01)",
                "SGD(lr=0.001, momentum=0.9)", "Adam(lr=0.1, beta1=0.95)"), runs.methods());
        var renamed = rosenbrock().compare(adam(1e-2)).compare(lion(1e-3), sgd(1e-3)).as("Lion", "plain SGD").steps(2).run();
        assertEquals(List.of("Adam(lr=0.01)", "Lion", "plain SGD"), renamed.methods());
        var e = assertThrows(IllegalArgumentException.class, () -> rosenbrock().compare(adam(1e-2), lion(1e-3)).as("only one"));
        assertTrue(e.getMessage().contains("1 names for the 2 methods"), e.getMessage());
    }

    @Test
    void seedsGiveTheMeanAndTheStudentTIntervalOfTheFinalLoss() {
        var runs = rosenbrock().compare(adam(1e-2)).noise(2.0).seeds(3).steps(50).run();
        assertEquals(3, runs.runs().size());
        double[] finals = runs.runs().stream().mapToDouble(r -> r.history("loss")[50]).toArray();
        assertTrue(finals[0] != finals[1] && finals[1] != finals[2], "noise must differ between seeds");
        double mean = (finals[0] + finals[1] + finals[2]) / 3;
        double var = 0;
        for (double v : finals) var += (v - mean) * (v - mean) / 2;
        double half = 4.302652729911275 * Math.sqrt(var) / Math.sqrt(3); // t(0.975, 2)
        Estimate e = runs.rows().getFirst().last("loss");
        assertEquals(mean, e.mean(), 1e-12 * Math.abs(mean));
        assertEquals(half, e.halfWidth(), 1e-9 * half);
        assertEquals(3, e.n());
        DataFrame table = runs.table();
        assertEquals(1, table.nrow());
        assertEquals(half, table.getDouble(0, table.schema().indexOf("loss_ci95")), 1e-9 * half);
        assertEquals(e, runs.at("Adam(lr=0.01)", 50));
        // the same seeds again: the same numbers
        assertTrue(sameResults(runs, rosenbrock().compare(adam(1e-2)).noise(2.0).seeds(3).steps(50).run()));
    }

    @Test
    void aSweepIsAGridOverNamedHyperParametersOfEveryMethod() {
        var runs = rosenbrock().compare(adam(1e-2)).sweep("lr", 1e-3, 1e-2).sweep("beta1", 0.8, 0.9).steps(20).run();
        assertEquals(4, runs.rows().size());
        assertEquals(List.of("lr", "beta1"), runs.swept());
        assertEquals("Adam", runs.methods().getFirst(), "the swept lr leaves the name");
        var f = Problems.rosenbrock();
        int i = 0;
        for (double lr : new double[] {1e-3, 1e-2}) {
            for (double b1 : new double[] {0.8, 0.9}) {
                Run run = runs.runs().get(i++);
                assertEquals(Map.of("lr", lr, "beta1", b1), run.point());
                var path = handLoop(f, new double[] {-1.5, 2.0}, adam(lr).with("beta1", b1), 20);
                assertEquals(f.value(path.getLast()), run.history("loss")[20], 0.0, run.label());
            }
        }
        assertEquals(runs.runs().get(3).history("loss")[20], runs.at("Adam lr=0.01, beta1=0.9", 20).mean(), 0.0);
        var err = assertThrows(IllegalArgumentException.class, () -> rosenbrock().compare(adam(1e-2), lion(1e-3)).sweep("beta3", 0.5).run());
        assertTrue(err.getMessage().contains("beta3") && err.getMessage().contains("Adam"), err.getMessage());
    }

    @Test
    void badInputIsRefusedNamingTheProblem() {
        var e1 = assertThrows(IllegalArgumentException.class, () -> rosenbrock().steps(0));
        assertTrue(e1.getMessage().contains("steps must be > 0, got 0"), e1.getMessage());
        var e2 = assertThrows(IllegalArgumentException.class, () -> Lab.optimize(Problems.rosenbrock()).from(1, 2, 3));
        assertTrue(e2.getMessage().contains("3 coordinates but rosenbrock takes 2"), e2.getMessage());
        @SuppressWarnings({"rawtypes", "unchecked"})
        Experiment raw = rosenbrock();
        var e3 = assertThrows(IllegalArgumentException.class, () -> raw.compare(new Object[] {"UniPC sampler"}));
        assertTrue(e3.getMessage().contains("is not an optimizer"), e3.getMessage());
        var e4 = assertThrows(IllegalStateException.class, () -> Lab.optimize(Problems.beale()).compare(adam(1e-2)).progress(Progress.none()).run());
        assertTrue(e4.getMessage().contains("from(...)"), e4.getMessage());
        var e5 = assertThrows(IllegalArgumentException.class, () -> rosenbrock().seeds(0));
        assertTrue(e5.getMessage().contains("seeds must be >= 1"), e5.getMessage());
    }

    @Test
    void aDivergingMethodBecomesARowMarkedDivergedAndTheOthersComplete() {
        var f = Problems.rosenbrock();
        // hand: plain SGD with lr 0.01 from (-1.5, 2) blows up; find the first step whose loss is not finite
        var path = new ArrayList<double[]>();
        double[] x = {-1.5, 2.0};
        int k = 0;
        for (int t = 1; t <= 100; t++) {
            double[] g = f.gradient(x);
            x = new double[] {x[0] - 0.01 * g[0], x[1] - 0.01 * g[1]};
            if (!Double.isFinite(x[0]) || !Double.isFinite(x[1]) || !Double.isFinite(f.value(x))) {
                k = t;
                break;
            }
            path.add(x);
        }
        assertTrue(k > 0, "the hand loop must diverge");
        var runs = rosenbrock().compare(sgd(1e-2), adam(1e-2)).steps(100).run();
        Row bad = runs.rows().get(0), good = runs.rows().get(1);
        assertEquals("diverged at step " + k, bad.status());
        assertEquals(k, runs.runs().getFirst().history("loss").length, "steps 0 .. k-1 are kept");
        assertTrue(Double.isNaN(bad.last("loss").mean()));
        assertEquals("ok", good.status());
        assertEquals(100, runs.runs().get(1).units());
        assertEquals("Adam(lr=0.01)", runs.best("loss").method());
    }

    @Test
    void saveAndLoadRoundTripExactly(@TempDir Path dir) throws Exception {
        var runs = rosenbrock().compare(adam(1e-2), sgd(1e-2)).sweep("lr", 1e-3, 0.1 + 0.2).noise(0.3).seeds(2).steps(30).run();
        Path file = runs.save(dir.resolve("runs.json"));
        Runs back = Runs.load(file);
        assertEquals(runs, back);
        assertEquals(runs.toString(), back.toString());
        assertEquals(0.1 + 0.2, (Double) back.runs().get(2).point().get("lr"), 0.0);
        var err = assertThrows(IllegalArgumentException.class, () -> Runs.load(java.nio.file.Files.writeString(dir.resolve("x.json"), "{\"format\":\"other\"}")));
        assertTrue(err.getMessage().contains("not a Lab runs file"));
    }

    @Test
    void parallelRunsEqualSerialRunsBitForBit() {
        var serial = rosenbrock().compare(adam(1e-2), adan(1e-2), lion(1e-3)).noise(0.5).seeds(2).steps(200).parallel(1).run();
        var parallel = rosenbrock().compare(adam(1e-2), adan(1e-2), lion(1e-3)).noise(0.5).seeds(2).steps(200).parallel(4).run();
        assertTrue(sameResults(serial, parallel));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(ints = {1, 2})
    void anInterruptStopsWithinASecondAndReturnsTheFinishedRunsMarkedPartial(int parallel) throws Exception {
        var result = new AtomicReference<Runs>();
        var progress = new Recording();
        Thread worker = new Thread(() -> result.set(rosenbrock().compare(adam(1e-3), adam(1e-4)).steps(100_000_000).parallel(parallel).progress(progress).run()));
        worker.start();
        Thread.sleep(600);
        long t0 = System.nanoTime();
        worker.interrupt();
        worker.join(5000);
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertFalse(worker.isAlive());
        assertTrue(seconds < 1.0, "stopped in " + seconds + " s");
        Runs runs = result.get();
        assertNotNull(runs);
        assertTrue(runs.partial());
        assertTrue(runs.headline().contains("partial"));
        Run first = runs.runs().getFirst();
        assertEquals(Run.Status.INTERRUPTED, first.status());
        assertTrue(first.units() > 0 && first.units() < 100_000_000);
        assertEquals(first.units() + 1, first.history("loss").length);
        assertTrue(progress.finished);
    }

    @Test
    void progressIsReportedAtMostFourTimesASecondAndEndsWithEverythingDone() {
        var progress = new Recording();
        long t0 = System.nanoTime();
        var runs = rosenbrock().compare(adam(1e-2), lion(1e-3)).steps(20_000).progress(progress).run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        assertTrue(progress.events.size() <= seconds * 4 + 2, progress.events.size() + " updates in " + seconds + " s");
        Progress.Event last = progress.events.getLast();
        assertEquals(2, last.done());
        assertEquals(2, last.total());
        assertTrue(progress.finished);
        assertTrue(last.line().startsWith("[####################] 2/2"), last.line());
        assertEquals(2, runs.runs().size());
    }

    @Test
    void viewsTableAtBestHistoryPlotsAndText() {
        var runs = rosenbrock().compare(adam(1e-2), lion(1e-3)).steps(100).run();
        DataFrame t = runs.table();
        assertEquals(2, t.nrow());
        assertEquals("Adam(lr=0.01)", t.getString(0, t.schema().indexOf("method")));
        assertEquals(runs.runs().get(0).history("loss")[100], t.getDouble(0, t.schema().indexOf("loss")), 0.0);
        double[] h = runs.runs().get(1).history("loss");
        assertEquals(java.util.Arrays.stream(h).min().orElseThrow(), t.getDouble(1, t.schema().indexOf("best_loss")), 0.0);
        assertEquals(h[40], runs.at("Lion(lr=0.001)", 40).mean(), 0.0);
        assertArrayEquals(h, runs.history("Lion(lr=0.001)", "loss"), 0.0);
        assertThrows(IllegalArgumentException.class, () -> runs.at("Lion(lr=0.001)", 101));
        assertThrows(IllegalArgumentException.class, () -> runs.at("Nadam", 1));
        String text = runs.toString();
        assertTrue(text.contains("Adam(lr=0.01)") && text.contains("best_loss"), text);
        var curves = (org.knowm.xchart.XYChart) runs.plot().chart();
        assertNotNull(curves.getSeries("Adam(lr=0.01)"));
        assertNotNull(curves.getSeries("Lion(lr=0.001)"));
        assertNotNull(((org.knowm.xchart.XYChart) runs.plot("x0", "x1").chart()).getSeries("Lion(lr=0.001)"));
        assertNotNull(runs.trajectories().chart());
    }

    @Test
    void theJvmDeviceNamedExplicitlyGivesTheSameRunsAndAnUnknownDeviceIsRefused() {
        var byDefault = rosenbrock().compare(adam(1e-2)).steps(50).run();
        var jvm = rosenbrock().compare(adam(1e-2)).steps(50).device("jvm").run();
        assertTrue(sameResults(byDefault, jvm));
        assertThrows(RuntimeException.class, () -> rosenbrock().device("no-such-device"));
    }

    @Test
    void tensorLossesAndTheOtherProblemsRun() {
        var bowl = Problems.of("bowl", 2, x -> x.mul(x).sum());
        var runs = Lab.optimize(bowl).from(1, -2).compare(adam(0.1)).steps(5).progress(Progress.none()).run();
        // by hand: Adam's first step moves each coordinate by lr against the gradient's sign
        assertEquals(0.9, runs.runs().getFirst().history("x0")[1], 1e-9);
        assertEquals(-1.9, runs.runs().getFirst().history("x1")[1], 1e-9);
        assertEquals(0.5 * (1 + 10 * 4), Problems.quadratic(10).value(new double[] {1, 2}), 0.0);
        assertEquals(0, Problems.rastrigin().value(new double[] {0, 0}), 0.0);
        assertEquals(1, Lab.optimize(Problems.diffGradF1()).from(-1).compare(diffGrad(0.1)).steps(10).progress(Progress.none()).run().runs().size());
    }

    static boolean sameResults(Runs a, Runs b) {
        if (a.runs().size() != b.runs().size()) return false;
        for (int i = 0; i < a.runs().size(); i++) if (!a.runs().get(i).sameResult(b.runs().get(i))) return false;
        return true;
    }

    static final class Recording implements Progress {
        final List<Event> events = new java.util.concurrent.CopyOnWriteArrayList<>();
        volatile boolean finished;

        @Override
        public void update(Event event) {
            events.add(event);
        }

        @Override
        public void finish(Runs runs) {
            finished = true;
        }
    }
}
