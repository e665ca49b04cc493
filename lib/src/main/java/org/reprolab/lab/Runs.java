package org.reprolab.lab;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.reprolab.plot.ContourPlot;
import org.reprolab.plot.LinePlot;
import org.reprolab.plot.Palette;
import org.reprolab.problems.Objective;
import smile.data.DataFrame;

/**
 * The result of {@code Lab....run()}: every run as a value, with the views a notebook needs — a
 * summary {@link #table()}, figures ({@link #plot}, {@link #trajectories()}), lookups
 * ({@link #at}, {@link #best}, {@link #history}) and {@link #save}/{@link #load} in JSON that
 * round-trips exactly. Shared by every pillar; a pillar's specifics live in its metric names.
 */
public final class Runs {
    static final String FORMAT = "reprolab-runs/1";

    private final String pillar;
    private final String title;
    private final String unit;
    private final int origin;
    private final List<Metric> metrics;
    private final List<String> swept;
    private final List<Run> runs;
    private final boolean partial;
    private final Object problem;
    private final Map<String, Object> outputs;
    private final List<String> code;
    private final Palette palette = Palette.create();

    Runs(String pillar, String title, String unit, int origin, List<Metric> metrics, List<String> swept, List<Run> runs, boolean partial,
         Object problem) {
        this(pillar, title, unit, origin, metrics, swept, runs, partial, problem, Map.of());
    }

    Runs(String pillar, String title, String unit, int origin, List<Metric> metrics, List<String> swept, List<Run> runs, boolean partial,
         Object problem, Map<String, Object> outputs) {
        this(pillar, title, unit, origin, metrics, swept, runs, partial, problem, outputs, List.of());
    }

    private Runs(String pillar, String title, String unit, int origin, List<Metric> metrics, List<String> swept, List<Run> runs, boolean partial,
                 Object problem, Map<String, Object> outputs, List<String> code) {
        this.outputs = Map.copyOf(outputs);
        this.code = List.copyOf(code);
        this.pillar = pillar;
        this.title = title;
        this.unit = unit;
        this.origin = origin;
        this.metrics = List.copyOf(metrics);
        this.swept = List.copyOf(swept);
        this.runs = List.copyOf(runs);
        this.partial = partial;
        this.problem = problem;
        this.runs.forEach(r -> palette.color(r.label()));   // compare order fixes each label's colour once
    }

    /**
     * The colours of this result's figures, one per label in compare order: every figure of these
     * runs uses it, and a figure of your own can too ({@code LinePlot.titled(...).palette(runs.palette())}).
     */
    public Palette palette() {
        return palette;
    }

    /** Every run, in the order method × sweep point × seed. */
    public List<Run> runs() {
        return runs;
    }

    /** True when an interrupt stopped {@code run()} before every run completed. */
    public boolean partial() {
        return partial;
    }

    /** "optimize", "train", ... */
    public String pillar() {
        return pillar;
    }

    public String title() {
        return title;
    }

    /** The budget's unit: "step", "epoch". */
    public String unit() {
        return unit;
    }

    public List<Metric> metrics() {
        return metrics;
    }

    /** The swept hyper-parameters, in sweep order. */
    public List<String> swept() {
        return swept;
    }

    /** The method names, in compare order. */
    public List<String> methods() {
        return runs.stream().map(Run::method).distinct().toList();
    }

    /** One row per method × sweep point, in compare order. */
    public List<Row> rows() {
        Map<String, List<Run>> groups = new LinkedHashMap<>();
        for (Run r : runs) groups.computeIfAbsent(r.label(), k -> new ArrayList<>()).add(r);
        return groups.values().stream().map(this::summarise).toList();
    }

