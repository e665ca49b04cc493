package org.reprolab.lab;

import java.util.Set;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.ProbabilityFlowOde;
import org.reprolab.diffusion.Sampler;
import org.reprolab.random.RngKey;

/**
 * {@code Lab.sample(target or model)}: samplers × NFE budgets on one model, from the same noise. On a
 * {@link GaussianMixture} target the model is its exact ε̂, so the endpoint error against the accurate ODE solve
 * (DOP853, tolerance 1e-11, {@link ProbabilityFlowOde#reference}) is pure discretisation error, and the samples are
 * also compared with exact samples of the target's marginal at the end time ({@code sw2}). On any other model
 * (a trained network) the runs measure what is asked: {@code against(samples)}, {@code measure(...)}, and with
 * {@code reference()} the endpoint error against the model's own ODE solve.
 */
public final class SampleExperiment extends SamplingExperiment<Sampler, SampleExperiment> {
    private final DiffusionModel model;
    private boolean withReference;
    private Batch reference;
    private Batch referenceNoise;
    private GaussianMixture target;
    private NoiseSchedule schedule;

    SampleExperiment(DiffusionModel model, String title, int dim) {
        super("sample", title, dim, 10, new Methods(Sampler.class, "a sampler (a Sampler such as new Sampler.Ddim())"));
        this.model = java.util.Objects.requireNonNull(model, "model");
    }

    static SampleExperiment of(GaussianMixture target, NoiseSchedule schedule) {
        var e = new SampleExperiment(target.model(schedule), target.components() + "-component mixture", target.dim());
        e.withReference = true;
        e.target = target;
        e.schedule = schedule;
        return e;
    }

    /** Also measures the endpoint error against the model's own accurate ODE solve from the same noise (costly for a network). */
    public SampleExperiment reference() {
        this.withReference = true;
        return this;
    }

    @Override
    Draw draw(Sampler method) {
        return new Draw(method, model);
    }

    @Override
    boolean hasReference() {
        return withReference;
    }

    @Override
    Batch referenceEndpoints(Sampler method) {
        return reference;
    }

    @Override
    boolean hasComparison() {
        return target != null || super.hasComparison();
    }

    @Override
    void validate() {
        if (target != null && !againstGiven) {
            // exact samples of p_tEnd, as many as noise points, from a key (5) independent of the noise
            against = target.sampleMarginal(schedule, schedule.tEnd(), noise().n(), RngKey.of(5));
        }
        super.validate();
        if (withReference && referenceNoise != noise()) {
            reference = ProbabilityFlowOde.reference(model, noise()).x();
            referenceNoise = noise();
        }
    }

    @Override
    String name(Sampler method, Set<String> swept) {
        return SamplerNames.name(method, swept);
    }
}
