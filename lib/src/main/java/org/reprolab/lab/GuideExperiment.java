package org.reprolab.lab;

import java.util.Set;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.Guider;
import org.reprolab.diffusion.Sampler;

/**
 * {@code Lab.guide(cond, uncond)}: guidance methods × scales on a conditional and an unconditional model, every
 * run with one sampler (default DPM-Solver++(2M)) at one budget (default 20 NFE) from the same noise, and a fresh
 * guided model per run. Sweep the scale with {@code sweep("w", ...)} (or any component of the guiders:
 * {@code eta}, {@code normThreshold}, {@code momentum}); measure the samples with {@code measure(...)} and
 * {@code against(...)}.
 */
public final class GuideExperiment extends SamplingExperiment<Guider, GuideExperiment> {
    private final DiffusionModel cond, uncond;
    private Sampler sampler = new Sampler.DpmSolverPP(2);

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

    @Override
    Draw draw(Guider method) {
        return new Draw(sampler, method.guide(cond, uncond));
    }

    @Override
    boolean hasReference() {
        return false;
    }

    @Override
    String name(Guider method, Set<String> swept) {
        return switch (method) {
            case Guider.Cfg c -> RecordParameters.differences("CFG", c, null, swept);
            case Guider.Apg a -> RecordParameters.differences("APG", a,
                    new Guider.Apg(Double.NaN, 1, Double.POSITIVE_INFINITY, 0, false), swept);
        };
    }
}
