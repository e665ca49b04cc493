package org.reprolab.lab;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.Metrics;
import org.reprolab.diffusion.SampleOptions;
import org.reprolab.diffusion.SampleResult;
import org.reprolab.diffusion.Sampler;
import org.reprolab.diffusion.TimeGrid;
import org.reprolab.tornado.Devices;

/**
 * What the diffusion pillars share ({@code Lab.sample}, {@code Lab.guide}): one run draws samples from the
 * same starting noise with one sampler at one NFE budget and measures them — the endpoint error against an
 * accurate probability-flow ODE solve from that noise (when there is one), the sliced W2 distance to
 * comparison samples (when given), and any user measure. The NFE budgets are a sweep axis ({@code nfe}), so the
 * table has one row per method × budget with its wall time and the NFE actually spent, and
 * {@code runs.plot("nfe", "error")} draws error against budget; with an endpoint error, each row after the
 * first budget carries the measured order between it and the previous budget. A second sweep axis every
 * method accepts is {@code grid} ("logSNR", "time-uniform", "time-quadratic", "karras").
 *
 * @param <M> what the pillar compares (samplers, guiders)
 * @param <E> the pillar's own type
 */
abstract class SamplingExperiment<M, E extends SamplingExperiment<M, E>> extends Experiment<M, E> {
    static final String NFE = "nfe", GRID = "grid";

    private Batch noise;
    private int[] budgets;
    private Object grid;
    Batch against;
    boolean againstGiven;
    private String orderFrom = "error";
    private final List<Metric> measured = new ArrayList<>();
    private final List<ToDoubleFunction<Batch>> measures = new ArrayList<>();

    /** {@code dim} > 0 gives the default noise {@code Batch.normal(1000, dim, 0)}; 0 (a model of unknown dimension) requires {@link #noise}. */
    SamplingExperiment(String pillar, String title, int dim, int defaultNfe, Methods methods) {
        super(pillar, "run", 1, title, methods);
        if (dim > 0) this.noise = Batch.normal(1000, dim, 0);
        this.budgets = new int[] {defaultNfe};
    }

    @SuppressWarnings("unchecked")
    private E me() {
        return (E) this;
    }

    /** The NFE budgets every method runs at; two or more make the {@code nfe} sweep axis (rows, curves, orders). */
    public final E nfe(int... budgets) {
        if (budgets.length == 0) throw new IllegalArgumentException(pillar() + ": nfe(...) needs at least one budget");
        for (int b : budgets) if (b <= 0) throw new IllegalArgumentException(pillar() + ": nfe must be > 0, got " + b);
        this.budgets = budgets.clone();
        if (budgets.length > 1) sweep(NFE, Arrays.stream(budgets).boxed().toArray());
        return me();
    }

    /**
     * The standard-normal noise every run starts from, the same for every method and seed (seeds change only
     * the random stream of stochastic samplers). Default for a mixture: {@code Batch.normal(1000, dim, 0)}.
     */
    public final E noise(Batch z) {
        if (noise != null && z.dim() != noise.dim()) throw new IllegalArgumentException(pillar() + ": noise is " + z.dim() + "-dimensional, the target " + noise.dim());
        this.noise = java.util.Objects.requireNonNull(z, "noise");
        return me();
    }

    /** The time grid of every run (default: each sampler's own, logSNR-uniform); a name as in {@code sweep("grid", ...)} or a {@link TimeGrid}. */
    public final E grid(Object grid) {
        timeGrid(grid);
        this.grid = grid;
        return me();
    }

    /** Samples to compare with: adds the metric {@code sw2}, sliced W2 (128 directions) from the run's samples. */
    public final E against(Batch samples) {
        this.against = java.util.Objects.requireNonNull(samples, "samples");
        this.againstGiven = true;
        return me();
    }

    /** A number computed from each run's samples, recorded as metric {@code name} (lower is better). */
    public final E measure(String name, ToDoubleFunction<Batch> f) {
        return measure(Metric.lower(name), f);
    }

    /** The same with the metric's direction: {@code measure(new Metric("class_accuracy", false), x -> ...)}. */
    public final E measure(Metric metric, ToDoubleFunction<Batch> f) {
        if (metric.name().isBlank() || series().contains(metric.name())) throw new IllegalArgumentException(pillar() + ": measure name '" + metric.name() + "' is empty or taken");
        measured.add(metric);
        measures.add(java.util.Objects.requireNonNull(f, "measure"));
        return me();
    }

    /** Which endpoint error the measured orders use: "error" (mean, default) or "median_error". */
    public final E orderFrom(String metric) {
        if (!metric.equals("error") && !metric.equals("median_error")) throw new IllegalArgumentException(pillar() + ": orders come from 'error' or 'median_error', got " + metric);
        this.orderFrom = metric;
        return me();
    }

    // ---- what the concrete pillar says ----

    /**
     * What one run of {@code method} samples with: the sampler and the (possibly guided) model; with
     * {@code networkEvaluations}, the network evaluations per point the run spent (recorded as scalar
     * {@code network_nfe}; a guided model calls two networks per sampler evaluation, adaptive guidance fewer).
     */
    record Draw(Sampler sampler, DiffusionModel model, java.util.function.DoubleSupplier networkEvaluations) {
        Draw(Sampler sampler, DiffusionModel model) {
            this(sampler, model, null);
        }
    }

    /** The sampler and model a run of {@code method} uses (a fresh model per run: a guided model keeps state). */
    abstract Draw draw(M method);

    /**
     * The accurate endpoints of {@code method}'s runs from {@link #noise} at {@code nfe} with {@code options}, or
     * null when there is no endpoint error.
     */
    Batch referenceEndpoints(M method, int nfe, SampleOptions options) {
        return null;
    }

