package org.reprolab.lab;

import java.util.Set;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.Guider;
import org.reprolab.diffusion.Prediction;
import org.reprolab.diffusion.ProbabilityFlowOde;
import org.reprolab.diffusion.Sampler;

/**
 * {@code Lab.guide(cond, uncond)}: guidance methods × scales on a conditional and an unconditional model, every
 * run with one sampler (default DPM-Solver++(2M)) at one budget (default 20 NFE) from the same noise, and a fresh
 * guided model per run. Sweep the scale with {@code sweep("w", ...)} (or any component of the guiders:
 * {@code eta}, {@code normThreshold}, {@code momentum}, {@code threshold}); measure the samples with
 * {@code measure(...)} and {@code against(...)}, and their endpoint error against the exact guided path with
 * {@link #exact()}. Every run records {@code network_nfe}, the evaluations of the two networks per point: twice the
 * sampler's NFE for CFG and APG, fewer for adaptive guidance (Castillo et al. 2023), which drops the unconditional one.
 */
public final class GuideExperiment extends SamplingExperiment<Guider, GuideExperiment> {
    private final DiffusionModel cond, uncond;
    private Sampler sampler = new Sampler.DpmSolverPP(2);
    private boolean exact;
    private final java.util.Map<Guider, Batch> references = new java.util.concurrent.ConcurrentHashMap<>();

    GuideExperiment(DiffusionModel cond, DiffusionModel uncond) {
        super("guide", "guidance", 0, 20, new Methods(Guider.class, "a guidance method (a Guider such as Guider.cfg(3))"));
        this.cond = java.util.Objects.requireNonNull(cond, "conditional model");
        this.uncond = java.util.Objects.requireNonNull(uncond, "unconditional model");
        Guider.cfg(1).guide(cond, uncond); // checks schedule and prediction type now
    }

    /** The sampler of every run (default DPM-Solver++(2M)). */
    public GuideExperiment sampler(Sampler s) {
        this.sampler = java.util.Objects.requireNonNull(s, "sampler");
        return this;
    }

    /**
     * Adds the endpoint errors ({@code error}, {@code median_error}): each run's samples against an accurate
     * probability-flow ODE solve (DOP853, tolerance 1e-11) from the same noise of the guidance it approximates,
     * {@link Guider#target()} — itself, or for adaptive guidance the CFG of the same scale. Not for APG with momentum,
     * whose buffer makes the path depend on the steps taken.
     */
    public GuideExperiment exact() {
        this.exact = true;
        return this;
    }

    @Override
    Draw draw(Guider method) {
        long[] points = new long[1];
        DiffusionModel c = counted(cond, points), u = counted(uncond, points);
        return new Draw(sampler, method.guide(c, u), () -> points[0] / (double) noise().n());
    }

    /** {@code m} adding the number of points of every evaluation to {@code points[0]}. */
    private static DiffusionModel counted(DiffusionModel m, long[] points) {
        return DiffusionModel.of(m.schedule(), m.prediction(), (x, t, out) -> {
            points[0] += x.n();
            m.eval(x, t, out);
        });
    }

    @Override
    boolean hasReference() {
        return exact;
    }

    @Override
    Batch referenceEndpoints(Guider method) {
        Guider target = method.target();
        if (target instanceof Guider.Apg a && a.momentum() != 0) {
            throw new IllegalArgumentException("guide: exact() has no step-independent target for APG with momentum " + a.momentum());
        }
        return references.computeIfAbsent(target, g -> ProbabilityFlowOde.reference(g.guide(cond, uncond), noise()).x());
    }

    @Override
    String name(Guider method, Set<String> swept) {
        return switch (method) {
            case Guider.Cfg c -> RecordParameters.differences("CFG", c, null, swept);
            case Guider.Apg a -> RecordParameters.differences("APG", a,
                    new Guider.Apg(Double.NaN, 1, Double.POSITIVE_INFINITY, 0, false), swept);
            case Guider.Adaptive a -> RecordParameters.differences("AG", a, new Guider.Adaptive(Double.NaN, 1, Prediction.NOISE), swept);
        };
    }
}
