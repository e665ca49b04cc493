package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Schedule;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

class FitLabTest {
    static final Tensor X = Tensor.of(new double[] {-1, -0.5, 0, 0.5, 1, 1.5}, 6, 1);
    static final Tensor Y = Tensor.of(new double[] {1, 0.25, 0, 0.25, 1, 2.25}, 6, 1);

    static MLP net(long seed) {
        return new MLP(new int[] {1, 8, 1}, Activation::tanh, seed);
    }

    /** The loop every notebook wrote by hand: the peer Lab.fit must match bit for bit. */
    static double[][] handLoop(MLP model, int steps, Schedule schedule) {
        double[] loss = new double[steps], norm = new double[steps];
        var builder = Optimizer.builder(model.parameters(), adam(1e-2));
        if (schedule != null) builder.schedule(schedule);
        try (var opt = builder.build()) {
            for (int t = 0; t < steps; t++) {
                model.zeroGrad();
                Tensor l = Losses.mse(model.forward(X), Y);
                l.backward();
                opt.step();
                try (var off = Autodiff.noGrad()) {
                    clamp(model);
                }
                loss[t] = l.item();
                norm[t] = weightNorm(model);
            }
        }
        return new double[][] {loss, norm};
    }

    static void clamp(MLP model) {
        Tensor w = model.parameters().values().iterator().next();
        double n = Math.sqrt(w.square().sum().item());
        if (n > 1.5) w.assign(w.mul(1.5 / n));
    }

    static double weightNorm(MLP model) {
        Tensor w = model.parameters().values().iterator().next();
        return Math.sqrt(w.square().sum().item());
    }

    static Fit fit(String name, MLP model) {
        return Fit.of(name, model, (t, m) -> {
            Tensor l = Losses.mse(model.forward(X), Y);
            m.put("first_weight_norm", weightNorm(model));
            return l;
        }).after(() -> clamp(model)).evaluate(m -> m.put("final_mse", Losses.mse(model.forward(X), Y).item()));
    }

    @Test
    void trainingEqualsTheHandWrittenLoopWithItsProjectionTrackedSeriesAndEvaluation() {
        MLP a = net(3), b = net(3);
        var runs = Lab.fit(adam(1e-2)).title("parabola").compare(fit("a", a)).steps(40).track("first_weight_norm").schedule(Schedule.cosine(40))
                .progress(Progress.none()).run();
        double[][] hand = handLoop(b, 40, Schedule.cosine(40));
        Run run = runs.runs().getFirst();
        assertArrayEquals(hand[0], run.history("loss"));
        // the tracked value is measured inside the step, before the update: the previous step's norm after clamping
        assertEquals(hand[1][38], run.history("first_weight_norm")[39], 0.0);
        assertTrue(hand[1][39] <= 1.5 + 1e-12, "after() projected every step");
        assertArrayEquals(b.parameters().values().iterator().next().toDoubleArray(), a.parameters().values().iterator().next().toDoubleArray(),
                "Fit.of trains the model in place");
        assertEquals(Losses.mse(b.forward(X), Y).item(), runs.scalar("a", "final_mse").mean(), 0.0);
        assertEquals(8 + 8 + 8 + 1, runs.scalar("a", "parameters").mean(), 0.0, "1-8-1 MLP");
        assertEquals(hand[0][9], runs.at("a", 10).mean(), 0.0, "step 10 is history index 9");
        assertTrue(runs.headline().startsWith("1 run of Lab.fit on parabola"), runs.headline());
    }

    /** beforeStep sees the backward pass's gradients and rewrites them before the optimizer steps (as MKOR does). */
    @Test
    void beforeStepRewritesTheGradientsTheOptimizerThenUses() {
        MLP a = net(4), b = net(4);
        Runnable halve = () -> a.parameters().values().forEach(p -> p.setGrad(p.grad().mul(0.5)));
        Lab.fit(Optimizers.sgd(0.1)).compare(Fit.of("halved", a, (t, m) -> Losses.mse(a.forward(X), Y)).beforeStep(halve)).steps(5)
                .progress(Progress.none()).run();
        try (var opt = Optimizer.of(b.parameters(), Optimizers.sgd(0.05))) { // SGD on halved gradients = SGD at half the rate
            for (int t = 0; t < 5; t++) {
                b.zeroGrad();
                Losses.mse(b.forward(X), Y).backward();
                opt.step();
            }
        }
        for (String name : a.parameters().keySet())
            assertArrayEquals(b.parameters().get(name).toDoubleArray(), a.parameters().get(name).toDoubleArray(), 1e-15, name);
    }

