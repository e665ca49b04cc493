package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionLoss;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.Guidance;
import org.reprolab.diffusion.Guider;
import org.reprolab.diffusion.Metrics;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.ProbabilityFlowOde;
import org.reprolab.diffusion.SampleOptions;
import org.reprolab.diffusion.Sampler;
import org.reprolab.diffusion.ScoreNetwork;
import org.reprolab.diffusion.TimeGrid;
import org.reprolab.optim.Optimizer;
import org.reprolab.random.RngKey;
import org.reprolab.tornado.Devices;

/** Lab.sample, Lab.guide and Lab.fit against direct calls of the diffusion package (bit for bit) and known orders. */
class SampleLabTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final GaussianMixture RING = GaussianMixture.ring(8, 1, 0.08);
    static final Batch Z = Batch.normal(200, 2, 0);

    @Test
    void errorEqualsTheDirectSampleAndMetricBitForBit() {
        var runs = Lab.sample(RING, VP).noise(Z).compare(new Sampler.Ddim(), new Sampler.DpmSolverPP(2)).nfe(5, 10)
                .progress(Progress.none()).run();
        var model = RING.model(VP);
        var ref = ProbabilityFlowOde.reference(model, Z).x();
        var exact = RING.sampleMarginal(VP, VP.tEnd(), Z.n(), RngKey.of(5));
        var x = Diffusion.sample(new Sampler.Ddim(), model, Z, 10).x();
        Row ddim10 = runs.rows().get(1);
        assertEquals("DDIM nfe=10", ddim10.label());
        assertEquals(Metrics.endpointError(x, ref).mean(), ddim10.last("error").mean(), 0.0);
        assertEquals(Metrics.endpointError(x, ref).median(), ddim10.last("median_error").mean(), 0.0);
        assertEquals(Metrics.slicedWasserstein2(x, exact), ddim10.last("sw2").mean(), 0.0);
        assertEquals(10.0, ddim10.scalars().get("nfe_used").mean());
        assertArrayEquals(x.data(), runs.<Batch>output("DDIM nfe=10").data());
        assertEquals(List.of("DDIM", "DPM-Solver++(2M)"), runs.methods());
        // the order between budgets is -1/2 the slope of log error against log NFE
        Row ddim5 = runs.rows().get(0);
        double expected = 0.5 * Math.log(ddim5.last("error").mean() / ddim10.last("error").mean()) / Math.log(2);
        assertEquals(expected, ddim10.scalars().get("order").mean(), 1e-12);
        assertTrue(!ddim5.scalars().containsKey("order"), "the first budget has no order");
    }

    @Test
    void onADeviceTheBatchStaysResidentAndTheEndpointsMatchTheHostPath() {
        var host = Lab.sample(RING, VP).noise(Z).compare(new Sampler.DpmSolverPP(2)).nfe(10).progress(Progress.none()).run();
        var jvm = Devices.get("jvm");
        long before = jvm.hostTransfers();
        var device = Lab.sample(RING, VP).noise(Z).compare(new Sampler.DpmSolverPP(2)).nfe(10).device("jvm")
                .progress(Progress.none()).run();
        assertTrue(jvm.hostTransfers() > before, "the device path ran (it uploads the batch once)");
        double[] a = host.<Batch>output("DPM-Solver++(2M)").data(), b = device.<Batch>output("DPM-Solver++(2M)").data();
        assertEquals(a.length, b.length);
        for (int i = 0; i < a.length; i++) assertEquals(a[i], b[i], 1e-12, "coordinate " + i);
        assertEquals(host.rows().getFirst().last("error").mean(), device.rows().getFirst().last("error").mean(), 1e-12);
    }

    @Test
    void measuredOrdersOfFirstAndSecondOrderSamplers() {
        var runs = Lab.sample(RING, VP).noise(Z).compare(new Sampler.Ddim(), new Sampler.DpmSolverPP(2)).nfe(100, 200)
                .orderFrom("median_error").progress(Progress.none()).run();
        assertEquals(1.0, runs.rows().get(1).scalars().get("order").mean(), 0.1);
        assertEquals(2.0, runs.rows().get(3).scalars().get("order").mean(), 0.25);
    }

    @Test
    void dcSolverThatSearchesEqualsSearchThenSample() {
        var model = RING.model(VP);
        var points = Batch.normal(5, 2, 99);
        var searched = Diffusion.sample(Sampler.DcSolver.search(model, points, 6), model, Z, 6).x();
        var lazy = Diffusion.sample(new Sampler.DcSolverSearch(points), model, Z, 6);
        assertArrayEquals(searched.data(), lazy.x().data());
        assertEquals(6, lazy.nfe());
        var runs = Lab.sample(RING, VP).noise(Z).compare(new Sampler.DcSolverSearch(points)).nfe(6).progress(Progress.none()).run();
        assertEquals("DC-Solver", runs.rows().getFirst().label());
    }

    @Test
    void sweepsOverASamplerHyperParameterAndTheGrid() {
        var runs = Lab.sample(RING, VP).noise(Z).compare(new Sampler.Ddim(), new Sampler.Ghvb(3.8)).sweep("grid", "logSNR", "time-uniform")
                .nfe(8).progress(Progress.none()).run();
        var model = RING.model(VP);
        var ref = ProbabilityFlowOde.reference(model, Z).x();
        var x = Diffusion.sample(new Sampler.Ghvb(3.8), model, Z, 8, SampleOptions.defaults().grid(TimeGrid.timeUniform())).x();
        assertEquals(Metrics.endpointError(x, ref).mean(), runs.rows().get(3).last("error").mean(), 0.0);
        assertEquals("GHVB 3.8 grid=time-uniform", runs.rows().get(3).label());
        // eta = 0 is deterministic DDIM; eta = 1 adds noise and a larger error
        var eta = Lab.sample(RING, VP).noise(Z).compare(new Sampler.Ddim()).sweep("eta", 0, 1).nfe(10).progress(Progress.none()).run();
        assertEquals(Metrics.endpointError(Diffusion.sample(new Sampler.Ddim(), model, Z, 10).x(), ref).mean(), eta.rows().get(0).last("error").mean(), 0.0);
        assertTrue(eta.rows().get(1).last("error").mean() > 10 * eta.rows().get(0).last("error").mean());
        assertEquals("DDIM eta=1", eta.rows().get(1).label());
    }

    @Test
    void anyModelWithReferenceMeasuresTheSameErrorAsTheMixture() {
        var onModel = Lab.sample(RING.model(VP)).title("ring as a model").noise(Z).reference().compare(new Sampler.DpmSolverPP(2)).nfe(6)
                .measure(new Metric("spread", false), x -> java.util.Arrays.stream(x.data()).map(Math::abs).max().orElseThrow())
                .progress(Progress.none()).run();
        var onTarget = Lab.sample(RING, VP).noise(Z).compare(new Sampler.DpmSolverPP(2)).nfe(6).progress(Progress.none()).run();
        assertEquals(onTarget.rows().getFirst().last("error").mean(), onModel.rows().getFirst().last("error").mean(), 0.0);
        assertEquals(List.of("error", "median_error", "spread"), onModel.metrics().stream().map(Metric::name).toList());
        assertTrue(onModel.headline().contains("ring as a model"), onModel.headline());
    }

    @Test
    void badInputNamesWhatIsWrong() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> Lab.sample(RING, VP).compare(new Sampler.Ddim()).sweep("beta", 0.5).progress(Progress.none()).run());
        assertTrue(e.getMessage().contains("beta") && e.getMessage().contains("DDIM") && e.getMessage().contains("eta"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Lab.sample(RING, VP).nfe(10, 0));
        var g = assertThrows(IllegalArgumentException.class, () -> Lab.sample(RING, VP).grid("cosine"));
        assertTrue(g.getMessage().contains("cosine"), g.getMessage());
        var noNoise = assertThrows(IllegalStateException.class,
                () -> Lab.sample(RING.model(VP)).compare(new Sampler.Ddim()).measure("m", x -> 0).progress(Progress.none()).run());
        assertTrue(noNoise.getMessage().contains("noise"), noNoise.getMessage());
    }

    @Test
    void guideSweepsTheScaleAndMeasuresTheSamples() {
        var cond = RING.select(0).model(VP);
        var uncond = RING.model(VP);
        var runs = Lab.guide(cond, uncond).noise(Z).compare(Guider.cfg(1), Guider.apg(1, 0, 0.3, -0.5)).sweep("w", 1, 4)
                .measure("mean_x", x -> java.util.Arrays.stream(x.data()).average().orElseThrow()).progress(Progress.none()).run();
        assertEquals(List.of("CFG w=1", "CFG w=4", "APG(eta=0, normThreshold=0.3, momentum=-0.5) w=1", "APG(eta=0, normThreshold=0.3, momentum=-0.5) w=4"),
                runs.rows().stream().map(Row::label).toList());
        var direct = Diffusion.sample(new Sampler.DpmSolverPP(2), Guidance.cfg(cond, uncond, 4), Z, 20).x();
        assertEquals(java.util.Arrays.stream(direct.data()).average().orElseThrow(), runs.rows().get(1).last("mean_x").mean(), 0.0);
        var apg = Diffusion.sample(new Sampler.DpmSolverPP(2), Guidance.apg(cond, uncond, 4, 0, 0.3, -0.5, false), Z, 20).x();
        assertArrayEquals(apg.data(), runs.<Batch>output(runs.rows().get(3).label()).data(), "a fresh APG model (momentum buffer) per run");
    }

    @Test
    void guideCountsNetworkEvaluationsAndMeasuresTheErrorToTheExactGuidedPath() {
        var cond = RING.select(0).model(VP);
        var uncond = RING.model(VP);
        var runs = Lab.guide(cond, uncond).noise(Z).exact().compare(Guider.cfg(3), Guider.adaptive(3, 0.9999, org.reprolab.diffusion.Prediction.DATA))
                .nfe(8, 16).progress(Progress.none()).run();
        assertEquals(List.of("CFG(w=3) nfe=8", "CFG(w=3) nfe=16", "AG(w=3, threshold=0.9999, space=DATA) nfe=8", "AG(w=3, threshold=0.9999, space=DATA) nfe=16"),
                runs.rows().stream().map(Row::label).toList());
        var ref = ProbabilityFlowOde.reference(Guidance.cfg(cond, uncond, 3), Z).x();
        var ag = Guidance.adaptive(cond, uncond, 3, 0.9999, org.reprolab.diffusion.Prediction.DATA);
        var x = Diffusion.sample(new Sampler.DpmSolverPP(2), ag, Z, 16).x();
        Row ag16 = runs.rows().get(3);
        assertEquals(Metrics.endpointError(x, ref).mean(), ag16.last("error").mean(), 0.0, "AG is measured against exact CFG");
        assertEquals(ag.evaluationsPerPoint(), ag16.scalars().get("network_nfe").mean(), 0.0);
        assertTrue(ag.evaluationsPerPoint() < 32);
        assertEquals(32.0, runs.rows().get(1).scalars().get("network_nfe").mean(), 0.0, "CFG: two networks per sampler evaluation");
        assertEquals(16.0, runs.rows().get(1).scalars().get("nfe_used").mean(), 0.0);
        // the work-precision figure in network evaluations: one curve per method along the NFE sweep
        var chart = (org.knowm.xchart.XYChart) runs.plot("network_nfe", "error").chart();
        assertArrayEquals(new double[] {16, 32}, chart.getSeries("CFG(w=3)").getXData(), 0.0);
        assertEquals(ag.evaluationsPerPoint(), chart.getSeries("AG(w=3, threshold=0.9999, space=DATA)").getXData()[1], 0.0);
        assertEquals(ag16.last("error").mean(), chart.getSeries("AG(w=3, threshold=0.9999, space=DATA)").getYData()[1], 0.0);
        assertThrows(IllegalArgumentException.class, () -> Lab.guide(cond, uncond).noise(Z).exact().compare(Guider.apg(3, 0, 0.3, -0.5))
                .progress(Progress.none()).run());
    }

    @Test
    void fitRecordsTheLossOfEveryStepAndKeepsTheModel() {
        var data = RING.sample(500, RngKey.of(1));
        var runs = Lab.fit(seed -> new ScoreNetwork(2, new int[] {16}, 8, seed), data).compare(DiffusionLoss.flowMatching())
                .optimizer(adam(1e-2)).steps(30).batch(64).progress(Progress.none()).run();
        long seed = TrainExperiment.seedOf(RngKey.of(0).split(1).getFirst());
        var net = new ScoreNetwork(2, new int[] {16}, 8, seed);
        double[] direct;
        try (var opt = Optimizer.of(net.parameters(), adam(1e-2))) {
            direct = DiffusionLoss.flowMatching().fit(net, opt, data, 30, 64, seed);
        }
        assertArrayEquals(direct, runs.history("flow matching", "loss"));
        var z = Batch.normal(50, 2, 3);
        var fromLab = Diffusion.sample(new Sampler.Ddim(), runs.output("flow matching"), z, 5).x();
        assertArrayEquals(Diffusion.sample(new Sampler.Ddim(), DiffusionLoss.flowMatching().model(net), z, 5).x().data(), fromLab.data());
        // and sampled with Lab: sw2 against data equals the direct metric
        var sampled = Lab.sample(runs.output("flow matching")).noise(z).against(data.rows(0, 50)).compare(new Sampler.Ddim()).nfe(5)
                .progress(Progress.none()).run();
        assertEquals(Metrics.slicedWasserstein2(fromLab, data.rows(0, 50)), sampled.rows().getFirst().last("sw2").mean(), 0.0);
    }

    @Test
    void errorAgainstNfePlotsOneCurvePerSampler() {
        var runs = Lab.sample(RING, VP).noise(Z).compare(new Sampler.Ddim(), new Sampler.DpmSolverPP(2)).nfe(5, 10, 50).progress(Progress.none()).run();
        var chart = (org.knowm.xchart.XYChart) runs.plot("nfe", "error").chart();
        assertArrayEquals(new double[] {5, 10, 50}, chart.getSeries("DDIM").getXData(), 0.0);
        assertEquals(runs.rows().get(4).last("error").mean(), chart.getSeries("DPM-Solver++(2M)").getYData()[1], 0.0);
        assertTrue(chart.getStyler().isXAxisLogarithmic() && chart.getStyler().isYAxisLogarithmic());
    }
}
