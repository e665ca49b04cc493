package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.Sampler.SolverSchedule;
import org.reprolab.diffusion.Sampler.SolverSchedule.Step;
import org.reprolab.diffusion.Sampler.UniPC.Variant;

/**
 * USF's per-step solver schedule ({@link SolverSchedule}) and its search ({@link SolverSearch}): a schedule with one
 * choice at every step is the fixed sampler bit for bit, a hand-computed corrected step, measured orders of the
 * noise-prediction steps, the cost of a last-step corrector, and the search's determinism and gain. Every sample is
 * taken on the host path ({@link Diffusion#sampleOnHost}), the one whose bits the identities are about.
 */
class SolverScheduleTest {
    static final NoiseSchedule VP = SamplerTest.VP;
    static final DiffusionModel MODEL = SamplerTest.MODEL;   // the ring of 8 modes
    static final Batch z = Batch.normal(200, 2, 0), ref = ProbabilityFlowOde.reference(MODEL, z).x();

    static double[] run(Sampler s, int nfe) {
        return Diffusion.sampleOnHost(s, MODEL, z, nfe, SampleOptions.defaults()).x().data();
    }

    static double err(Sampler s, int nfe) {
        return Metrics.endpointError(Diffusion.sampleOnHost(s, MODEL, z, nfe, SampleOptions.defaults()).x(), ref).mean();
    }

    @Test
    void oneChoiceAtEveryStepIsTheFixedSamplerBitForBit() {
        for (int nfe : new int[] {1, 5, 8, 12}) {
            for (int order = 1; order <= 3; order++)
                for (Variant v : Variant.values())
                    assertArrayEquals(run(new Sampler.UniPC(order, v), nfe), run(SolverSchedule.constant(Prediction.DATA, order, true, v, nfe), nfe),
                            0.0, "UniPC-" + order + " " + v + " at " + nfe);
            // UniP-1 without corrector is DPM-Solver++(1) on data and DDIM (DPM-Solver-1) on noise
            assertArrayEquals(run(new Sampler.DpmSolverPP(1), nfe), run(SolverSchedule.constant(Prediction.DATA, 1, false, Variant.BH2, nfe), nfe), 0.0);
            assertArrayEquals(run(new Sampler.Ddim(), nfe), run(SolverSchedule.constant(Prediction.NOISE, 1, false, Variant.BH1, nfe), nfe), 0.0);
        }
        // UniP-2 with B(h) = e^{−h} − 1 is DPM-Solver++(2M), the same formula with its factors rounded in another order
        var twoM = Diffusion.sampleOnHost(new Sampler.DpmSolverPP(2), MODEL, z, 9, SampleOptions.defaults()).x();
        var uniP2 = Diffusion.sampleOnHost(SolverSchedule.constant(Prediction.DATA, 2, false, Variant.BH2, 9), MODEL, z, 9, SampleOptions.defaults()).x();
        assertTrue(Metrics.endpointError(twoM, uniP2).max() < 1e-26);
    }

    @Test
    void aCorrectedNoiseStepMatchesTheHandFormula() {
        // one step t0 → t1 on noise, order 1, corrector bh2: x̃ = (α₁/α₀)x − σ₁(e^h − 1)ε₀, then
        // x₁ = (α₁/α₀)x − σ₁(e^h − 1)(ε₀ + ½(ε(x̃, t₁) − ε₀)) (UniC-1: ρ = ½, uni_pc.py noise branch)
        var small = Batch.normal(4, 2, 5);
        var step = new SolverSchedule(List.of(new Step(Prediction.NOISE, 1, true, Variant.BH2)), TimeGrid.logSnr());
        var got = Diffusion.sampleOnHost(step, MODEL, small, 2, SampleOptions.defaults());
        double t0 = VP.tStart(), t1 = VP.tEnd(), h = VP.lambda(t1) - VP.lambda(t0);
        double ca = VP.alpha(t1) / VP.alpha(t0), cs = VP.sigma(t1) * Math.expm1(h);
        double[] x = small.data(), e0 = new double[8], e1 = new double[8], xt = new double[8];
        MODEL.eval(small, t0, e0);
        for (int i = 0; i < 8; i++) xt[i] = ca * x[i] - cs * e0[i];
        MODEL.eval(new Batch(4, 2, xt), t1, e1);
        // one step over the whole interval: the terms are of size σ₁(e^h − 1) ≈ 150 and ε at t₁ amplifies rounding in x̃
        for (int i = 0; i < 8; i++) assertEquals(ca * x[i] - cs * (e0[i] + 0.5 * (e1[i] - e0[i])), got.x().data()[i], 1e-12 * cs);
        assertEquals(2, got.nfe(), "a last-step corrector costs one evaluation");
    }

