package org.reprolab.diffusion;

import org.reprolab.ode.solvers.StateOps;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;

/**
 * Sampling diffusion models: the one entry point for every {@link Sampler}.
 *
 * <pre>{@code
 * var target = GaussianMixture.ring(8, 1, 0.08);
 * var model = target.model(NoiseSchedule.vpLinear());          // exact ε̂ of the diffused mixture
 * var z = Batch.normal(4000, 2, 0);                           // the same noise for every sampler
 * var ref = ProbabilityFlowOde.reference(model, z);           // DOP853, rtol = atol = 1e-11
 * for (Sampler s : List.of(new Sampler.Ddim(), new Sampler.DpmSolverPP(2), new Sampler.UniPC(2, BH2)))
 *     Metrics.endpointError(Diffusion.sample(s, model, z, 10).x(), ref.x()).mean();
 * }</pre>
 *
 * The noise {@code z} is a standard normal batch; the sampler starts at {@code x_T = priorStd·z} (1 for VP,
 * σ_max for VE/EDM), so two samplers given the same z solve the same ODE.
 */
public final class Diffusion {
    private Diffusion() {}

    /** Samples with the default grid and interval of the model's schedule and seed 0, where {@link #sample(Sampler, DiffusionModel, Batch, int, SampleOptions)} does. */
    public static SampleResult sample(Sampler sampler, DiffusionModel model, Batch noise, int nfe) {
        return sample(sampler, model, noise, nfe, SampleOptions.defaults());
    }

    /**
     * Samples where the result is the host's bit for bit and the batch can stay on a device (issue 16 item 3): on the
     * {@code jvm} device when the sampler has a device form and the model is {@link PointwiseModel#bitExactOnJvm()
     * bit-exact there}, otherwise on the host ({@link #sampleOnHost}). Either way the samples are the host path's.
     */
    public static SampleResult sample(Sampler sampler, DiffusionModel model, Batch noise, int nfe, SampleOptions options) {
        boolean exact = model.pointwise().map(PointwiseModel::bitExactOnJvm).orElse(false);
        return sample(sampler, model, noise, nfe, options, exact ? Devices.get("jvm") : null);
    }

    /**
     * Samples on the host, over {@code double[]} batches: every sampler, every model, the bits of earlier releases
     * (tests assert identities between samplers bit for bit on this path).
     */
    public static SampleResult sampleOnHost(Sampler sampler, DiffusionModel model, Batch noise, int nfe, SampleOptions options) {
        return sample(sampler, model, noise, nfe, options, null);
    }

