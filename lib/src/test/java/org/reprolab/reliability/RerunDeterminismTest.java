package org.reprolab.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionLoss;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.InverseProblem;
import org.reprolab.diffusion.InverseSolver;
import org.reprolab.diffusion.LinearMeasurement;
import org.reprolab.diffusion.InterpolantSampler;
import org.reprolab.diffusion.MixtureInterpolant;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.MarkovSequence;
import org.reprolab.diffusion.MaskedDiffusion;
import org.reprolab.diffusion.MaskedSampler;
import org.reprolab.diffusion.Sampler;
import org.reprolab.diffusion.SamplingPrecision;
import org.reprolab.diffusion.ScoreNetwork;
import org.reprolab.diffusion.StochasticInterpolant;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.optim.Chain;
import org.reprolab.optim.Curvature;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.ScaleByLion;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.RngKey;

/**
 * Same inputs, same outputs (issue 13): every optimizer factory and every sampler, run twice in one
 * JVM with the JIT warmed in between, gives the same bits. Before the fix M-FAC's reruns differed by
 * ~1e-11 after 100 steps: the jvm device's sums used {@code reduceLanes(ADD)}, whose lane order changes
 * once C2 compiles it, and its SIMD {@code exp}/{@code tanh} change their last bit the same way.
 */
class RerunDeterminismTest {
    private static final int STEPS = 12;

    /** Every factory of {@link Optimizers} (the test below checks that none is missing). */
    private static Map<String, Supplier<Chain>> optimizers() {
        Map<String, Supplier<Chain>> m = new LinkedHashMap<>();
        double lr = 1e-2;
        m.put("sgd", () -> Optimizers.sgd(lr));
        m.put("sgd+momentum", () -> Optimizers.sgd(lr, 0.9));
        m.put("adam", () -> Optimizers.adam(lr));
        m.put("adamw", () -> Optimizers.adamw(lr));
        m.put("adamw+wd", () -> Optimizers.adamw(lr, 0.05));
        m.put("amsgrad", () -> Optimizers.amsgrad(lr));
        m.put("nadam", () -> Optimizers.nadam(lr));
        m.put("radam", () -> Optimizers.radam(lr));
        m.put("adagrad", () -> Optimizers.adagrad(lr));
        m.put("rmsprop", () -> Optimizers.rmsprop(lr));
        m.put("lamb", () -> Optimizers.lamb(lr));
        m.put("adaBelief", () -> Optimizers.adaBelief(lr));
        m.put("diffGrad", () -> Optimizers.diffGrad(lr));
        m.put("adan", () -> Optimizers.adan(lr));
        m.put("adanNoProx", () -> Optimizers.adanNoProx(lr, 0.02));
        m.put("lion", () -> Optimizers.lion(lr));
        m.put("sgdSai", () -> Optimizers.sgdSai(lr));
        m.put("sophiaG", () -> Optimizers.sophiaG(lr, 1));
        m.put("sophiaH", () -> Optimizers.sophiaH(lr));
        m.put("adaHessian", () -> Optimizers.adaHessian(lr));
        m.put("exAdam", () -> Optimizers.exAdam(lr));
        m.put("stableSpam", () -> Optimizers.stableSpam(lr));
        m.put("lionKappa", () -> Optimizers.lionKappa(lr, ScaleByLion.Kappa.values()[ScaleByLion.Kappa.values().length - 1]));
        m.put("adamP", () -> Optimizers.adamP(lr));
        m.put("sgdP", () -> Optimizers.sgdP(lr, 0.9));
        m.put("mfac", () -> Optimizers.mfac(lr));
        m.put("lookahead", () -> Optimizers.lookahead(Optimizers.adam(lr)));
        m.put("scheduleFreeSgd", () -> Optimizers.scheduleFreeSgd(lr));
        m.put("scheduleFreeAdamw", () -> Optimizers.scheduleFreeAdamw(lr));
        m.put("prodigy", () -> Optimizers.prodigy(1.0));
        m.put("mezo", () -> Optimizers.mezo(lr, 1e-3));   // as a chain: the identity marker, then SGD
        m.put("frugal", () -> Optimizers.frugal(Optimizers.adamw(lr), 0.5, 5));
        m.put("orthoGrad", () -> Optimizers.orthoGrad(Optimizers.adamw(lr)));
        return m;
    }