    @Test
    void noisePredictionStepsHaveTheirOrders() {
        // UniP-2 is second order; UniC raises it by one (Zhao et al. 2023, Thm 3.2), on either prediction
        double p2 = order(SolverSchedule.constant(Prediction.NOISE, 2, false, Variant.BH2, 60), SolverSchedule.constant(Prediction.NOISE, 2, false, Variant.BH2, 120));
        double pc2 = order(SolverSchedule.constant(Prediction.NOISE, 2, true, Variant.BH2, 60), SolverSchedule.constant(Prediction.NOISE, 2, true, Variant.BH2, 120));
        assertEquals(2, p2, 0.25);
        assertTrue(pc2 > 2.6, "UniPC-2 on noise: " + pc2);
    }

    private static double order(SolverSchedule n, SolverSchedule twice) {
        return Math.log(err(n, n.nfe()) / err(twice, twice.nfe())) / Math.log(4);
    }

    @Test
    void aScheduleSpendsItsEvaluations() {
        var steps = new java.util.ArrayList<>(UniPc.steps(Prediction.NOISE, 3, true, Variant.BH1, true, 6));
        steps.set(5, new Step(Prediction.DATA, 1, true, Variant.BH2));
        var s = new SolverSchedule(steps, TimeGrid.logSnr());
        var calls = new AtomicInteger();
        var counting = DiffusionModel.of(VP, MODEL.prediction(), (x, t, out) -> { calls.incrementAndGet(); MODEL.eval(x, t, out); });
        assertEquals(7, Diffusion.sampleOnHost(s, counting, z, 7, SampleOptions.defaults()).nfe());
        assertEquals(7, calls.get());
        assertThrows(IllegalArgumentException.class, () -> Diffusion.sampleOnHost(s, MODEL, z, 6, SampleOptions.defaults()));
    }

    @Test
    void logSnrFractionsPlaceTheSteps() {
        double[] even = TimeGrid.logSnr().times(VP, 1, 1e-3, 4), placed = new TimeGrid.LogSnrFractions(new double[] {0.25, 0.5, 0.75}).times(VP, 1, 1e-3, 4);
        assertArrayEquals(even, placed, 1e-14);
        double[] skew = new TimeGrid.LogSnrFractions(new double[] {0.1, 0.2, 0.9}).times(VP, 1, 1e-3, 4);
        assertEquals(VP.lambda(1) + 0.9 * (VP.lambda(1e-3) - VP.lambda(1)), VP.lambda(skew[3]), 1e-10);
    }

    @Test
    void badSchedulesAreRejected() {
        var d2 = new Step(Prediction.DATA, 2, true, Variant.BH2);
        var e = assertThrows(IllegalArgumentException.class, () -> new SolverSchedule(List.of(d2), TimeGrid.logSnr()));
        assertTrue(e.getMessage().contains("step 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Step(Prediction.VELOCITY, 1, false, Variant.BH2));
        assertThrows(IllegalArgumentException.class, () -> new Step(Prediction.DATA, 5, false, Variant.BH2));
        assertThrows(IllegalArgumentException.class, () -> new SolverSchedule(List.of(), TimeGrid.logSnr()));
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid.LogSnrFractions(new double[] {0.5, 0.4}));
        assertThrows(IllegalArgumentException.class, () -> new TimeGrid.LogSnrFractions(new double[] {0.5}).times(VP, 1, 1e-3, 3));
        assertThrows(IllegalArgumentException.class, () -> new Sampler.SolverScheduleSearch(z, 0, 1));
    }

    @Test
    void theSearchIsSeededAndBeatsUniPcOnItsPoints() {
        var points = Batch.normal(64, 2, 7);
        var a = SolverSearch.search(MODEL, points, 5, 60, 3, SampleOptions.defaults());
        assertEquals(a, SolverSearch.search(MODEL, points, 5, 60, 3, SampleOptions.defaults()));
        var truth = ProbabilityFlowOde.reference(MODEL, points).x();
        double searched = Metrics.endpointError(Diffusion.sampleOnHost(a, MODEL, points, 5, SampleOptions.defaults()).x(), truth).mean();
        double unipc = Metrics.endpointError(Diffusion.sampleOnHost(new Sampler.UniPC(2, Variant.BH2), MODEL, points, 5, SampleOptions.defaults()).x(), truth).mean();
        assertTrue(searched < 0.8 * unipc, SolverSearch.describe(a) + ": " + searched + " vs UniPC " + unipc);
        // the lazy sampler is the search followed by sampling
        assertArrayEquals(run(a, 5), run(new Sampler.SolverScheduleSearch(points, 60, 3), 5), 0.0);
    }
}