    private Row summarise(List<Run> group) {
        Run first = group.getFirst();
        Map<String, Estimate> finals = new LinkedHashMap<>(), bests = new LinkedHashMap<>(), scalars = new LinkedHashMap<>();
        for (Metric m : metrics) {
            if (group.stream().noneMatch(r -> r.history().containsKey(m.name()))) continue;
            finals.put(m.name(), Estimate.of(group.stream().mapToDouble(r -> finalValue(r, m.name())).toArray()));
            bests.put(m.name(), Estimate.of(group.stream().mapToDouble(r -> m.best(r.history().getOrDefault(m.name(), new double[0]))).toArray()));
        }
        var scalarNames = new LinkedHashSet<String>();
        group.forEach(r -> scalarNames.addAll(r.scalars().keySet()));
        for (String s : scalarNames) {
            scalars.put(s, Estimate.of(group.stream().mapToDouble(r -> r.scalars().getOrDefault(s, Double.NaN)).toArray()));
        }
        String status = group.stream().filter(r -> r.status() != Run.Status.COMPLETE).findFirst().map(r -> r.statusText(unit)).orElse("ok");
        return new Row(first.method(), first.point(), group.size(), status, finals, bests, scalars,
                Estimate.of(group.stream().mapToDouble(Run::wallMillis).toArray()));
    }

    private static double finalValue(Run r, String metric) {
        double[] h = r.history().get(metric);
        if (h == null || h.length == 0 || r.status() == Run.Status.DIVERGED) return Double.NaN;
        return h[h.length - 1];
    }

    /** The summary as a Smile data frame: method, sweep values, seeds, status, final (± 95%) and best metrics, scalars, wall time. */
    public DataFrame table() {
        return Tables.of(this, rows());
    }

    /** The row whose final {@code metric} (mean over seeds) is best, by the metric's direction. */
    public Row best(String metric) {
        Metric m = metric(metric);
        return rows().stream().filter(r -> r.finals().containsKey(metric) && !Double.isNaN(r.finals().get(metric).mean()))
                .min(Comparator.comparingDouble(r -> (m.lowerIsBetter() ? 1 : -1) * r.finals().get(metric).mean()))
                .orElseThrow(() -> new IllegalStateException("best(" + metric + "): no run has a finite final " + metric));
    }

    /** The headline metric of {@code label} (a method, or "method lr=0.1" after a sweep) after {@code budget} units, over seeds. */
    public Estimate at(String label, int budget) {
        return at(label, budget, metrics.getFirst().name());
    }

    public Estimate at(String label, int budget, String metric) {
        List<Run> group = group(label);
        double[] v = new double[group.size()];
        for (int i = 0; i < v.length; i++) {
            double[] h = group.get(i).history(metric);
            int index = budget - origin;
            if (index < 0 || index >= h.length) {
                throw new IllegalArgumentException("at(" + label + ", " + budget + "): " + metric + " of seed " + i + " was recorded for "
                        + unit + "s " + origin + ".." + (origin + h.length - 1));
            }
            v[i] = h[index];
        }
        return Estimate.of(v);
    }

    /** A per-run number of {@code label} (NFE, state bytes, a final evaluation), over seeds. */
    public Estimate scalar(String label, String name) {
        List<Run> group = group(label);
        if (group.stream().noneMatch(r -> r.scalars().containsKey(name))) {
            throw new IllegalArgumentException("scalar(" + label + ", " + name + "): not recorded; known: " + group.getFirst().scalars().keySet());
        }
        return Estimate.of(group.stream().mapToDouble(r -> r.scalars().getOrDefault(name, Double.NaN)).toArray());
    }

    /** The unit number of history index 0: 0 when histories start at the initial state (steps), 1 otherwise (epochs). */
    public int origin() {
        return origin;
    }

    /** The mean over seeds of {@code metric} along the run of {@code label}. */
    public double[] history(String label, String metric) {
        List<Run> group = group(label);
        int n = group.stream().mapToInt(r -> r.history(metric).length).min().orElse(0);
        double[] mean = new double[n];
        for (Run r : group) {
            double[] h = r.history().get(metric);
            for (int i = 0; i < n; i++) mean[i] += h[i] / group.size();
        }
        return mean;
    }