    @Test
    void everyOptimizerFactoryIsCovered() {
        TreeSet<String> factories = new TreeSet<>();
        for (Method f : Optimizers.class.getMethods())
            if (Modifier.isStatic(f.getModifiers()) && f.getReturnType() == Chain.class) factories.add(f.getName());
        TreeSet<String> covered = new TreeSet<>();
        for (String k : optimizers().keySet()) covered.add(k.replaceAll("\\+.*", ""));
        assertEquals(factories, covered);
    }

    @Test
    void everyOptimizerRerunsBitForBit() {
        Map<String, double[]> first = new LinkedHashMap<>();
        for (var e : optimizers().entrySet()) first.put(e.getKey(), train(e.getValue().get(), false, STEPS));
        first.put("adam+frugal", train(Optimizers.adam(1e-2), true, STEPS));
        warmUp();
        for (var e : optimizers().entrySet())
            assertArrayEquals(first.get(e.getKey()), train(e.getValue().get(), false, STEPS), 0.0, e.getKey() + " rerun differs");
        assertArrayEquals(first.get("adam+frugal"), train(Optimizers.adam(1e-2), true, STEPS), 0.0, "FRUGAL rerun differs");
        for (var e : first.entrySet()) {
            double moved = 0;
            for (double v : e.getValue()) moved = Math.max(moved, Math.abs(v - 0.01));
            assertTrue(moved > 0 && Double.isFinite(moved), e.getKey() + " did not move the weights: " + moved);
        }
    }

    /**
     * The reproduction: M-FAC on a linear least-squares problem (no transcendentals, so only the
     * device's sums can vary), the same 100 steps six times in one JVM. Before the fix this gave two or
     * three different weight vectors; now one.
     */
    @Test
    void mfacSixRunsOfAHundredStepsAgree() {
        double[] first = null;
        for (int rep = 0; rep < 6; rep++) {
            Tensor x = Tensor.randn(1, 64, 300), y = Tensor.randn(2, 64, 256);
            Tensor w = Tensor.full(0.01, 300, 256).requiresGrad(true);
            try (Optimizer opt = Optimizer.of(Map.of("w", w), Optimizers.mfac(1e-2))) {
                for (int s = 0; s < 100; s++) {
                    opt.zeroGrad();
                    x.matmul(w).sub(y).square().mean().backward();
                    opt.step();
                }
            }
            double[] got = w.toDoubleArray();
            if (first == null) first = got;
            else assertArrayEquals(first, got, 0.0, "M-FAC run " + rep + " differs from run 0");
        }
        assertTrue(Math.abs(first[0] - 0.01) > 1e-4, "M-FAC moved the weights: " + first[0]);
    }