    final Batch noise() {
        return noise;
    }

    @Override
    final List<String> series() {
        return metrics().stream().map(Metric::name).toList();
    }

    @Override
    final List<Metric> metrics() {
        List<Metric> m = new ArrayList<>();
        if (hasReference()) {
            m.add(Metric.lower("error"));
            m.add(Metric.lower("median_error"));
        }
        if (hasComparison()) m.add(Metric.lower("sw2"));
        m.addAll(measured);
        return m;
    }

    /** Whether runs measure sliced W2 to comparison samples (set by {@link #against}, or by the pillar). */
    boolean hasComparison() {
        return against != null;
    }

    /** Whether runs measure the endpoint error (fixed before anything runs). */
    abstract boolean hasReference();

    @Override
    void validate() {
        if (noise == null) throw new IllegalStateException(pillar() + ": give the starting noise with noise(Batch.normal(n, dim, seed))");
        if (against != null && against.dim() != noise.dim()) {
            throw new IllegalArgumentException(pillar() + ": against(...) samples are " + against.dim() + "-dimensional, the noise " + noise.dim());
        }
        if (metrics().isEmpty()) {
            throw new IllegalStateException(pillar() + ": nothing to measure; give comparison samples with against(...) or a measure(...)");
        }
    }

    @Override
    final M with(M method, String name, Object value) {
        if (name.equals(NFE)) return method;
        if (name.equals(GRID)) {
            timeGrid(value);
            return method;
        }
        return RecordParameters.with(method, name, value);
    }

    @Override
    final Map<String, Double> execute(Cell<M> cell, Recorder rec) {
        int nfe = cell.point().get(NFE) instanceof Number n ? n.intValue() : budgets[0];
        Object g = cell.point().getOrDefault(GRID, grid);
        SampleOptions options = SampleOptions.defaults().seed(TrainExperiment.seedOf(cell.key()));
        if (g != null) options = options.grid(timeGrid(g));
        SampleResult r;
        Draw d;
        try {
            d = draw(cell.value());
            r = cell.device() == null ? Diffusion.sample(d.sampler(), d.model(), noise, nfe, options)   // the jvm device where bit-exact, else the host
                    : Diffusion.sample(d.sampler(), d.model(), noise, nfe, options, Devices.get(cell.device()));
        } catch (IllegalStateException e) {
            if (!String.valueOf(e.getMessage()).startsWith("sampler diverged")) throw e;
            rec.diverged();
            return Map.of();
        }
        Batch x = r.x();
        double[] values = new double[series().size()];
        int i = 0;
        if (hasReference()) {
            var e = Metrics.endpointError(x, referenceEndpoints(cell.value(), nfe, options));
            values[i++] = e.mean();
            values[i++] = e.median();
        }
        if (hasComparison()) values[i++] = Metrics.slicedWasserstein2(x, against);
        for (var f : measures) values[i++] = f.applyAsDouble(x);
        rec.record(values);
        keep(cell, x);
        if (d.networkEvaluations() == null) return Map.of("nfe_used", (double) r.nfe());
        return Map.of("nfe_used", (double) r.nfe(), "network_nfe", d.networkEvaluations().getAsDouble());
    }

    /** Adds {@code order}: between consecutive budgets of one method, sweep point and seed, {@code -½ Δlog error / Δlog NFE} (the error is squared). */
    @Override
    final List<Run> derive(List<Run> runs) {
        if (!hasReference() || budgets.length < 2) return runs;
        Map<String, List<Run>> lines = new LinkedHashMap<>();
        for (Run r : runs) {
            var rest = new LinkedHashMap<>(r.point());
            rest.remove(NFE);
            lines.computeIfAbsent(Format.label(r.method(), rest) + " #" + r.seed(), k -> new ArrayList<>()).add(r);
        }
        Map<Run, Double> orders = new java.util.IdentityHashMap<>();
        for (List<Run> line : lines.values()) {
            line.sort(java.util.Comparator.comparingInt(r -> ((Number) r.point().get(NFE)).intValue()));
            for (int k = 1; k < line.size(); k++) {
                Run a = line.get(k - 1), b = line.get(k);
                if (a.status() != Run.Status.COMPLETE || b.status() != Run.Status.COMPLETE) continue;
                double ea = a.history(orderFrom)[0], eb = b.history(orderFrom)[0];
                double na = ((Number) a.point().get(NFE)).doubleValue(), nb = ((Number) b.point().get(NFE)).doubleValue();
                orders.put(b, 0.5 * Math.log(ea / eb) / Math.log(nb / na));
            }
        }
        return runs.stream().map(r -> {
            Double order = orders.get(r);
            if (order == null) return r;
            var scalars = new LinkedHashMap<>(r.scalars());
            scalars.put("order", order);
            return new Run(r.method(), r.point(), r.seed(), r.status(), r.units(), r.wallMillis(), r.history(), scalars, r.error());
        }).toList();
    }

    /** A time grid by name ("logSNR", "time-uniform", "time-quadratic", "karras" = ρ 7) or as a value. */
    static TimeGrid timeGrid(Object g) {
        if (g instanceof TimeGrid t) return t;
        return switch (String.valueOf(g)) {
            case "logSNR" -> TimeGrid.logSnr();
            case "time-uniform" -> TimeGrid.timeUniform();
            case "time-quadratic" -> TimeGrid.timeQuadratic();
            case "karras" -> TimeGrid.karras(7);
            default -> throw new IllegalArgumentException("unknown time grid '" + g + "'; known: logSNR, time-uniform, time-quadratic, karras, or a TimeGrid");
        };
    }
}
