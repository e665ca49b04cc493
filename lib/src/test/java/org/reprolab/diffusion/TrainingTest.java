package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.random.RngKey;

/**
 * Trainable networks: the rectified-flow schedule and the flow prediction against closed forms, the loss's
 * minimiser (the exact posterior mean of a mixture) as its floor, and training with our optimizers that brings
 * both the loss toward that floor and the samples toward the target.
 */
class TrainingTest {
    static final GaussianMixture RING = GaussianMixture.ring(8, 1, 0.08);

    @Test
    void rectifiedFlowScheduleIsTheLinearInterpolant() {
        var s = NoiseSchedule.rectifiedFlow();
        for (double t : new double[] {1e-3, 0.1, 0.5, 0.9, 0.999}) {
            assertEquals(1 - t, s.alpha(t), 1e-15);
            assertEquals(t, s.sigma(t), 0);
            assertEquals(t, s.tOfLambda(s.lambda(t)), 1e-14);
            double h = 1e-6;
            assertEquals((s.lambda(t + h * t) - s.lambda(t - h * t)) / (2 * h * t), s.dLambda(t), 1e-6 * Math.abs(s.dLambda(t)));
            assertEquals((s.logAlpha(t + h * t) - s.logAlpha(t - h * t)) / (2 * h * t), s.dLogAlpha(t), 1e-6 * Math.abs(s.dLogAlpha(t)));
        }
    }

    @Test
    void flowPredictionIsTheInterpolantsVelocityAndConvertsExactly() {
        double[] x0 = {0.3, -1.2}, eps = {-0.7, 0.4};
        for (double[] as : new double[][] {{0.6, 0.4}, {0.8, 0.6}, {1, 2.5}}) {   // rectified flow, VP, VE-like
            double a = as[0], s = as[1];
            double[] x = {a * x0[0] + s * eps[0], a * x0[1] + s * eps[1]};
            double[] u = {eps[0] - x0[0], eps[1] - x0[1]};
            double[] out = new double[2];
            Prediction.FLOW.toData(x, u, a, s, out);
            assertArrayEquals(x0, out, 1e-14);
            Prediction.FLOW.toNoise(x, u, a, s, out);
            assertArrayEquals(eps, out, 1e-14);
            for (Prediction p : Prediction.values()) {
                double[] pv = new double[2];
                p.fromNoiseAndData(eps, x0, a, s, pv);
                assertArrayEquals(u, p.convert(Prediction.FLOW, x, pv, a, s), 1e-13, p.toString());
            }
        }
        // d x_t / dt of x_t = (1 − t) x0 + t ε is ε − x0
        var rf = NoiseSchedule.rectifiedFlow();
        double t = 0.37, h = 1e-6;
        double dx = ((rf.alpha(t + h) - rf.alpha(t - h)) * x0[0] + (rf.sigma(t + h) - rf.sigma(t - h)) * eps[0]) / (2 * h);
        assertEquals(eps[0] - x0[0], dx, 1e-9);
    }

    @Test
    void theExactPosteriorMeanIsTheFloorOfTheLoss() {
        var data = RING.sample(3000, RngKey.of(1));
        for (var loss : new DiffusionLoss[] {DiffusionLoss.scoreMatching(NoiseSchedule.vpLinear()), DiffusionLoss.flowMatching()}) {
            var exact = RING.model(loss.schedule()).as(loss.prediction());
            double floor = loss.evaluate(exact, data, RngKey.of(2));
            // the same draws with the mean shifted away, or with the target itself of another point, do worse
            var shifted = DiffusionModel.of(loss.schedule(), loss.prediction(), (x, t, out) -> { exact.eval(x, t, out); for (int i = 0; i < out.length; i++) out[i] += 0.1; });
            assertEquals(floor + 0.01, loss.evaluate(shifted, data, RngKey.of(2)), 0.01, loss.toString());
            assertTrue(floor > 0, loss.toString());
        }
    }

    record Trained(double first, double last, double floor, double sw2, double sw2Early, double sw2Noise) {}

    static Trained train(DiffusionLoss loss, int steps, double lr) {
        var data = RING.sample(4000, RngKey.of(7));
        var test = RING.sample(2000, RngKey.of(8));
        var z = Batch.normal(2000, 2, 1);
        var net = new ScoreNetwork(2, new int[] {128, 128, 128}, 32, 0);
        var opt = Optimizer.builder(net.parameters(), Optimizers.adam(lr)).build();
        double[] early = loss.fit(net, opt, data, 30, 256, 0);
        double sw2Early = Metrics.slicedWasserstein2(Diffusion.sample(new Sampler.DpmSolverPP(2), loss.model(net), z, 20).x(), test);
        double[] rest = loss.fit(net, opt, data, steps - 30, 256, 1);
        double sw2 = Metrics.slicedWasserstein2(Diffusion.sample(new Sampler.DpmSolverPP(2), loss.model(net), z, 20).x(), test);
        double floor = loss.evaluate(RING.model(loss.schedule()).as(loss.prediction()), test, RngKey.of(3));
        return new Trained(Arrays.stream(early).average().orElseThrow(), Arrays.stream(rest, rest.length - 200, rest.length).average().orElseThrow(),
                floor, sw2, sw2Early, Metrics.slicedWasserstein2(z, test));
    }

    @Test
    void flowMatchingTrainsTowardTheTarget() {
        Trained r = train(DiffusionLoss.flowMatching(), 1200, 2e-3);
        assertTrue(r.last() < 0.8 * r.first(), r.toString());
        assertTrue(r.last() < 1.15 * r.floor(), "close to the exact minimiser's loss: " + r);
        assertTrue(r.sw2() < 0.5 * r.sw2Early() && r.sw2() < 0.3 * r.sw2Noise(), r.toString());
        assertTrue(r.sw2() < 0.12, r.toString());
    }

    @Test
    void denoisingScoreMatchingTrainsTowardTheTarget() {
        Trained r = train(DiffusionLoss.scoreMatching(NoiseSchedule.vpLinear()), 1200, 2e-3);
        assertTrue(r.last() < 0.7 * r.first(), r.toString());
        assertTrue(r.last() < 1.6 * r.floor(), "toward the exact minimiser's loss: " + r);
        assertTrue(r.sw2() < 0.7 * r.sw2Early() && r.sw2() < 0.6 * r.sw2Noise(), r.toString());
    }

    @Test
    void badInputIsRefusedWithAClearMessage() {
        var net = new ScoreNetwork(2, new int[] {8}, 4, 0);
        var opt = Optimizer.builder(net.parameters(), Optimizers.adam(1e-3)).build();
        var e = assertThrows(IllegalArgumentException.class, () -> DiffusionLoss.flowMatching().fit(net, opt, Batch.normal(10, 3, 0), 1, 4, 0));
        assertTrue(e.getMessage().contains("2-dimensional"), e.getMessage());
        var m = assertThrows(IllegalArgumentException.class, () -> DiffusionLoss.flowMatching().evaluate(RING.model(NoiseSchedule.rectifiedFlow()), Batch.normal(10, 2, 0), RngKey.of(0)));
        assertTrue(m.getMessage().contains("FLOW"), m.getMessage());
    }
}