    /**
     * Samples with the batch resident on {@code device} for the whole solve when the sampler has a device form
     * (Euler–Maruyama, DDIM/DDPM, singlestep DPM-Solver 1–3 and DPM-Solver++(2S), DPM-Solver++ 1/2M/3M,
     * SDE-DPM-Solver++(2M), 2M with heavy-ball momentum) and the model is {@link DiffusionModel#pointwise()
     * pointwise} (the exact mixture targets): one model kernel per evaluation, one fused kernel per step, no host
     * transfer between the first and the last step ({@link Device#hostTransfers()} counts two: the upload and the
     * download). Other samplers and models run on the host, as do all when {@code device} is null. With the same
     * model outputs the two paths give the same bits; the mixture kernel's {@code exp} is the device's (within an
     * ulp of {@code Math.exp}), so endpoints agree to about 1e-14 (on the jvm device 5–75% of a 1000-point batch's
     * coordinates differ, by at most about 1e-13), e.g. {@code Diffusion.sample(s, model, z, 10, SampleOptions.defaults(), Devices.get("opencl"))}.
     */
    public static SampleResult sample(Sampler sampler, DiffusionModel model, Batch noise, int nfe, SampleOptions options, Device device) {
        if (sampler instanceof Sampler.SolverScheduleSearch p)   // the searched schedule brings its own steps and grid
            return sample(SolverSearch.search(model, p.points(), nfe, p.candidates(), p.seed(), options), model, noise, nfe, options, device);
        NoiseSchedule s = model.schedule();
        double t0 = Double.isNaN(options.tStart()) ? s.tStart() : options.tStart();
        double t1 = Double.isNaN(options.tEnd()) ? s.tEnd() : options.tEnd();
        TimeGrid grid = options.grid() != null ? options.grid() : sampler.defaultGrid();
        int steps = sampler.steps(nfe);
        Run r = new Run(model, noise.n(), noise.dim(), options.seed());
        double[] x = noise.data().clone();
        double prior = s.priorStd();
        for (int i = 0; i < x.length; i++) x[i] *= prior;
        double[] ts;
        int[] orders = null;
        if (sampler instanceof Sampler.DpmSolver(int order)) {
            orders = Singlestep.orders(order, nfe);
            ts = Singlestep.times(s, grid, t0, t1, orders, nfe);
        } else if (sampler instanceof Sampler.DpmSolverPP2S) {
            orders = Singlestep.orders(2, nfe);
            ts = Singlestep.times(s, grid, t0, t1, orders, nfe);
        } else if (sampler instanceof Sampler.ProbabilityFlow pf && pf.tableau().adaptive()) {
            ts = new double[] {t0, t1};
        } else ts = grid.times(s, t0, t1, steps);
        Prediction want = onDevice(sampler);
        if (device != null && want != null && DeviceRun.supports(model, want) && model.pointwise().get().dim() == noise.dim()) {
            try (DeviceRun d = new DeviceRun(device, r, model.pointwise().get(), want)) {
                double[] out = switch (sampler) {
                    case Sampler.EulerMaruyama _ -> FirstOrder.eulerMaruyamaOnDevice(d, x, ts);
                    case Sampler.DpmSolver _ -> d.download(Singlestep.dpmSolver(r, d.predictions(), d.ops(), d.state(d.upload(x)), ts, orders));
                    case Sampler.DpmSolverPP2S _ -> d.download(Singlestep.dpmSolverPP2S(r, d.predictions(), d.ops(), d.state(d.upload(x)), ts, orders));
                    case Sampler.Ddpm _ -> FirstOrder.ddimOnDevice(d, x, ts, 1);
                    case Sampler.Ddim dd -> FirstOrder.ddimOnDevice(d, x, ts, dd.eta());
                    case Sampler.DpmSolverPP dp -> Multistep.onDevice(d, x, ts, dp.order(), dp.lowerOrderFinal(), Multistep.Kind.ODE, 1);
                    case Sampler.DpmSolverPP2MHeavyBall hb -> Multistep.onDevice(d, x, ts, 2, false, Multistep.Kind.HEAVY_BALL, hb.beta());
                    default -> Multistep.onDevice(d, x, ts, 2, true, Multistep.Kind.SDE, 1);
                };
                for (double v : out) if (!Double.isFinite(v)) throw new IllegalStateException("sampler diverged: non-finite state after " + r.nfe + " evaluations on " + device.name());
                return new SampleResult(noise.with(out), r.nfe, ts);
            }
        }
        double[] out = switch (sampler) {
            case Sampler.EulerMaruyama em -> FirstOrder.eulerMaruyama(r, x, ts);
            case Sampler.PredictorCorrector pc -> FirstOrder.predictorCorrector(r, x, ts, pc.snr(), pc.correctorSteps(), nfe);
            case Sampler.Ddpm d -> FirstOrder.ddim(r, x, ts, 1);
            case Sampler.Ddim d -> FirstOrder.ddim(r, x, ts, d.eta());
            case Sampler.Plms p -> Adams.plms(r, x, ts);
            case Sampler.DpmSolver d -> Singlestep.dpmSolver(r, r.predictions(), StateOps.doubles(), x, ts, orders);
            case Sampler.DpmSolverPP2S d -> Singlestep.dpmSolverPP2S(r, r.predictions(), StateOps.doubles(), x, ts, orders);
            case Sampler.DpmSolverPP d -> Multistep.run(r, x, ts, d.order(), d.lowerOrderFinal(), Multistep.Kind.ODE, 1);
            case Sampler.DpmSolverPP2MSde d -> Multistep.run(r, x, ts, 2, true, Multistep.Kind.SDE, 1);
            case Sampler.DpmSolverPP2MHeavyBall d -> Multistep.run(r, x, ts, 2, false, Multistep.Kind.HEAVY_BALL, d.beta());
            case Sampler.UniPC u -> UniPc.run(r, x, ts, u.order(), u.variant(), u.lowerOrderFinal());
            case Sampler.DcSolver d -> UniPc.run(r, x, ts, d.order(), d.variant(), true, d.ratios(), ts.length - 1);
            case Sampler.DcSolverSearch d -> UniPc.run(r, x, ts, d.order(), d.variant(), true,
                    DynamicCompensation.search(d.order(), d.variant(), model, d.points(), steps, options), ts.length - 1);
            case Sampler.SolverSchedule p -> UniPc.run(r, x, ts, p.steps(), null, ts.length - 1);
            case Sampler.SolverScheduleSearch p -> throw new AssertionError("a solver search is resolved before planning");
            case Sampler.EdmHeun e -> EdmSampler.run(r, x, ts, e, nfe % 2 == 1 ? 1 : 2);
            case Sampler.Ghvb g -> Adams.ghvb(r, x, ts, g.order());
            case Sampler.ProbabilityFlow pf -> pf.tableau().adaptive()
                    ? ProbabilityFlowOde.adaptive(r, x, t0, t1, pf.tableau(), pf.rtol(), pf.atol())
                    : ProbabilityFlowOde.fixed(r, x, ts, pf.tableau());
        };
        return new SampleResult(noise.with(out), r.nfe, ts);
    }

    /** The prediction a sampler with a device form steps with, or null when it runs on the host only. */
    private static Prediction onDevice(Sampler sampler) {
        return switch (sampler) {
            case Sampler.EulerMaruyama _, Sampler.Ddpm _, Sampler.Ddim _, Sampler.DpmSolver _ -> Prediction.NOISE;
            case Sampler.DpmSolverPP2S _, Sampler.DpmSolverPP _, Sampler.DpmSolverPP2MSde _, Sampler.DpmSolverPP2MHeavyBall _ -> Prediction.DATA;
            default -> null;
        };
    }
}