    @Test
    void seededFitsBuildAFreshModelPerSeedAndSweepsSetTheOptimizer() {
        var runs = Lab.fit(adam(1e-2)).compare(Fit.seeded("mlp", seed -> fit("mlp", net(seed)))).seeds(2).steps(5)
                .sweep("lr", 0.0, 1e-2).progress(Progress.none()).run();
        assertEquals(4, runs.runs().size());
        for (int s = 0; s < 2; s++) {
            long seed = TrainExperiment.seedOf(RngKey.of(0).split(2).get(s));
            double[] hand = handLoop(net(seed), 5, null)[0];
            int seedIndex = s;
            Run lr = runs.runs().stream().filter(r -> r.seed() == seedIndex && r.point().get("lr").equals(1e-2)).findFirst().orElseThrow();
            assertArrayEquals(hand, lr.history("loss"));
            Run frozen = runs.runs().stream().filter(r -> r.seed() == seedIndex && r.point().get("lr").equals(0.0)).findFirst().orElseThrow();
            double[] l = frozen.history("loss");
            assertEquals(l[0], l[4], 0.0, "lr 0 leaves the model where it started");
        }
        assertTrue(runs.runs().get(0).history("loss")[0] != runs.runs().get(1).history("loss")[0], "the seeds build different models");
    }

    @Test
    void badInputIsNamed() {
        var inPlace = assertThrows(IllegalStateException.class,
                () -> Lab.fit(adam(1e-2)).compare(fit("once", net(1))).seeds(2).steps(2).progress(Progress.none()).run());
        assertTrue(inPlace.getMessage().contains("once") && inPlace.getMessage().contains("Fit.seeded"), inPlace.getMessage());
        var missing = assertThrows(IllegalStateException.class,
                () -> Lab.fit(adam(1e-2)).compare(fit("m", net(1))).track("nfe").steps(2).progress(Progress.none()).run());
        assertTrue(missing.getMessage().contains("'nfe'") && missing.getMessage().contains("first_weight_norm"), missing.getMessage());
        @SuppressWarnings({"rawtypes", "unchecked"})
        Experiment raw = Lab.fit(adam(1e-2));
        var wrong = assertThrows(IllegalArgumentException.class, () -> raw.compare(adam(1e-2)));
        assertTrue(wrong.getMessage().contains("model to train"), wrong.getMessage());
        var sweep = assertThrows(IllegalArgumentException.class,
                () -> Lab.fit(adam(1e-2)).compare(fit("m", net(1))).sweep("momentum_typo", 1.0).steps(2).progress(Progress.none()).run());
        assertTrue(sweep.getMessage().contains("m") && sweep.getMessage().contains("momentum_typo"), sweep.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Fit.of("empty", Map.of(), (t, m) -> null));
        assertEquals(List.of("loss"), Lab.fit(adam(1e-2)).series());
    }

    @Test
    void theGuidesExampleRuns() {
        Tensor x = Tensor.of(new double[] {-1, -0.5, 0, 0.5, 1}, 5, 1), y = x.square();
        var mlp = new MLP(new int[] {1, 16, 1}, Activation::tanh, 0);
        Fit square = Fit.of("x^2", mlp, (step, m) -> {
            m.put("output_norm", Math.sqrt(mlp.forward(x).square().sum().item()));
            return Losses.mse(mlp.forward(x), y);
        }).evaluate(m -> m.put("error_at_2", Math.abs(mlp.forward(Tensor.of(new double[] {2}, 1, 1)).item() - 4)));
        var runs = Lab.fit(adam(1e-2)).compare(square).steps(300).track("output_norm").progress(Progress.none()).run();
        double[] loss = runs.history("x^2", "loss");
        assertTrue(loss[299] < 0.1 * loss[0], "it learns: " + loss[0] + " -> " + loss[299]);
        assertTrue(Double.isFinite(runs.scalar("x^2", "error_at_2").mean()));
        assertEquals(300, runs.history("x^2", "output_norm").length);
    }

    @Test
    void reachIsTheFirstUnitAtTheThresholdAndMinusOneWhenNever() {
        // GD at step 0.25 on w² halves w each step: the loss is 4^-i at history index i (index 0 = unit 1, the start)
        Tensor w = Tensor.of(1.0).requiresGrad(true);
        var runs = Lab.fit(Optimizers.sgd(0.25)).compare(Fit.of("bowl", Map.of("w", w), (t, m) -> w.square().sum()))
                .steps(8).progress(Progress.none()).run();
        assertEquals(1, runs.origin());
        assertEquals(0.25 * 0.25 * 0.25, runs.history("bowl", "loss")[3], 1e-15);
        assertEquals(5, runs.reach("bowl", "loss", 0.01), "4^-4 = 0.0039 is the first loss <= 0.01, at index 4");
        assertEquals(4, runs.reach("bowl", "loss", 1.0 / 64), "reaching the threshold exactly counts");
        assertEquals(1, runs.reach("bowl", "loss", 2.0));
        assertEquals(-1, runs.reach("bowl", "loss", 1e-6), "never within 8 steps: 4^-7 = 6e-5");
        var nan = assertThrows(IllegalArgumentException.class, () -> runs.reach("bowl", "loss", Double.NaN));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        var unknown = assertThrows(IllegalArgumentException.class, () -> runs.reach("bowl", "test_loss", 1));
        assertTrue(unknown.getMessage().contains("test_loss"), unknown.getMessage());
    }
}
