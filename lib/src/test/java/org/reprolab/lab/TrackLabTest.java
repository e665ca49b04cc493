package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.lion;
import static org.reprolab.optim.Optimizers.sgd;

import java.awt.Color;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.problems.Problems;
import org.reprolab.tensor.Tensor;
import smile.stat.distribution.TDistribution;

/** track(...), Lab.optimize on a tensor loss, Runs.rolling and print, and the figures' shared colours and bands. */
class TrackLabTest {

    private static OptimizeExperiment rosenbrock() {
        return Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0).progress(Progress.none());
    }

    @Test
    void trackedNormsAndUpdatesMatchTheRecordedPath() {
        Run run = rosenbrock().compare(adam(1e-2)).steps(50)
                .track("norm", Snapshot::norm).track("inf", s -> s.maxAbs("x")).track("step", s -> s.relativeUpdate("x"))
                .run().runs().getFirst();
        double[] x0 = run.history("x0"), x1 = run.history("x1");
        double[] norm = run.history("norm"), inf = run.history("inf"), step = run.history("step");
        assertEquals(51, norm.length);
        assertEquals(0.0, step[0], 0.0, "no update before the first step");
        for (int t = 0; t <= 50; t++) {
            assertEquals(Math.sqrt(x0[t] * x0[t] + x1[t] * x1[t]), norm[t], 1e-15, "norm at " + t);
            assertEquals(Math.max(Math.abs(x0[t]), Math.abs(x1[t])), inf[t], 0.0, "inf norm at " + t);
            if (t > 0) {
                double moved = Math.hypot(x0[t] - x0[t - 1], x1[t] - x1[t - 1]);
                assertEquals(moved / Math.hypot(x0[t - 1], x1[t - 1]), step[t], 1e-15, "relative update at " + t);
            }
        }
        assertEquals(norm[50], run.scalars().get("norm"), 0.0, "the final value is the table's column");
        assertEquals(Math.hypot(x0[50], x1[50]), new Runs("optimize", "t", "step", 0, java.util.List.of(), java.util.List.of(),
                java.util.List.of(run), false, null).scalar("Adam(lr=0.01)", "norm").mean(), 1e-15);
    }

    @Test
    void trackedGradientIsTheStepsGradientInClosedForm() {
        // L(w) = ||w - c||²/2, SGD lr 0.1: w_t - c = 0.9^t (w_0 - c), and the step to w_t used g = w_{t-1} - c
        double[] w0 = {3, -1, 0.5}, c = {1, 1, 1};
        Run run = Lab.optimize("bowl", seed -> Map.of("w", Tensor.of(w0)), (p, t) -> p.get("w").sub(Tensor.of(c)).square().sum().mul(0.5))
                .compare(sgd(0.1)).steps(20).progress(Progress.none())
                .track("l2", Snapshot::gradientNorm).track("l1", Snapshot::gradientL1).track("g0", s -> s.gradient("w")[0])
                .run().runs().getFirst();
        assertEquals(0.0, run.history("l2")[0], 0.0, "no gradient before the first step");
        double l2 = Math.sqrt(4 + 4 + 0.25), l1 = 2 + 2 + 0.5;
        for (int t = 1; t <= 20; t++) {
            double shrink = Math.pow(0.9, t - 1);
            assertEquals(l2 * shrink, run.history("l2")[t], 1e-12, "l2 at " + t);
            assertEquals(l1 * shrink, run.history("l1")[t], 1e-12, "l1 at " + t);
            assertEquals(2 * shrink, run.history("g0")[t], 1e-12, "g0 at " + t);
        }
        var noGradients = rosenbrock().compare(sgd(1e-3)).steps(2).track("g", Snapshot::gradientNorm);
        assertTrue(assertThrows(IllegalArgumentException.class, noGradients::run).getMessage().contains("does not keep gradients"));
    }

    @Test
    void averagePointIsThePolyakAverageInClosedForm() {
        // L(w) = (w - 1)²/2 from w_0 = 3, SGD lr 0.1: w_t = 1 + 2·0.9^t, so the mean of w_0..w_t is 1 + 2(1 - 0.9^{t+1})/(0.1(t+1))
        Run run = Lab.optimize("bowl", seed -> Map.of("w", Tensor.of(3.0)), (p, t) -> p.get("w").sub(1.0).square().sum().mul(0.5))
                .compare(sgd(0.1)).steps(30).progress(Progress.none()).track("avg", s -> s.averagePoint()[0])
                .run().runs().getFirst();
        for (int t = 0; t <= 30; t++) assertEquals(1 + 2 * (1 - Math.pow(0.9, t + 1)) / (0.1 * (t + 1)), run.history("avg")[t], 1e-12, "t = " + t);
    }

    @Test
    void rateIsTheLogLogSlopeOfAHistory() {
        double[] power = new double[1001], withLog = new double[1001];
        for (int u = 1; u <= 1000; u++) {
            power[u] = 3 / Math.sqrt(u);
            withLog[u] = Math.log(u + 1) / Math.sqrt(u);
        }
        power[0] = withLog[0] = 5;
        Runs runs = new Runs("optimize", "t", "step", 0, java.util.List.of(Metric.lower("loss")), java.util.List.of(),
                java.util.List.of(new Run("sqrt", Map.of(), 0, Run.Status.COMPLETE, 1000, 0, Map.of("loss", power), Map.of()),
                        new Run("log", Map.of(), 0, Run.Status.COMPLETE, 1000, 0, Map.of("loss", withLog), Map.of())), false, null);
        assertEquals(-0.5, runs.rate("sqrt", "loss", 10, 1000), 1e-12);
        // log(t)/sqrt(t) falls more slowly than t^-1/2 over a finite range: d log/d log t = 1/log t - 1/2
        double r = runs.rate("log", "loss", 10, 1000);
        assertTrue(r > -0.5 + 1 / Math.log(1000) && r < -0.5 + 1 / Math.log(10), "rate " + r);
        assertThrows(IllegalArgumentException.class, () -> runs.rate("sqrt", "loss", 0, 100));
        assertThrows(IllegalArgumentException.class, () -> runs.rate("sqrt", "loss", 10, 1001));
    }

    @Test
    void lionWithWeightDecayStaysInItsBoxAsTrackedByMaxAbs() {
        // Chen et al. 2023: |x_{t+1}|inf <= (1 - lr wd)|x_t|inf + lr, so from the origin |x|inf never exceeds 1/wd
        var f = Problems.of("pull", 2, x -> x.sub(Tensor.of(2.5, 0.3)).square().sum().mul(0.5));
        var runs = Lab.optimize(f).from(0, 0).compare(lion(0.05).with("weight_decay", 2.0)).steps(300)
                .track("max_abs", Snapshot::maxAbs).progress(Progress.none()).run();
        double[] h = runs.history("Lion(lr=0.05, weightDecay=2)", "max_abs");
        assertTrue(java.util.Arrays.stream(h).max().getAsDouble() <= 0.5 + 1e-12);
        assertEquals(0.5, h[300], 0.05 + 1e-12, "the active constraint: x0 ends within one step of 1/wd");
    }

    @Test
    void onALogAxisTheZeroUpdateBeforeTheFirstStepIsAGapNotAPlunge() {
        var runs = rosenbrock().compare(adam(1e-2)).as("Adam").steps(20).track("step", s -> s.relativeUpdate("x")).run();
        double[] drawn = runs.plot("step", "step").logY().chart().getSeries("Adam").getYData();
        assertTrue(Double.isNaN(drawn[0]), "step 0 has no update: " + drawn[0]);
        assertEquals(runs.history("Adam", "step")[1], drawn[1], 0.0);
        assertNotNull(runs.plot("step", "step").logY().chart());
    }

    @Test
    void accuracyTicksAreLabelledWithOneDecimalNotSeventeen() {
        // ticks 0.4, 0.5, ...: their difference 0.09999999999999998 once made labels (and the y margin) 17 decimals wide
        double[] xs = {1, 2, 3}, ys = {0.41, 0.9, 0.97};
        var chart = org.reprolab.plot.LinePlot.titled("accuracy").series("A", xs, ys).chart();
        assertEquals("0.4", chart.getStyler().getYAxisTickLabelsFormattingFunction().apply(0.4));
        assertEquals("0.9", chart.getStyler().getYAxisTickLabelsFormattingFunction().apply(0.9000000000000001));
    }

    @Test
    void aTrackNameThatIsAlreadyRecordedIsRejected() {
        var e = assertThrows(IllegalArgumentException.class, () -> rosenbrock().track("loss", Snapshot::norm));
        assertTrue(e.getMessage().contains("already record 'loss'"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class,
                () -> rosenbrock().compare(adam(1e-2)).steps(2).track("w", s -> s.norm("W")).run());
        assertTrue(bad.getMessage().contains("no parameter 'W'") || String.valueOf(bad.getCause()).contains("no parameter 'W'"), bad.toString());
    }

    /** A stochastic least-squares loss of a 3x2 weight, one fresh batch per step. */
    private static Tensor leastSquares(Map<String, Tensor> p, int t) {
        Tensor x = Tensor.randn(100 + t, 8, 3);
        return x.matmul(p.get("W")).sub(x.sum(1, true)).square().mean();
    }

    @Test
    void tensorLossEqualsTheHandWrittenLoopBitForBit() {
        var runs = Lab.optimize("least squares", seed -> Map.of("W", Tensor.randn(7, 3, 2)), TrackLabTest::leastSquares)
                .compare(sgd(0.05, 0.9)).steps(40).track("norm", s -> s.norm("W")).progress(Progress.none()).run();
        Run run = runs.runs().getFirst();
        Map<String, Tensor> p = new LinkedHashMap<>(Map.of("W", Tensor.randn(7, 3, 2).requiresGrad(true)));
        double[] loss = run.history("loss"), norm = run.history("norm");
        try (var opt = Optimizer.of(p, sgd(0.05, 0.9))) {
            for (int t = 0; t < 40; t++) {
                opt.zeroGrad();
                Tensor l = leastSquares(p, t);
                assertEquals(l.item(), loss[t], 0.0, "loss at step " + t);
                double[] w = p.get("W").toDoubleArray();
                assertEquals(Math.sqrt(java.util.Arrays.stream(w).map(v -> v * v).sum()), norm[t], 1e-15);
                l.backward();
                opt.step();
            }
            assertEquals(leastSquares(p, 40).item(), loss[40], 0.0, "the last state, on batch 40");
        }
        assertTrue(loss[40] < loss[0] / 10, "it learns");
        assertEquals("least squares", runs.title());
        assertTrue(run.scalars().get("state_bytes") > 0);
    }

    @Test
    void trainTracksTheWeightsPerEpochFromTheInitialOnes() {
        var runs = Lab.train(seed -> new MLP(new int[] {64, 16, 10}, Activation::relu, seed), Datasets.digits())
                .compare(adam(1e-3)).epochs(2).track("norm", Snapshot::norm).track("moved", Snapshot::update)
                .progress(Progress.none()).run();
        Run run = runs.runs().getFirst();
        double[] norm = run.history("norm"), moved = run.history("moved");
        assertEquals(2, norm.length);
        double initial = new MLP(new int[] {64, 16, 10}, Activation::relu, TrainExperiment.seedOf(org.reprolab.random.RngKey.of(0).split(1).getFirst()))
                .parameters().values().stream().mapToDouble(w -> java.util.Arrays.stream(w.toDoubleArray()).map(v -> v * v).sum()).sum();
        // the triangle inequality, both ways: the first epoch's update moved the weights from the initial norm to norm[0]
        assertTrue(moved[0] >= Math.abs(norm[0] - Math.sqrt(initial)) - 1e-12 && moved[0] > 0, moved[0] + " vs " + norm[0] + ", " + Math.sqrt(initial));
        assertTrue(moved[1] >= Math.abs(norm[1] - norm[0]) - 1e-12);
    }

    @Test
    void rollingIsTheTrailingMeanAndAtOfItIsTheMeanOfTheLastK() {
        var runs = rosenbrock().compare(adam(1e-2)).steps(30).run();
        double[] loss = runs.history("Adam(lr=0.01)", "loss");
        double[] smooth = runs.rolling(4).history("Adam(lr=0.01)", "loss");
        assertEquals(loss[0], smooth[0], 0.0);
        assertEquals((loss[0] + loss[1]) / 2, smooth[1], 1e-15);
        assertEquals((loss[27] + loss[28] + loss[29] + loss[30]) / 4, runs.rolling(4).at("Adam(lr=0.01)", 30).mean(), 1e-12);
        assertThrows(IllegalArgumentException.class, () -> runs.rolling(0));
    }

    @Test
    void printWritesFinalValuesAndScalarsAsLabelledLines() {
        var runs = rosenbrock().compare(adam(1e-2), sgd(1e-3)).as("Adam", "GD").steps(20).run();
        PrintStream old = System.out;
        var buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true));
        try {
            assertEquals(runs, runs.print("loss", "distance"));
        } finally {
            System.setOut(old);
        }
        String[] lines = buffer.toString().split("\n");
        assertEquals(4, lines.length, buffer.toString());
        assertEquals("rosenbrock Adam final loss = " + runs.history("Adam", "loss")[20], lines[0]);
        assertEquals("rosenbrock Adam distance = " + runs.runs().getFirst().scalars().get("distance"), lines[1]);
        assertTrue(lines[2].startsWith("rosenbrock GD final loss = "), lines[2]);
        var e = assertThrows(IllegalArgumentException.class, () -> runs.print("accuracy"));
        assertTrue(e.getMessage().contains("'accuracy'") && e.getMessage().contains("distance"), e.getMessage());
    }

    @Test
    void aMethodKeepsItsColourAcrossTheFiguresOfOneRuns() {
        var runs = rosenbrock().compare(adam(1e-2), sgd(1e-3), lion(1e-3)).as("Adam", "GD", "Lion").steps(20).run();
        XYChart curves = runs.plot().chart(), paths = runs.trajectories().chart(), x0 = runs.plot("step", "x0").chart();
        for (String m : runs.methods()) {
            Color c = curves.getSeries(m).getLineColor();
            assertNotNull(c, m);
            assertEquals(c, paths.getSeries(m).getLineColor(), m + " in the trajectories");
            assertEquals(c, x0.getSeries(m).getLineColor(), m + " in plot(step, x0)");
            assertEquals(c, runs.palette().color(m));
        }
        assertEquals(3, runs.methods().stream().map(m -> curves.getSeries(m).getLineColor()).distinct().count());
    }

    @Test
    void seededRunsAreDrawnAsTheMeanOverTheirNinetyFivePercentInterval() {
        var runs = rosenbrock().compare(adam(1e-2)).as("Adam").noise(5.0).seeds(5).steps(10).run();
        XYChart chart = runs.plot("step", "x0").chart();
        var mean = chart.getSeries("Adam");
        var band = chart.getSeries("Adam interval");
        assertNotNull(band, "no band");
        double t = new TDistribution(4).quantile(0.975);
        for (int step : new int[] {1, 5, 10}) {
            double[] v = runs.runs().stream().mapToDouble(r -> r.history("x0")[step]).toArray();
            double m = java.util.Arrays.stream(v).average().getAsDouble();
            double sd = Math.sqrt(java.util.Arrays.stream(v).map(a -> (a - m) * (a - m)).sum() / 4);
            assertEquals(m, mean.getYData()[step], 1e-12);
            // the band polygon: hi along x, then lo back
            assertEquals(m + t * sd / Math.sqrt(5), band.getYData()[step], 1e-12, "upper bound at " + step);
            assertEquals(m - t * sd / Math.sqrt(5), band.getYData()[2 * 11 - 1 - step], 1e-12, "lower bound at " + step);
            assertTrue(sd > 0);
        }
        assertNull(runs.rolling(1).plot().chart().getSeries("no such"));
    }
}
