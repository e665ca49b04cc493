package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reprolab.diffusion.Categorical;
import org.reprolab.diffusion.MarkovSequence;
import org.reprolab.diffusion.MaskedDiffusion;
import org.reprolab.diffusion.MaskedSampler;
import org.reprolab.diffusion.MaskedSamples;
import org.reprolab.diffusion.SamplingPrecision;

/**
 * {@code Lab.unmask(target or model)}: samplers of a masked (absorbing-state) diffusion model compared by the law of
 * what they generate (Zheng et al. 2024: the first-hitting sampler against the time-stepped one, and categorical
 * sampling in float32 against float64). One run draws {@code samples(n)} sequences with one sampler and records
 * {@code tv} and {@code kl} (the empirical law against the target's, when there is one) and {@code token_entropy}
 * (the plug-in entropy of all generated tokens: the diversity that low-precision Gumbel noise lowers); its scalars
 * are {@code nfe} and {@code draws}, network calls and categorical draws per sequence. With {@code exact()} each run
 * also gets {@code exact_tv} and {@code exact_kl}, the distances of the sampler's exact law (dynamic programming,
 * float64) to the target, free of sampling noise. A target adds the row "exact samples": ancestral samples of the
 * target itself, the sampling-noise floor of {@code tv} and {@code kl}. {@code sweep("steps", ...)} sets the
 * time-stepped sampler's steps (the first-hitting sampler has none: it takes one per token),
 * {@code sweep("precision", SamplingPrecision.FLOAT32, ...)} every sampler's precision.
 */
public final class UnmaskExperiment extends Experiment<MaskedSampler, UnmaskExperiment> {
    private static final String STEPS = "steps";
    private final MaskedDiffusion model;
    private MarkovSequence target;
    private int samples = 10_000;
    private boolean exact;

    UnmaskExperiment(MaskedDiffusion model, String title) {
        super("unmask", "run", 1, title, new Methods(MaskedSampler.class,
                "a masked-diffusion sampler (new MaskedSampler.TimeStepped(steps) or new MaskedSampler.FirstHitting())"));
        this.model = Objects.requireNonNull(model, "model");
    }

    static UnmaskExperiment of(MarkovSequence target) {
        return new UnmaskExperiment(MaskedDiffusion.of(target), "Markov chain (V=" + target.vocabulary() + ", L=" + target.length() + ")").against(target);
    }

    /** Sequences per run (default 10 000). */
    public UnmaskExperiment samples(int n) {
        this.samples = atLeastOne("samples", n);
        return this;
    }

    /** The exact law the samples are compared with: adds {@code tv}, {@code kl} and the "exact samples" row. */
    public UnmaskExperiment against(MarkovSequence target) {
        if (target.vocabulary() != model.vocabulary() || target.length() != model.length()) {
            throw new IllegalArgumentException("unmask: the target has V=" + target.vocabulary() + ", L=" + target.length() + ", the model V="
                    + model.vocabulary() + ", L=" + model.length());
        }
        this.target = target;
        return this;
    }

    /** Also computes every sampler's exact law ({@link MaskedDiffusion#law}): scalars {@code exact_tv}, {@code exact_kl}. */
    public UnmaskExperiment exact() {
        this.exact = true;
        return this;
    }

    @Override
    void validate() {
        if (exact && target == null) throw new IllegalStateException("unmask: exact() compares exact laws with the target; give it with against(chain)");
    }

    @Override
    String name(MaskedSampler method, Set<String> swept) {
        String precision = swept.contains("precision") || method.precision() == SamplingPrecision.FLOAT64 ? "" : " (" + method.precision() + ")";
        return switch (method) {
            case MaskedSampler.TimeStepped ts -> (swept.contains(STEPS) ? "time-stepped" : "time-stepped N=" + ts.steps()) + precision;
            case MaskedSampler.FirstHitting fh -> "first-hitting" + precision;
        };
    }

    @Override
    MaskedSampler with(MaskedSampler method, String name, Object value) {
        if (name.equals(STEPS) && method instanceof MaskedSampler.FirstHitting) return method;
        return RecordParameters.with(method, name, value);
    }

    @Override
    List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        if (target != null) {
            m.add(Metric.lower("tv"));
            m.add(Metric.lower("kl"));
        }
        m.add(Metric.higher("token_entropy"));
        return m;
    }

    @Override
    Map<String, Double> execute(Cell<MaskedSampler> cell, Recorder rec) {
        MaskedSamples s = model.sample(cell.value(), samples, TrainExperiment.seedOf(cell.key()));
        rec.record(measure(s.tokens()));
        keep(cell, s);
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("nfe", s.nfe());
        scalars.put("draws", s.draws());
        if (exact) {
            double[] law = model.law(cell.value());
            scalars.put("exact_tv", target.totalVariation(law));
            scalars.put("exact_kl", target.klDivergence(law));
        }
        return scalars;
    }

    private double[] measure(int[][] tokens) {
        double entropy = Categorical.entropy(tokens, model.vocabulary());
        return target == null ? new double[] {entropy} : new double[] {target.totalVariation(tokens), target.klDivergence(tokens), entropy};
    }

    @Override
    List<Run> extraRuns() {
        if (target == null) return List.of();
        long t0 = System.nanoTime();
        double[] values = measure(target.sample(samples, 0));
        Map<String, double[]> history = new LinkedHashMap<>();
        List<Metric> metrics = metrics();
        for (int i = 0; i < values.length; i++) history.put(metrics.get(i).name(), new double[] {values[i]});
        return List.of(new Run("exact samples", Map.of(), 0, Run.Status.COMPLETE, 1, (System.nanoTime() - t0) / 1e6, history, Map.of()));
    }
}