    /**
     * The convergence rate of {@code metric} along the run of {@code label}: the least-squares slope of
     * log(metric) against log(unit) over units {@code from..to} (the mean over seeds, as {@link #history}),
     * sampled at ten log-spaced units per decade so each decade weighs the same. An error falling like
     * {@code t^-1/2} has rate −0.5. Fails for a unit outside the history or a value that is not positive.
     */
    public double rate(String label, String metric, int from, int to) {
        double[] h = history(label, metric);
        if (from < Math.max(1, origin) || to <= from || to - origin >= h.length) {
            throw new IllegalArgumentException("rate: units " + from + ".." + to + " must satisfy max(1, " + origin + ") <= from < to <= "
                    + (h.length - 1 + origin));
        }
        int points = (int) Math.ceil(10 * Math.log10((double) to / from)) + 1;
        int[] units = java.util.stream.IntStream.range(0, points)
                .map(k -> (int) Math.round(from * Math.pow((double) to / from, k / (points - 1.0)))).distinct().toArray();
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        for (int u : units) {
            double v = h[u - origin];
            if (!(v > 0) || !Double.isFinite(v)) throw new IllegalArgumentException("rate: " + metric + " of " + label + " at " + u + " is " + v + ", need > 0");
            double x = Math.log(u), y = Math.log(v);
            sx += x;
            sy += y;
            sxx += x * x;
            sxy += x * y;
        }
        int n = units.length;
        return (n * sxy - sx * sy) / (n * sxx - sx * sx);
    }

    /**
     * The first unit at which {@code metric} of {@code label} (the mean over seeds, as {@link #history}) reaches
     * {@code threshold} in its better direction (at or below it for a loss, at or above it for an accuracy), or −1
     * if it never does within the run: time-to-target, the budget to a fixed loss or accuracy. Grokking is the gap
     * between the train and test curves' times (Kumar et al., "Grokking as the transition from lazy to rich training
     * dynamics", ICLR 2024: the test loss reaching a fraction of its start long after the train loss did).
     */
    public int reach(String label, String metric, double threshold) {
        if (Double.isNaN(threshold)) throw new IllegalArgumentException("reach(" + label + ", " + metric + "): the threshold is NaN");
        boolean lower = metric(metric).lowerIsBetter();
        double[] h = history(label, metric);
        for (int i = 0; i < h.length; i++) {
            if (lower ? h[i] <= threshold : h[i] >= threshold) return i + origin;
        }
        return -1;
    }

    private List<Run> group(String label) {
        List<Run> group = runs.stream().filter(r -> r.label().equals(label)).toList();
        if (group.isEmpty()) group = runs.stream().filter(r -> r.method().equals(label)).toList();
        if (group.stream().map(Run::label).distinct().count() > 1) {
            throw new IllegalArgumentException("'" + label + "' names several sweep points; use one of "
                    + group.stream().map(Run::label).distinct().toList());
        }
        if (group.isEmpty()) {
            throw new IllegalArgumentException("no runs of '" + label + "'; known: " + runs.stream().map(Run::label).distinct().toList());
        }
        return group;
    }

    Metric metric(String name) {
        return metrics.stream().filter(m -> m.name().equals(name)).findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no metric '" + name + "'; known: " + metrics.stream().map(Metric::name).toList()));
    }

    /** The headline metric against the budget unit, one curve per method (mean over seeds). */
    public LinePlot plot() {
        return plot(unit, metrics.getFirst().name());
    }

    /**
     * {@code y} against {@code x}: x is the unit ("step", "epoch"), another recorded metric, or a swept
     * hyper-parameter (then one curve per method and other sweep point, of the final {@code y} over seeds, e.g.
     * a sampler's error against {@code "nfe"}, a distance against the guidance scale {@code "w"}), or a per-run
     * number that varies along the first sweep ({@code plot("network_nfe", "error")} of {@code Lab.guide}). With
     * several seeds each curve is the mean over a band of its 95% interval. The figure is a
     * {@link LinePlot}, so {@code .logY()}, {@code .legendOutside()} or an extra series can follow.
     */
    public LinePlot plot(String x, String y) {
        return Figures.curves(this, x, y);
    }

