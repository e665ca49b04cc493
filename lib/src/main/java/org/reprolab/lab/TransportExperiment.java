package org.reprolab.lab;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.InterpolantSampler;
import org.reprolab.diffusion.Metrics;
import org.reprolab.diffusion.MixtureInterpolant;
import org.reprolab.random.RngKey;

/**
 * {@code Lab.transport(interpolant)}: generation with a stochastic interpolant between Gaussian mixtures, the ODE
 * against the SDEs of any diffusion coefficient ε (Albergo, Boffi &amp; Vanden-Eijnden 2023: all share the
 * marginals ρ_t). A method is an {@link InterpolantSampler} (sweep {@code "epsilon"}, {@code "reverse"}); every run
 * starts from the same exact samples of ρ at its start time and is checked at {@code checkpoints(k)} equally
 * spaced times against as many exact samples of the marginal ρ_t there ({@link MixtureInterpolant#marginal}):
 * per checkpoint it records {@code sw2} (sliced W2, 128 directions), {@code energy} (energy distance) and the time
 * {@code t}, so {@code runs.plot("t", "sw2")} shows whether the sampled marginals follow ρ_t all the way. A row
 * {@code exact samples} gives the same distances between two independent exact sample sets (at the forward times
 * t = 0, 1/k, ..., 1): the Monte Carlo floor a correct sampler sits on. {@code runs.output(label)} is the run's samples at the checkpoints ({@code Batch[]}).
 */
public final class TransportExperiment extends Experiment<InterpolantSampler, TransportExperiment> {
    static final String FLOOR = "exact samples";
    private final MixtureInterpolant model;
    private int samples = 2000;
    private int steps = 200;
    private final Map<Double, Batch> exact = new ConcurrentHashMap<>();

    TransportExperiment(MixtureInterpolant model) {
        super("transport", "checkpoint", 4, model.toString(), new Methods(InterpolantSampler.class, "an interpolant sampler (InterpolantSampler.ode(), new InterpolantSampler(epsilon))"));
        this.model = java.util.Objects.requireNonNull(model, "model");
    }

    /** The number of samples every run transports (default 2000; the energy distance costs O(n²) per checkpoint). */
    public TransportExperiment samples(int n) {
        this.samples = atLeastOne("samples", n);
        return this;
    }

    /** Integrator steps over the whole interval [0, 1] (default 200): RK4 for the ODE, Euler–Maruyama for the SDEs. */
    public TransportExperiment steps(int n) {
        this.steps = atLeastOne("steps", n);
        return this;
    }

    /** How many equally spaced times after the start each run is measured at (default 4: t = ¼, ½, ¾, 1 forward). */
    public TransportExperiment checkpoints(int k) {
        return budget("checkpoints", k);
    }

    @Override
    String name(InterpolantSampler s, Set<String> swept) {
        String base = swept.contains("epsilon") ? "interpolant" : s.epsilon() == 0 ? "ODE" : "SDE eps=" + Format.value(s.epsilon());
        return s.reverse() && !swept.contains("reverse") ? base + " backward" : base;
    }

    @Override
    List<String> series() {
        return List.of("sw2", "energy", "t");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("sw2"), Metric.lower("energy"));
    }

    @Override
    boolean startsAtZero() {
        return true;
    }

    @Override
    void validate() {
        if (steps % budget() != 0)
            throw new IllegalStateException("transport: steps(" + steps + ") must be a multiple of checkpoints(" + budget() + "), so every checkpoint is a step");
        exact.clear();
    }

    @Override
    Object problem() {
        return model;
    }

    private double[] times(boolean reverse) {
        int k = budget();
        double[] t = new double[k + 1];
        for (int i = 0; i <= k; i++) t[i] = reverse ? 1 - (double) i / k : (double) i / k;
        return t;
    }

    /** Exact samples of ρ_t from key 2 (the runs start from key 1's samples, the floor row compares with key 3's). */
    private Batch exact(double t) {
        return exact.computeIfAbsent(t, u -> model.sample(u, samples, RngKey.of(2)));
    }

    private void record(Recorder rec, Batch x, double t) {
        Batch e = exact(t);
        rec.record(Metrics.slicedWasserstein2(x, e), Metrics.energyDistance(x, e), t);
    }

    @Override
    Map<String, Double> execute(Cell<InterpolantSampler> cell, Recorder rec) {
        InterpolantSampler s = cell.value();
        double[] times = times(s.reverse());
        Batch start = model.sample(times[0], samples, RngKey.of(1));
        Batch[] path = s.path(model, start, times, steps, cell.key());
        for (int i = 0; i < path.length; i++) record(rec, path[i], times[i]);
        keep(cell, path);
        return Map.of("nfe", (double) steps * s.evaluationsPerStep());
    }

    @Override
    List<Run> extraRuns() {
        Recorder rec = new Recorder(series(), capacity(), () -> false);
        long t0 = System.nanoTime();
        for (double t : times(false)) record(rec, model.sample(t, samples, RngKey.of(3)), t);
        return List.of(new Run(FLOOR, Map.of(), 0, rec.status(), budget(), (System.nanoTime() - t0) / 1e6, rec.histories(), Map.of()));
    }
}
