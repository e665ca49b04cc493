package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ProviderStatus;
import org.reprolab.tornado.expr.Expr;

/**
 * The device path of the samplers (issue 16 item 3) against the host path: bit for bit where the model's
 * arithmetic is the same on both (a linear pointwise model), within 1e-12 for the exact mixtures (whose kernel
 * uses the device's {@code exp}; on OpenCL the stochastic samplers' normals come from the device's {@code log} and
 * {@code cos}, to a few ulp of the host's); and on {@code opencl} (PoCL here) a 50-step DPM-Solver++(2M) solve makes exactly
 * two host transfers, the upload before the first step and the download after the last.
 */
class DeviceSamplerTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final List<Sampler> SAMPLERS = List.of(new Sampler.Ddim(), new Sampler.Ddim(0.5), new Sampler.Ddpm(),
            new Sampler.DpmSolverPP(1), new Sampler.DpmSolverPP(2), new Sampler.DpmSolverPP(3), new Sampler.DpmSolverPP(2, false),
            new Sampler.DpmSolverPP2MSde(), new Sampler.DpmSolverPP2MHeavyBall(0.8), new Sampler.EulerMaruyama(),
            new Sampler.DpmSolver(1), new Sampler.DpmSolver(2), new Sampler.DpmSolver(3), new Sampler.DpmSolverPP2S());

    /**
     * {@code prediction = p0·x + p1} per coordinate, on the host in the same order: no transcendental, so the
     * device must reproduce the host's samples exactly (the stage kernels, the conversion, the noise layout).
     */
    record Linear(Prediction prediction) implements DiffusionModel, PointwiseModel {
        public NoiseSchedule schedule() { return VP; }
        public void eval(Batch x, double t, double[] out) {
            double a = 0.3 + 0.2 * t, b = 0.05 * t;
            for (int i = 0; i < out.length; i++) out[i] = a * x.data()[i] + b;
        }
        public java.util.Optional<PointwiseModel> pointwise() { return java.util.Optional.of(this); }
        public int dim() { return 2; }
        public int params() { return 2; }
        public List<Expr> prediction(List<Expr> x, int first) {
            return x.stream().map(v -> Expr.param(first).mul(v).add(Expr.param(first + 1))).toList();
        }
        public void params(double t, double[] out, int offset) {
            out[offset] = 0.3 + 0.2 * t;
            out[offset + 1] = 0.05 * t;
        }
        public boolean bitExactOnJvm() { return true; }
    }

    static Stream<Arguments> samplers() {
        List<Arguments> out = new ArrayList<>();
        for (Sampler s : SAMPLERS) for (int nfe : new int[] {6, 12}) out.add(Arguments.of(s, nfe));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} at {1} NFE")
    @MethodSource("samplers")
    void jvmDeviceGivesTheHostBitsWithALinearModel(Sampler s, int nfe) {
        Batch z = Batch.normal(301, 2, 3);
        for (Prediction p : new Prediction[] {Prediction.NOISE, Prediction.DATA}) {
            DiffusionModel m = new Linear(p);
            SampleResult host = Diffusion.sample(s, m, z, nfe, SampleOptions.defaults().seed(7), null);
            SampleResult dev = Diffusion.sample(s, m, z, nfe, SampleOptions.defaults().seed(7), Devices.get("jvm"));
            assertArrayEquals(host.x().data(), dev.x().data(), 0, s + " " + p);
            assertEquals(host.nfe(), dev.nfe());
        }
    }

    @Test
    void theDefaultPathKeepsABitExactModelOnTheJvmDeviceAndAMixtureOnTheHost() {
        Device jvm = Devices.get("jvm");
        Batch z = Batch.normal(100, 2, 3);
        for (Sampler s : List.of(new Sampler.DpmSolverPP(2), new Sampler.Ddim(0.5), new Sampler.DpmSolver(3))) {
            DiffusionModel lin = new Linear(Prediction.NOISE);
            long before = jvm.hostTransfers();
            SampleResult byDefault = Diffusion.sample(s, lin, z, 12);
            assertEquals(2, jvm.hostTransfers() - before, s + ": the default path uploads and downloads once on the jvm device");
            assertArrayEquals(Diffusion.sampleOnHost(s, lin, z, 12, SampleOptions.defaults()).x().data(), byDefault.x().data(), 0, s + " default vs host");
            DiffusionModel mix = GaussianMixture.twoClusters().model(VP);
            before = jvm.hostTransfers();
            SampleResult mixDefault = Diffusion.sample(s, mix, z, 12);
            assertEquals(0, jvm.hostTransfers() - before, s + ": a mixture is not bit-exact on the jvm device, so it stays on the host");
            assertArrayEquals(Diffusion.sampleOnHost(s, mix, z, 12, SampleOptions.defaults()).x().data(), mixDefault.x().data(), 0, s + " mixture default vs host");
        }
    }

    @ParameterizedTest(name = "{0} at {1} NFE")
    @MethodSource("samplers")
    void mixturesOnTheJvmDeviceMatchTheHost(Sampler s, int nfe) {
        Batch z = Batch.normal(500, 2, 1);
        for (DiffusionModel m : List.of(GaussianMixture.ring(8, 1, 0.08).denoiser(VP), GaussianMixture.ring(8, 1, 0.08).model(VP),
                GaussianMixture.twoClusters().denoiser(VP), GaussianMixture.twoClusters().model(VP))) {
            double[] host = Diffusion.sample(s, m, z, nfe, SampleOptions.defaults(), null).x().data();
            double[] dev = Diffusion.sample(s, m, z, nfe, SampleOptions.defaults(), Devices.get("jvm")).x().data();
            assertClose(host, dev, 1e-12, s + " on " + m.prediction());
        }
    }

    @Test
    void theMixtureKernelIsTheHostPosterior() {
        Batch x = Batch.normal(1000, 2, 5);
        for (GaussianMixture g : List.of(GaussianMixture.ring(8, 1, 0.08), GaussianMixture.twoClusters()))
            for (DiffusionModel m : List.of(g.denoiser(VP), g.model(VP)))
                for (double t : new double[] {1, 0.5, 0.05, 1e-3}) {
                    double[] host = new double[x.data().length];
                    m.eval(x, t, host);
                    Run r = new Run(m, x.n(), x.dim(), 0);
                    try (DeviceRun d = new DeviceRun(Devices.get("jvm"), r, m.pointwise().orElseThrow(), m.prediction())) {
                        var out = d.allocate();
                        d.predict(d.upload(x.data()), t, out);
                        assertClose(host, d.download(out), 1e-13, m.prediction() + " at t = " + t);
                    }
                }
    }

    static Device openCl() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElse(null);
        assumeTrue(s != null, "no opencl provider on the class path");
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        assumeTrue(s.device().capabilities().fp64(), "the OpenCL device has no fp64");
        return s.device();
    }

    @Test
    void aFiftyStepSolveOnOpenClMakesNoHostTransferBetweenItsFirstAndLastStep() {
        Device cl = openCl();
        DiffusionModel m = GaussianMixture.ring(8, 1, 0.08).denoiser(VP);
        Batch z = Batch.normal(4000, 2, 2);
        long before = cl.hostTransfers();
        SampleResult r = Diffusion.sample(new Sampler.DpmSolverPP(2), m, z, 50, SampleOptions.defaults(), cl);
        assertEquals(50, r.nfe());
        assertEquals(2, cl.hostTransfers() - before, "one upload before the first step, one download after the last");
        assertClose(Diffusion.sample(new Sampler.DpmSolverPP(2), m, z, 50, SampleOptions.defaults(), null).x().data(), r.x().data(), 1e-11, "opencl vs host");
    }

    @ParameterizedTest(name = "{0} at {1} NFE")
    @MethodSource("samplers")
    void openClMatchesTheHost(Sampler s, int nfe) {
        Device cl = openCl();
        Batch z = Batch.normal(257, 2, 4);
        DiffusionModel lin = new Linear(Prediction.NOISE), mix = GaussianMixture.twoClusters().model(VP);
        assertClose(Diffusion.sample(s, lin, z, nfe, SampleOptions.defaults(), null).x().data(),
                Diffusion.sample(s, lin, z, nfe, SampleOptions.defaults(), cl).x().data(), s.stochastic() ? 1e-12 : 1e-14, s + " linear");
        assertClose(Diffusion.sample(s, mix, z, nfe, SampleOptions.defaults(), null).x().data(),
                Diffusion.sample(s, mix, z, nfe, SampleOptions.defaults(), cl).x().data(), 1e-11, s + " mixture");
    }

    @Test
    void theJvmDeviceCountsItsTransfers() {
        Device jvm = Devices.get("jvm");
        long before = jvm.hostTransfers();
        SampleResult r = Diffusion.sample(new Sampler.DpmSolverPP(2), GaussianMixture.ring(8, 1, 0.08).denoiser(VP), Batch.normal(64, 2, 0), 20,
                SampleOptions.defaults(), jvm);
        assertEquals(20, r.nfe());
        assertEquals(2, jvm.hostTransfers() - before);
    }

    static void assertClose(double[] want, double[] got, double tol, String what) {
        assertEquals(want.length, got.length, what);
        double worst = 0;
        for (int i = 0; i < want.length; i++) worst = Math.max(worst, Math.abs(want[i] - got[i]));
        assertTrue(worst <= tol, what + ": max |diff| " + worst + " > " + tol);
    }
}
