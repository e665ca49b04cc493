package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Adaptive guidance (Castillo et al. 2023): the per-point cosine switch against hand computations and plain CFG. */
class AdaptiveGuidanceTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final GaussianMixture MIX = new GaussianMixture(new double[] {1, 1, 1},
            new double[][] {{1, 0}, {-0.5, 0.866}, {-0.5, -0.866}},
            new double[][][] {{{0.02, 0}, {0, 0.02}}, {{0.02, 0}, {0, 0.02}}, {{0.02, 0}, {0, 0.02}}});
    static final DiffusionModel COND = MIX.select(0).model(VP), UNCOND = MIX.model(VP);

    /** Toy networks that count the points they are evaluated on: ε_c = x, ε_u = x + (1, 0). */
    static final long[] CALLS = new long[2];
    static final DiffusionModel IDENTITY = DiffusionModel.of(VP, Prediction.NOISE, (x, t, out) -> {
        CALLS[0] += x.n();
        System.arraycopy(x.data(), 0, out, 0, out.length);
    });
    static final DiffusionModel SHIFTED = DiffusionModel.of(VP, Prediction.NOISE, (x, t, out) -> {
        CALLS[1] += x.n();
        for (int i = 0; i < out.length; i++) out[i] = x.data()[i] + (i % 2 == 0 ? 1 : 0);
    });

    @Test
    void thresholdOneIsCfgWithTwoEvaluationsPerStep() {
        var z = Batch.normal(300, 2, 1);
        var ag = Guidance.adaptive(COND, UNCOND, 3, 1, Prediction.NOISE);
        var x = Diffusion.sample(new Sampler.DpmSolverPP(2), ag, z, 12).x();
        var cfg = Diffusion.sample(new Sampler.DpmSolverPP(2), Guidance.cfg(COND, UNCOND, 3), z, 12).x();
        assertArrayEquals(cfg.data(), x.data(), 1e-12);
        assertEquals(24, ag.evaluationsPerPoint(), 0.0);
        assertEquals(12, ag.times().length);
        for (double s : ag.switchTimes()) assertTrue(Double.isNaN(s));
        for (double f : ag.guidedFractions()) assertEquals(1, f, 0.0);
    }

    @Test
    void eachPointSwitchesWhenItsOwnCosineCrossesTheThresholdAndThenCostsOneEvaluation() {
        // ε_c = x, ε_u = x + e₁: cos = (|x|² + x₁)/(|x| |x + e₁|); at (3, 0) it is 1, at (0, 1) 1/√2
        var x = Batch.of(new double[][] {{3, 0}, {0, 1}});
        var swapped = Batch.of(new double[][] {{0, 1}, {3, 0}});
        var ag = Guidance.adaptive(IDENTITY, SHIFTED, 2, 0.9, Prediction.NOISE);
        double[] out = new double[4];
        CALLS[0] = CALLS[1] = 0;
        ag.eval(x, 0.5, out);
        assertArrayEquals(new double[] {3 - 1, 0, -1, 1}, out, 1e-15, "CFG u + 2(c − u) = x − e₁ at both points");
        assertEquals(0.5 * (1 + 1 / Math.sqrt(2)), ag.medianCosines()[0], 1e-15);
        assertArrayEquals(new double[] {Double.NaN, Double.NaN}, ag.switchTimes(), "point 0 is above γ̄ but has not crossed it");
        ag.eval(swapped, 0.4, out);
        assertArrayEquals(new double[] {Double.NaN, 0.4}, ag.switchTimes(), "point 1 was below γ̄ and is now above it");
        ag.eval(x, 0.3, out);
        assertArrayEquals(new double[] {2, 0, 0, 1}, out, 1e-15, "point 0 still guided, point 1 takes ε_c");
        assertEquals(6, CALLS[0]);
        assertEquals(5, CALLS[1], "the unconditional network no longer sees the switched point");
        assertEquals(5.5, ag.evaluationsPerPoint(), 0.0);
        assertArrayEquals(new double[] {1, 1, 0.5}, ag.guidedFractions());
        assertThrows(IllegalStateException.class, () -> ag.eval(Batch.normal(3, 2, 0), 0.2, new double[6]));
    }

    @Test
    void theCosineIsMeasuredInTheRequestedPredictionSpace() {
        var x = Batch.normal(40, 2, 5);
        double t = 0.6, a = VP.alpha(t), s = VP.sigma(t);
        var ag = Guidance.adaptive(COND, UNCOND, 2, 1, Prediction.DATA);
        ag.eval(x, t, new double[80]);
        double[] c = new double[80], u = new double[80];
        COND.eval(x, t, c);
        UNCOND.eval(x, t, u);
        double[] cos = new double[40];
        for (int i = 0; i < 40; i++) {
            // x̂₀ = (x − σε)/α by hand
            double c0 = (x.get(i, 0) - s * c[2 * i]) / a, c1 = (x.get(i, 1) - s * c[2 * i + 1]) / a;
            double u0 = (x.get(i, 0) - s * u[2 * i]) / a, u1 = (x.get(i, 1) - s * u[2 * i + 1]) / a;
            cos[i] = (c0 * u0 + c1 * u1) / Math.hypot(c0, c1) / Math.hypot(u0, u1);
        }
        java.util.Arrays.sort(cos);
        assertEquals(0.5 * (cos[19] + cos[20]), ag.medianCosines()[0], 1e-12);
    }

    @Test
    void lateSwitchKeepsTheCfgEndpointAtFewerEvaluations() {
        var z = Batch.normal(500, 2, 3);
        var ref = ProbabilityFlowOde.reference(Guidance.cfg(COND, UNCOND, 3), z).x();
        var ag = Guidance.adaptive(COND, UNCOND, 3, 0.9999, Prediction.NOISE);
        double agError = Metrics.endpointError(Diffusion.sample(new Sampler.Ddim(), ag, z, 20).x(), ref).mean();
        double cfgError = Metrics.endpointError(Diffusion.sample(new Sampler.Ddim(), Guidance.cfg(COND, UNCOND, 3), z, 20).x(), ref).mean();
        double condError = Metrics.endpointError(Diffusion.sample(new Sampler.Ddim(), COND, z, 20).x(), ref).mean();
        System.out.printf("DDIM 20 steps, error to exact CFG: CFG %.3g (40 evaluations), AG %.3g (%.1f), conditional %.3g%n",
                cfgError, agError, ag.evaluationsPerPoint(), condError);
        assertTrue(ag.evaluationsPerPoint() < 0.85 * 40, "AG drops the unconditional network for the late steps");
        assertTrue(agError < 2 * cfgError && agError < 0.1 * condError, "AG stays at CFG's error, far from the unguided one");
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Guidance.adaptive(COND, UNCOND, 3, 1.5, Prediction.NOISE));
        assertThrows(IllegalArgumentException.class, () -> Guider.adaptive(3, Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> Guidance.adaptive(COND, UNCOND, Double.NaN, 0.99, Prediction.NOISE));
        assertThrows(IllegalArgumentException.class, () -> Guidance.adaptive(COND, MIX.denoiser(VP), 3, 0.99, Prediction.NOISE));
        assertEquals(Guider.cfg(3), Guider.adaptive(3, 0.99).target());
    }
}