    /**
     * The same M-FAC and tanh-model Adam runs in a fresh JVM (cold: everything interpreted at first)
     * give the bits this warm JVM gives: the forked process prints the hash of its final weights.
     */
    @Test
    void aFreshJvmGivesTheSameBits() throws Exception {
        warmUp();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // a crash of the forked JVM leaves its hs_err report here, and the failure shows it
        java.nio.file.Path crash = java.nio.file.Files.createTempFile("fresh-jvm-hs_err", ".log");
        java.nio.file.Files.delete(crash);
        Process p = new ProcessBuilder(java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules=jdk.incubator.vector", "-XX:ErrorFile=" + crash, "-cp", cp, FreshJvm.class.getName())
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        int exit = p.waitFor();
        if (exit != 0 && java.nio.file.Files.exists(crash))
            out += "\n--- " + crash + " (first 80 lines) ---\n" + String.join("\n", java.nio.file.Files.readAllLines(crash).stream().limit(80).toList());
        assertEquals(0, exit, out);
        String last = out.strip().lines().reduce((a, b) -> b).orElse("");
        assertEquals(FreshJvm.hashes(), last, "fresh JVM printed:\n" + out);
    }

    /** The forked side of {@link #aFreshJvmGivesTheSameBits}. */
    static final class FreshJvm {
        public static void main(String[] args) {
            System.out.println(hashes());
        }

        static String hashes() {
            return java.util.Arrays.hashCode(train(Optimizers.mfac(1e-2), false, STEPS)) + " "
                    + java.util.Arrays.hashCode(train(Optimizers.adam(1e-2), false, STEPS));
        }
    }

    /** Many steps through the same kernels, so that C2 compiles what the first runs interpreted. */
    private static void warmUp() {
        train(Optimizers.mfac(1e-2), false, 300);
        train(Optimizers.adam(1e-2), false, 300);
    }

    /**
     * {@code steps} steps on a tanh regression whose weight (300 x 256 = 76,800 elements) is large enough
     * for the device's parallel block sums; returns the final weights and bias.
     */
    private static double[] train(Chain chain, boolean frugal, int steps) {
        Tensor x = Tensor.randn(1, 32, 300), y = Tensor.randn(2, 32, 256).mul(0.5);
        Tensor w = Tensor.full(0.01, 300, 256).requiresGrad(true), b = Tensor.full(0.01, 256).requiresGrad(true);
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("w", w);
        ps.put("b", b);
        Supplier<Tensor> loss = () -> x.matmul(w).add(b).tanh().sub(y).square().mean();
        var builder = Optimizer.builder(ps, chain);
        if (frugal) builder.frugal(Optimizers.frugal(0.5, 3, 4));
        try (Optimizer opt = builder.build()) {
            for (int s = 0; s < steps; s++) {
                opt.zeroGrad();
                loss.get().backward();
                if (opt.needsAux("hessian")) opt.step(Map.of("hessian", Curvature.hutchinson(loss, ps, RngKey.of(s), 1)));
                else opt.step();
            }
        }
        double[] wv = w.toDoubleArray(), bv = b.toDoubleArray();
        double[] all = java.util.Arrays.copyOf(wv, wv.length + bv.length);
        System.arraycopy(bv, 0, all, wv.length, bv.length);
        return all;
    }

    // ---- samplers ----------------------------------------------------------------------------------

    private static List<Sampler> samplers(DiffusionModel model, Batch z) {
        List<Sampler> s = new ArrayList<>(List.of(new Sampler.EulerMaruyama(), new Sampler.PredictorCorrector(), new Sampler.Ddpm(),
                new Sampler.Ddim(), new Sampler.Ddim(0.5), new Sampler.Plms(), new Sampler.DpmSolver(1), new Sampler.DpmSolver(2),
                new Sampler.DpmSolver(3), new Sampler.DpmSolverPP2S(), new Sampler.DpmSolverPP(2), new Sampler.DpmSolverPP(3),
                new Sampler.DpmSolverPP2MSde(), new Sampler.DpmSolverPP2MHeavyBall(0.8),
                new Sampler.UniPC(2, Sampler.UniPC.Variant.BH1), new Sampler.UniPC(3, Sampler.UniPC.Variant.BH2),
                new Sampler.EdmHeun(), new Sampler.EdmHeun(0.5, 0, Double.POSITIVE_INFINITY, 1.003), new Sampler.Ghvb(1.5),
                new Sampler.ProbabilityFlow(Tableau.RK4), new Sampler.ProbabilityFlow(Tableau.DOPRI5, 1e-4, 1e-6)));
        s.add(Sampler.DcSolver.search(model, z, 12));
        s.add(new Sampler.DcSolverSearch(z));
        s.add(Sampler.SolverSchedule.constant(org.reprolab.diffusion.Prediction.NOISE, 3, true, Sampler.UniPC.Variant.BH1, 12));
        s.add(new Sampler.SolverScheduleSearch(Batch.normal(16, 2, 3), 8, 1));
        return s;
    }

    @Test
    void everySamplerIsCovered() {
        TreeSet<String> kinds = new TreeSet<>(), covered = new TreeSet<>();
        for (Class<?> c : Sampler.class.getPermittedSubclasses()) kinds.add(c.getSimpleName());
        DiffusionModel m = GaussianMixture.ring(4, 1, 0.1).model(NoiseSchedule.vpLinear());
        for (Sampler s : samplers(m, Batch.normal(16, 2, 0))) covered.add(s.getClass().getSimpleName());
        assertEquals(kinds, covered);
    }

    @Test
    void everySamplerRerunsBitForBit() {
        // a small untrained score network: its forward runs the device's matmuls, sums and transcendentals
        DiffusionModel net = DiffusionLoss.scoreMatching(NoiseSchedule.vpLinear()).model(new ScoreNetwork(2, new int[] {64, 64}, 16, 3));
        DiffusionModel mixture = GaussianMixture.ring(8, 1, 0.08).model(NoiseSchedule.vpLinear());
        Batch z = Batch.normal(512, 2, 9);
        for (DiffusionModel model : List.of(net, mixture)) {
            List<double[]> first = new ArrayList<>();
            List<Sampler> ss = samplers(model, z);
            for (Sampler s : ss) first.add(Diffusion.sample(s, model, z, 12).x().data());
            for (int i = 0; i < 30; i++) Diffusion.sample(new Sampler.DpmSolverPP(2), model, z, 50); // warm the JIT
            for (int i = 0; i < ss.size(); i++)
                assertArrayEquals(first.get(i), Diffusion.sample(ss.get(i), model, z, 12).x().data(), 0.0, ss.get(i) + " rerun differs");
        }
    }

    @Test
    void everyInverseSolverRerunsBitForBit() {
        List<InverseSolver> solvers = List.of(new InverseSolver.Dps(12, 0.5), new InverseSolver.RedDiff(12, 0.25, 0.1), new InverseSolver.Dds(12, 3, 1, 0.85));
        TreeSet<String> kinds = new TreeSet<>(), covered = new TreeSet<>();
        for (Class<?> c : InverseSolver.class.getPermittedSubclasses()) kinds.add(c.getSimpleName());
        for (InverseSolver s : solvers) covered.add(s.getClass().getSimpleName());
        assertEquals(kinds, covered);
        var vp = NoiseSchedule.vpLinear();
        var mixture = InverseProblem.of("ring", GaussianMixture.ring(8, 1, 0.08), vp, LinearMeasurement.mask(2, 0.05, 0), 256, 5);
        // DPS on a network back-propagates through it: the autodiff VJP must rerun bit for bit too
        var net = new InverseProblem("net", new ScoreNetwork(2, new int[] {32, 32}, 8, 3).model(vp, org.reprolab.diffusion.Prediction.NOISE),
                mixture.measurement(), mixture.y(), mixture.truth(), null, null, mixture.key());
        for (InverseProblem p : List.of(mixture, net)) {
            List<double[]> first = new ArrayList<>();
            for (InverseSolver s : solvers) first.add(s.trace(p).solution());
            for (int i = 0; i < 5; i++) new InverseSolver.Dps(50, 0.5).trace(p); // warm the JIT
            for (int i = 0; i < solvers.size(); i++)
                assertArrayEquals(first.get(i), solvers.get(i).trace(p).solution(), 0.0, solvers.get(i) + " on " + p + " rerun differs");
        }
    }

    /** The interpolant samplers (ODE, forward and backward SDE) on exact mixture fields, 5000 points (parallel chunks). */
    @Test
    void interpolantSamplersRerunBitForBit() {
        var si = MixtureInterpolant.independent(StochasticInterpolant.linear(2), GaussianMixture.twoClusters(), GaussianMixture.ring(8, 1, 0.1));
        List<InterpolantSampler> ss = List.of(InterpolantSampler.ode(), new InterpolantSampler(1), new InterpolantSampler(2, true));
        List<double[]> first = new ArrayList<>();
        for (InterpolantSampler s : ss) first.add(s.sample(si, si.sample(s.startTime(), 5000, RngKey.of(1)), 20, RngKey.of(2)).data());
        for (int i = 0; i < 20; i++) InterpolantSampler.ode().sample(si, si.sample(0, 5000, RngKey.of(1)), 20, RngKey.of(2)); // warm the JIT
        for (int i = 0; i < ss.size(); i++) {
            InterpolantSampler s = ss.get(i);
            assertArrayEquals(first.get(i), s.sample(si, si.sample(s.startTime(), 5000, RngKey.of(1)), 20, RngKey.of(2)).data(), 0.0, s + " rerun differs");
        }
    }

    // ---- masked (discrete) diffusion samplers ---------------------------------------------------

    private static List<MaskedSampler> maskedSamplers() {
        List<MaskedSampler> s = new ArrayList<>();
        for (SamplingPrecision p : SamplingPrecision.values()) {
            s.add(new MaskedSampler.TimeStepped(20, p));
            s.add(new MaskedSampler.FirstHitting(p));
        }
        return s;
    }

    @Test
    void everyMaskedSamplerIsCoveredAndRerunsBitForBit() {
        TreeSet<String> kinds = new TreeSet<>(), covered = new TreeSet<>();
        for (Class<?> c : MaskedSampler.class.getPermittedSubclasses()) kinds.add(c.getSimpleName());
        for (MaskedSampler s : maskedSamplers()) covered.add(s.getClass().getSimpleName());
        assertEquals(kinds, covered);
        MaskedDiffusion model = MaskedDiffusion.of(MarkovSequence.sticky(5, 6, 0.7));
        List<int[][]> first = new ArrayList<>();
        for (MaskedSampler s : maskedSamplers()) first.add(model.sample(s, 200, 4).tokens());
        for (int i = 0; i < 20; i++) model.sample(new MaskedSampler.TimeStepped(20), 200, i); // warm the JIT
        for (int i = 0; i < first.size(); i++)
            assertArrayEquals(first.get(i), model.sample(maskedSamplers().get(i), 200, 4).tokens(), maskedSamplers().get(i) + " rerun differs");
    }
}
