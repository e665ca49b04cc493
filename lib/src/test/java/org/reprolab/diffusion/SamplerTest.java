package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.Sampler.UniPC.Variant;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.random.RngKey;

/**
 * Samplers on exact-score mixtures: NFE accounting, hand-computed steps, identities between samplers,
 * measured convergence orders and the reference bars of {@code shared/reference/diffusion.md} §5.
 */
class SamplerTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final GaussianMixture RING = GaussianMixture.ring(8, 1, 0.08);
    static final DiffusionModel MODEL = RING.model(VP);
    static Batch z;
    static Batch ref;

    @BeforeAll
    static void reference() {
        z = Batch.normal(300, 2, 0);
        ref = ProbabilityFlowOde.reference(MODEL, z).x();
    }

    static List<Sampler> all() {
        return List.of(new Sampler.EulerMaruyama(), new Sampler.PredictorCorrector(), new Sampler.Ddpm(), new Sampler.Ddim(),
                new Sampler.Ddim(0.5), new Sampler.Plms(), new Sampler.DpmSolver(1), new Sampler.DpmSolver(2), new Sampler.DpmSolver(3),
                new Sampler.DpmSolverPP2S(), new Sampler.DpmSolverPP(1), new Sampler.DpmSolverPP(2), new Sampler.DpmSolverPP(3),
                new Sampler.DpmSolverPP2MSde(), new Sampler.UniPC(1, Variant.BH2), new Sampler.UniPC(2, Variant.BH1),
                new Sampler.UniPC(3, Variant.BH2), new Sampler.EdmHeun(), new Sampler.EdmHeun(5, 0.01, 10, 1.003),
                new Sampler.Ghvb(3.8), new Sampler.Ghvb(2), new Sampler.DpmSolverPP2MHeavyBall(0.8));
    }

    /** A model that counts its own calls, independently of the sampler's counter. */
    static DiffusionModel counting(DiffusionModel m, AtomicInteger calls) {
        return DiffusionModel.of(m.schedule(), m.prediction(), (x, t, out) -> { calls.incrementAndGet(); m.eval(x, t, out); });
    }

    static double err(Sampler s, int nfe) {
        return Metrics.endpointError(Diffusion.sample(s, MODEL, z, nfe).x(), ref).mean();
    }

    @Test
    void everySamplerSpendsExactlyItsBudget() {
        var small = Batch.normal(16, 2, 1);
        for (Sampler s : all())
            for (int nfe : new int[] {2, 3, 5, 10, 11, 20}) {
                var calls = new AtomicInteger();
                var r = Diffusion.sample(s, counting(MODEL, calls), small, nfe);
                assertEquals(nfe, calls.get(), s + " at budget " + nfe);
                assertEquals(nfe, r.nfe(), s + " reported NFE");
            }
        var calls = new AtomicInteger();
        assertEquals(12, Diffusion.sample(new Sampler.ProbabilityFlow(Tableau.RK4), counting(MODEL, calls), small, 12).nfe());
        assertEquals(12, calls.get());
        assertThrows(IllegalArgumentException.class, () -> Diffusion.sample(new Sampler.ProbabilityFlow(Tableau.RK4), MODEL, small, 10));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.sample(new Sampler.Ddim(), MODEL, small, 0));
        assertThrows(IllegalArgumentException.class, () -> Diffusion.sample(new Sampler.Plms(), MODEL, small, 1));
    }

    @Test
    void singlestepBudgetSplitFollowsTheOfficialCode() {
        assertArrayEquals(new int[] {3, 3, 2, 1}, Singlestep.orders(3, 9));
        assertArrayEquals(new int[] {3, 3, 3, 1}, Singlestep.orders(3, 10));
        assertArrayEquals(new int[] {3, 3, 3, 2}, Singlestep.orders(3, 11));
        assertArrayEquals(new int[] {2, 2, 2, 2, 2}, Singlestep.orders(2, 10));
        assertArrayEquals(new int[] {2, 2, 1}, Singlestep.orders(2, 5));
    }

    @Test
    void firstStepsByHand() {
        var x = Batch.normal(4, 2, 2);
        double t = 1, s = 1e-3;
        double[] e = new double[8];
        MODEL.eval(x, t, e);
        double h = VP.lambda(s) - VP.lambda(t);
        // DDIM (η = 0) one step: x_s = (α_s/α_t)x − σ_s(e^h − 1)ε̂
        var ddim = Diffusion.sample(new Sampler.Ddim(), MODEL, x, 1).x();
        for (int i = 0; i < 8; i++)
            assertEquals(VP.alpha(s) / VP.alpha(t) * x.data()[i] - VP.sigma(s) * Math.expm1(h) * e[i], ddim.data()[i], 1e-12);
        // DDPM (η = 1) one step: α_s x̂₀ + √(σ_s² − c²) ε̂ + c z with c² = (σ_s²/σ_t²)(1 − α_t²/α_s²), z of stream foldIn(0)
        double at = VP.alpha(t), st = VP.sigma(t), as = VP.alpha(s), ss = VP.sigma(s);
        double c = Math.sqrt(ss * ss / (st * st) * (1 - at * at / (as * as)));
        var zz = Batch.normal(4, 2, RngKey.of(5).foldIn(0));
        var ddpm = Diffusion.sample(new Sampler.Ddpm(), MODEL, x, 1, SampleOptions.defaults().seed(5)).x();
        for (int i = 0; i < 8; i++) {
            double x0 = (x.data()[i] - st * e[i]) / at;
            assertEquals(as * x0 + Math.sqrt(ss * ss - c * c) * e[i] + c * zz.data()[i], ddpm.data()[i], 1e-12);
        }
        // DPM-Solver++(2M), two steps, in k-diffusion's form: D = (1 + 1/(2r))m₀ − (1/(2r))m₁, r = h_last/h
        double[] ts = TimeGrid.logSnr().times(VP, 1, 1e-3, 2);
        double[] m0 = new double[8], m1 = new double[8];
        MODEL.eval(x, ts[0], e);
        Prediction.NOISE.toData(x.data(), e, VP.alpha(ts[0]), VP.sigma(ts[0]), m0);
        double h1 = VP.lambda(ts[1]) - VP.lambda(ts[0]), h2 = VP.lambda(ts[2]) - VP.lambda(ts[1]);
        double[] x1 = new double[8];
        for (int i = 0; i < 8; i++) x1[i] = VP.sigma(ts[1]) / VP.sigma(ts[0]) * x.data()[i] - VP.alpha(ts[1]) * Math.expm1(-h1) * m0[i];
        MODEL.eval(new Batch(4, 2, x1), ts[1], e);
        Prediction.NOISE.toData(x1, e, VP.alpha(ts[1]), VP.sigma(ts[1]), m1);
        double r = h1 / h2;
        var twoM = Diffusion.sample(new Sampler.DpmSolverPP(2, false), MODEL, x, 2).x();
        for (int i = 0; i < 8; i++) {
            double d = (1 + 1 / (2 * r)) * m1[i] - 1 / (2 * r) * m0[i];
            assertEquals(VP.sigma(ts[2]) / VP.sigma(ts[1]) * x1[i] - VP.alpha(ts[2]) * Math.expm1(-h2) * d, twoM.data()[i], 1e-12);
        }
        // UniPC-1 (bh2): DDIM predictor, corrector x₁ = x̃ − α B(h)·½(m(x̂₁) − m₀), B = e^{−h} − 1
        var uni = Diffusion.sample(new Sampler.UniPC(1, Variant.BH2), MODEL, x, 2).x();
        double[] xc = new double[8];
        for (int i = 0; i < 8; i++)
            xc[i] = x1[i] - VP.alpha(ts[1]) * Math.expm1(-h1) * 0.5 * (m1[i] - m0[i]);
        MODEL.eval(new Batch(4, 2, x1), ts[1], e); // the corrector reuses m at the predicted point
        for (int i = 0; i < 8; i++)
            assertEquals(VP.sigma(ts[2]) / VP.sigma(ts[1]) * xc[i] - VP.alpha(ts[2]) * Math.expm1(-h2) * m1[i], uni.data()[i], 1e-12);
    }

    @Test
    void samplersThatAreTheSameMethodAgree() {
        var ddim = Diffusion.sample(new Sampler.Ddim(), MODEL, z, 7).x();
        for (Sampler s : List.of(new Sampler.DpmSolver(1), new Sampler.DpmSolverPP(1), new Sampler.Ghvb(1)))
            assertTrue(Metrics.endpointError(Diffusion.sample(s, MODEL, z, 7).x(), ddim).max() < 1e-24, s + " is DDIM");
        var heavyBallOne = Diffusion.sample(new Sampler.DpmSolverPP2MHeavyBall(1), MODEL, z, 12).x();
        var twoM = Diffusion.sample(new Sampler.DpmSolverPP(2, false), MODEL, z, 12).x();
        assertTrue(Metrics.endpointError(heavyBallOne, twoM).max() < 1e-24, "HB with β = 1 is 2M");
        var ddpm = Diffusion.sample(new Sampler.Ddpm(), MODEL, z, 9, SampleOptions.defaults().seed(3)).x();
        var eta1 = Diffusion.sample(new Sampler.Ddim(1), MODEL, z, 9, SampleOptions.defaults().seed(3)).x();
        assertEquals(0, Metrics.endpointError(ddpm, eta1).max());
        // one EDM step (Euler in σ̃) is one DDIM step
        var edm1 = Diffusion.sample(new Sampler.EdmHeun(), MODEL, z, 1, SampleOptions.defaults().grid(TimeGrid.logSnr())).x();
        assertTrue(Metrics.endpointError(edm1, Diffusion.sample(new Sampler.Ddim(), MODEL, z, 1).x()).max() < 1e-24);
        // the data-prediction model gives the same samples as the noise-prediction model
        var viaData = Diffusion.sample(new Sampler.UniPC(2, Variant.BH2), RING.denoiser(VP), z, 10).x();
        var viaNoise = Diffusion.sample(new Sampler.UniPC(2, Variant.BH2), MODEL, z, 10).x();
        assertTrue(Metrics.endpointError(viaData, viaNoise).max() < 1e-20);
    }

    /** Observed order from the mean squared endpoint error at budgets n and 2n: log₄(e(n)/e(2n)). */
    static double order(Sampler s, int n) {
        return Math.log(err(s, n) / err(s, 2 * n)) / Math.log(4);
    }

    @Test
    void measuredConvergenceOrders() {
        double ddim = order(new Sampler.Ddim(), 80);
        double twoM = order(new Sampler.DpmSolverPP(2), 160);
        double uni = order(new Sampler.UniPC(2, Variant.BH2), 160);
        double heun = Math.log(err(new Sampler.EdmHeun(), 81) / err(new Sampler.EdmHeun(), 161)) / Math.log(4);
        double rk4 = order(new Sampler.ProbabilityFlow(Tableau.RK4), 160);
        double plms = order(new Sampler.Plms(), 160);
        double hb = order(new Sampler.DpmSolverPP2MHeavyBall(0.8), 80);
        double dpm2 = order(new Sampler.DpmSolver(2), 80);
        System.out.printf("orders: ddim %.2f, dpm++2m %.2f, unipc-bh2 %.2f, edm-heun %.2f, rk4 %.2f, plms %.2f, 2m-hb %.2f, dpm-2 %.2f%n",
                ddim, twoM, uni, heun, rk4, plms, hb, dpm2);
        assertEquals(1, ddim, 0.1);
        assertEquals(2, twoM, 0.2);
        assertEquals(3, uni, 0.3);
        assertEquals(2, heun, 0.2);
        assertEquals(4, rk4, 0.3);
        assertEquals(2, plms, 0.3);
        assertEquals(1, hb, 0.15);
        assertEquals(2, dpm2, 0.2);
    }

    @Test
    void referenceBarsAtTenEvaluations() {
        // shared/reference/diffusion.md §5, ring8, logSNR grid, NFE 10 (500 numpy samples; ours: 300 Philox samples)
        double ddim = err(new Sampler.Ddim(), 10), twoM = err(new Sampler.DpmSolverPP(2), 10), threeM = err(new Sampler.DpmSolverPP(3), 10);
        double uni = err(new Sampler.UniPC(2, Variant.BH2), 10), plms = err(new Sampler.Plms(), 10), ghvb5 = err(new Sampler.Ghvb(3.8), 5);
        System.out.printf("NFE 10: ddim %.2e, 2m %.2e, 3m %.2e, unipc %.2e, plms %.2e; ghvb NFE 5 %.2e%n", ddim, twoM, threeM, uni, plms, ghvb5);
        assertEquals(6.0e-3, ddim, 1.5e-3);
        assertEquals(2.1e-3, twoM, 0.6e-3);
        assertEquals(6.2e-4, threeM, 2e-4);
        assertEquals(8.0e-4, uni, 2.5e-4);
        assertEquals(2.1e-4, plms, 1e-4);
        assertEquals(1.3e-3, ghvb5, 0.5e-3);
        assertTrue(uni < twoM && twoM < ddim, "UniPC < DPM++2M < DDIM");
    }

    @Test
    void referenceSolveIsConverged() {
        var tighter = ProbabilityFlowOde.solve(MODEL, z, 1, 1e-3, Tableau.DOP853, 1e-13, 1e-13).x();
        assertTrue(Metrics.endpointError(ref, tighter).max() < 1e-20);
        var adaptive = Diffusion.sample(new Sampler.ProbabilityFlow(Tableau.DOPRI5, 1e-10, 1e-10), MODEL, z, 1);
        assertTrue(Metrics.endpointError(adaptive.x(), ref).max() < 1e-14);
        assertTrue(adaptive.nfe() > 100, "adaptive solves report their own NFE");
    }

    @Test
    void stochasticSamplersReachTheTargetDistribution() {
        var noise = Batch.normal(1000, 2, 11);
        var exact = RING.sampleMarginal(VP, 1e-3, 1000, RngKey.of(12));
        double floor = Metrics.slicedWasserstein2(RING.sampleMarginal(VP, 1e-3, 1000, RngKey.of(13)), exact);
        for (Sampler s : List.of(new Sampler.Ddpm(), new Sampler.EulerMaruyama(), new Sampler.PredictorCorrector(),
                new Sampler.DpmSolverPP2MSde(), new Sampler.Ddim(0.5), new Sampler.EdmHeun(2, 0.01, 10, 1))) {
            var x = Diffusion.sample(s, MODEL, noise, 60, SampleOptions.defaults().seed(4)).x();
            double sw = Metrics.slicedWasserstein2(x, exact), en = Metrics.energyDistance(x, exact);
            assertTrue(sw < 2 * floor + 0.02, s + ": SW2 " + sw + " vs floor " + floor);
            assertTrue(en < 5e-3, s + ": energy " + en);
            var again = Diffusion.sample(s, MODEL, noise, 60, SampleOptions.defaults().seed(4)).x();
            assertArrayEquals(x.data(), again.data(), 0, s + " is reproducible from its seed");
            var other = Diffusion.sample(s, MODEL, noise, 60, SampleOptions.defaults().seed(5)).x();
            assertNotEquals(x.data()[0], other.data()[0], s + " depends on its seed");
        }
    }

    @Test
    void otherSchedulesAndGrids() {
        // VE and EDM processes, cosine VP: the deterministic solvers converge to the PF-ODE of each
        for (NoiseSchedule sc : List.of(NoiseSchedule.ve(), NoiseSchedule.edm(), NoiseSchedule.vpCosine())) {
            var m = RING.model(sc);
            var small = Batch.normal(100, 2, 21);
            var r = ProbabilityFlowOde.reference(m, small).x();
            double e20 = Metrics.endpointError(Diffusion.sample(new Sampler.UniPC(2, Variant.BH2), m, small, 20).x(), r).mean();
            double e40 = Metrics.endpointError(Diffusion.sample(new Sampler.UniPC(2, Variant.BH2), m, small, 40).x(), r).mean();
            assertTrue(e40 < e20 / 4 && e40 < 1e-3, sc + ": " + e20 + " -> " + e40);
        }
        // the grid matters: time-uniform steps are worse than logSNR steps for DPM++2M at NFE 10 (reference §5)
        double uniform = Metrics.endpointError(Diffusion.sample(new Sampler.DpmSolverPP(2), MODEL, z, 10,
                SampleOptions.defaults().grid(TimeGrid.timeUniform())).x(), ref).mean();
        assertTrue(uniform > 10 * err(new Sampler.DpmSolverPP(2), 10), "time-uniform " + uniform);
    }

    @Test
    void divergenceIsReportedByName() {
        DiffusionModel nan = DiffusionModel.of(VP, Prediction.NOISE, (x, t, out) -> java.util.Arrays.fill(out, t < 0.5 ? Double.NaN : 0));
        var e = assertThrows(IllegalStateException.class, () -> Diffusion.sample(new Sampler.Ddim(), nan, Batch.normal(4, 2, 0), 10));
        assertTrue(e.getMessage().contains("diverged"), e.getMessage());
    }
}