    /** The optimizers' paths over the objective's contour map (two-variable objectives). */
    public ContourPlot trajectories() {
        if (!(problem instanceof Objective f)) {
            throw new IllegalStateException("trajectories(): these runs carry no objective (loaded from a file, or not Lab.optimize); "
                    + "use trajectories(objective)");
        }
        return trajectories(f);
    }

    /** The paths over {@code objective}'s contour map; a {@link ContourPlot}, so more paths (a constraint's box) can be added. */
    public ContourPlot trajectories(Objective objective) {
        return Figures.trajectories(this, objective);
    }

    /**
     * What the first seed's run of {@code label} produced besides numbers, where the pillar keeps it: the
     * trained model of {@code Lab.fit}, the samples of {@code Lab.sample} and {@code Lab.guide}. In memory
     * only (not saved); the type is the caller's: {@code Batch x = runs.output("DDIM nfe=10")}.
     */
    @SuppressWarnings("unchecked")
    public <T> T output(String label) {
        Object o = outputs.get(label);
        if (o == null) {
            throw new IllegalArgumentException("output(" + label + "): " + (outputs.isEmpty() ? "these runs kept no outputs (loaded from a file, or a pillar that keeps none)"
                    : "no output of that run; kept: " + new java.util.TreeSet<>(outputs.keySet())));
        }
        return (T) o;
    }

    /**
     * The same runs with every history replaced by its trailing moving average over {@code window}
     * units (pandas' {@code rolling(window, min_periods=1).mean()}): the first {@code window - 1}
     * units average what there is so far. For noisy per-step curves, and for "the mean of the last
     * k steps": {@code runs.rolling(100).at("Adam", 1000, "loss")}. Scalars are kept as they are.
     */
    public Runs rolling(int window) {
        if (window < 1) throw new IllegalArgumentException("rolling: window must be >= 1, got " + window);
        List<Run> smoothed = new ArrayList<>();
        for (Run r : runs) {
            Map<String, double[]> h = new LinkedHashMap<>();
            r.history().forEach((k, v) -> h.put(k, movingAverage(v, window)));
            smoothed.add(new Run(r.method(), r.point(), r.seed(), r.status(), r.units(), r.wallMillis(), h, r.scalars(), r.error()));
        }
        return new Runs(pillar, title, unit, origin, metrics, swept, smoothed, partial, problem, outputs, code);
    }

    private static double[] movingAverage(double[] v, int window) {
        double[] out = new double[v.length];
        double sum = 0;
        for (int i = 0; i < v.length; i++) {
            sum += v[i];
            if (i >= window) sum -= v[i - window];
            out[i] = sum / Math.min(i + 1, window);
        }
        return out;
    }

    /**
     * Prints one line per row and named value, {@code <title> <label> final <metric> = <value>} for a
     * recorded history (its last value) and {@code <title> <label> <scalar> = <value>} for a per-run
     * number (state_bytes, distance, a tracked metric's final value): the mean over seeds, followed by
     * {@code ± half-width} when seeded; full precision, so a script or a test can read it back. Rows
     * without the value are skipped. Returns these runs, so {@code runs.print("loss")} also displays them.
     */
    public Runs print(String... names) {
        if (names.length == 0) throw new IllegalArgumentException("print: name at least one recorded metric or scalar");
        for (String name : names) {
            boolean known = runs.stream().anyMatch(r -> r.history().containsKey(name) || r.scalars().containsKey(name));
            if (!known) throw new IllegalArgumentException("print: nothing recorded as '" + name + "'; known: " + recordedNames());
        }
        StringBuilder out = new StringBuilder();
        for (Row row : rows()) {
            for (String name : names) {
                List<Run> group = runs.stream().filter(r -> r.label().equals(row.label())).toList();
                Estimate e;
                String what;
                if (group.stream().allMatch(r -> r.history().containsKey(name))) {
                    e = Estimate.of(group.stream().mapToDouble(r -> finalValue(r, name)).toArray());
                    what = "final " + name;
                } else if (group.stream().allMatch(r -> r.scalars().containsKey(name))) {
                    e = Estimate.of(group.stream().mapToDouble(r -> r.scalars().get(name)).toArray());
                    what = name;
                } else {
                    continue;
                }
                out.append(title).append(' ').append(row.label()).append(' ').append(what).append(" = ").append(e.mean());
                if (e.n() > 1) out.append(" ± ").append(e.halfWidth());
                out.append('\n');
            }
        }
        System.out.print(out);
        return this;
    }

    private List<String> recordedNames() {
        var names = new LinkedHashSet<String>();
        runs.forEach(r -> {
            names.addAll(r.history().keySet());
            names.addAll(r.scalars().keySet());
        });
        return List.copyOf(names);
    }

    /** Writes every run as JSON (exact doubles); {@link #load} reads it back equal. */
    public Path save(Path path) throws IOException {
        Files.writeString(path, RunsFile.write(this));
        return path;
    }

    public static Runs load(Path path) throws IOException {
        return RunsFile.read(Files.readString(path));
    }

    /**
     * The code that produced these runs: in a notebook, the source of every cell run up to and including
     * the one that called {@code run()} (the kernel records it, see {@link Provenance}); empty elsewhere
     * and after {@link #load}. In memory only, not saved.
     */
    public List<String> code() {
        return code;
    }

    /** The same runs with {@code cells} as their code. */
    Runs withCode(List<String> cells) {
        return new Runs(pillar, title, unit, origin, metrics, swept, runs, partial, problem, outputs, cells);
    }

    /**
     * A standalone HTML report of these runs (headline, summary table, the headline metric's figure as an
     * embedded PNG, the code that produced them) to attach to a paper review; {@code report().code(...)}
     * replaces the code, {@code report().add(other)} adds more results.
     */
    public Report report() {
        return Report.of(this);
    }

    /** {@code report().html()}: one self-contained HTML page, no external files. */
    public String html() {
        return report().html();
    }

    /** Writes {@link #html()} to {@code path}. */
    public Path saveReport(Path path) throws IOException {
        return report().save(path);
    }

    /** One line: what ran and which method won. */
    public String headline() {
        long total = runs.size();
        String what = total + " run" + (total == 1 ? "" : "s") + " of Lab." + pillar + " on " + title;
        if (partial) what += " (partial: interrupted)";
        try {
            Row best = best(metrics.getFirst().name());
            return what + "; best " + best.label() + ": final " + metrics.getFirst().name() + " " + best.last(metrics.getFirst().name());
        } catch (IllegalStateException e) {
            return what;
        }
    }

    @Override
    public String toString() {
        return headline() + "\n" + Tables.text(this, rows());
    }

    /**
     * The same runs with the same results, wall times aside: what two engines must agree on (the local pool and a
     * Spark cluster, {@link Experiment#on}), since every run draws its randomness from its seed, not from where it ran.
     */
    public boolean sameResults(Runs other) {
        if (runs.size() != other.runs.size() || partial != other.partial) return false;
        for (int i = 0; i < runs.size(); i++) {
            if (!runs.get(i).sameResult(other.runs.get(i))) return false;
        }
        return true;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Runs r && pillar.equals(r.pillar) && title.equals(r.title) && unit.equals(r.unit) && origin == r.origin
                && metrics.equals(r.metrics) && swept.equals(r.swept) && runs.equals(r.runs) && partial == r.partial;
    }

    @Override
    public int hashCode() {
        return Objects.hash(pillar, title, unit, origin, metrics, swept, runs, partial);
    }
}
