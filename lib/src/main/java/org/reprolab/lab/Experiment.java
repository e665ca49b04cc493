package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reprolab.tornado.Devices;
import org.reprolab.random.RngKey;

/**
 * The builder every pillar shares: which methods to compare, the budget, seeds, a sweep over
 * hyper-parameters, the device and the parallelism; {@link #run()} executes the grid
 * method × sweep point × seed and returns the {@link Runs}.
 *
 * <p><b>Extension point.</b> A pillar ({@code Lab.optimize}, {@code Lab.train}, later
 * {@code Lab.sample}, {@code Lab.solve}, {@code Lab.implicit}) is a subclass in this package that
 * says what its methods are ({@link #methodType}, {@link #name}, {@link #with}), what one run
 * records ({@link #series}, {@link #metrics}) and how one run executes ({@link #execute}); it adds
 * its own verbs (its budget's name, its problem's options). Scheduling, seeds, sweeps, progress,
 * interrupts, divergence and the result type are done here once.
 *
 * @param <M> the kind of method the pillar compares (an optimizer chain, a sampler, a solver)
 * @param <E> the pillar's own type, so that verbs chain
 */
public abstract class Experiment<M, E extends Experiment<M, E>> implements java.io.Serializable {
    private static final long serialVersionUID = 1L;
    private final String pillar;
    private final String unit;
    private final Methods kind;
    private String title;
    private final List<Entry<M>> methods = new ArrayList<>();
    private int lastCompared;
    private final Map<String, List<Object>> sweep = new LinkedHashMap<>();
    private int seeds = 1;
    private long seed;
    private int budget;
    private String device;
    private int parallel = 1;
    private transient Progress progress;
    private transient Cluster cluster;
    private final Map<String, Object> outputs = new java.util.concurrent.ConcurrentHashMap<>();

    /** A method under comparison: its value and the name the user gave it with {@code as}, if any. */
    record Entry<M>(M method, String givenName) implements java.io.Serializable {}

    /** One run to execute: the method with the sweep point applied, the seed's key, the budget. */
    record Cell<M>(String method, M value, Map<String, Object> point, int seed, RngKey key, int budget, String device) {}

    /**
     * What a pillar compares: the class of its methods, checked at {@link #compare}, and how error
     * messages call one ("an optimizer (a Transform such as adam(1e-2))").
     */
    record Methods(Class<?> type, String description) implements java.io.Serializable {}

    Experiment(String pillar, String unit, int defaultBudget, String title, Methods methods) {
        this.pillar = pillar;
        this.unit = unit;
        this.budget = defaultBudget;
        this.title = title;
        this.kind = methods;
    }

    @SuppressWarnings("unchecked")
    private E self() {
        return (E) this;
    }

    /** Adds methods to compare; their names come from the factory and hyper-parameters unless {@link #as} renames them. */
    @SafeVarargs
    public final E compare(M... methods) {
        Objects.requireNonNull(methods, "methods");
        if (methods.length == 0) throw new IllegalArgumentException(pillar + ": compare() needs at least one method");
        for (int i = 0; i < methods.length; i++) {
            Object m = methods[i];
            if (m == null) throw new IllegalArgumentException(pillar + ": method " + (i + 1) + " of compare(...) is null");
            if (!accepts(m)) {
                throw new IllegalArgumentException(pillar + ": method " + (i + 1) + " of compare(...) (" + m.getClass().getSimpleName() + " " + m
                        + ") is not " + methodKind() + "; each Lab builder compares one kind of method (samplers: Lab.sample, solvers: Lab.solve)");
            }
            this.methods.add(new Entry<>(methods[i], null));
        }
        lastCompared = methods.length;
        return self();
    }

    /** Names the methods of the last {@link #compare} call, in order: {@code compare(adam(1e-2), lion(1e-3)).as("Adam", "Lion")}. */
    public final E as(String... names) {
        if (lastCompared == 0) throw new IllegalStateException(pillar + ": as(...) names the methods of the last compare(...); call compare first");
        if (names.length != lastCompared) {
            throw new IllegalArgumentException(pillar + ": as(...) got " + names.length + " names for the " + lastCompared
                    + " methods of the last compare(...)");
        }
        int from = methods.size() - lastCompared;
        for (int i = 0; i < names.length; i++) {
            if (names[i] == null || names[i].isBlank()) throw new IllegalArgumentException(pillar + ": as(...): name " + (i + 1) + " is empty");
            methods.set(from + i, new Entry<>(methods.get(from + i).method(), names[i]));
        }
        return self();
    }

    /** Repeats every run with {@code n} seeds; tables show the mean and a 95% interval. */
    public final E seeds(int n) {
        this.seeds = atLeastOne("seeds", n);
        return self();
    }

    /** The root seed the runs' keys are split from (default 0); the same for every method, so they see the same randomness. */
    public final E seed(long root) {
        this.seed = root;
        return self();
    }

    /** A grid over a hyper-parameter of every method; several sweeps make the product grid. */
    public final E sweep(String hyperParameter, Object... values) {
        if (hyperParameter == null || hyperParameter.isBlank()) throw new IllegalArgumentException(pillar + ": sweep needs a hyper-parameter name");
        if (values.length == 0) throw new IllegalArgumentException(pillar + ": sweep(\"" + hyperParameter + "\") needs at least one value");
        if (sweep.containsKey(hyperParameter)) throw new IllegalArgumentException(pillar + ": sweep(\"" + hyperParameter + "\") given twice");
        sweep.put(hyperParameter, java.util.Arrays.stream(values).map(Experiment::normalized).toList());
        return self();
    }

    /** {@code n}, checked to be at least one, else an error naming the pillar and the verb. */
    final int atLeastOne(String verb, int n) {
        if (n < 1) throw new IllegalArgumentException(pillar + ": " + verb + " must be >= 1, got " + n);
        return n;
    }

    /** Sweep values as JSON gives them back: small integers as Integer, floats as Double. */
    private static Object normalized(Object v) {
        Objects.requireNonNull(v, "sweep value");
        return switch (v) {
            case Long l when l == (int) (long) l -> (int) (long) l;
            case Short s -> (int) s;
            case Byte b -> (int) b;
            case Float f -> (double) f;
            default -> v;
        };
    }

    /** Runs on the named compute device ("jvm", "opencl"); checked now, so a missing device fails here. */
    public final E device(String name) {
        Devices.get(name);
        this.device = name;
        return self();
    }

    /** At most {@code k} runs at once (default 1); results do not depend on it. */
    public final E parallel(int k) {
        this.parallel = atLeastOne("parallel", k);
        return self();
    }

    /**
     * Runs each run as one task on {@code cluster} ({@link Cluster#spark(String)}); the default,
     * {@link Cluster#local()}, is this process's scheduler with {@link #parallel}. The runs are the same
     * on every cluster, bit for bit (each run's randomness comes from its seed's key, not from where it
     * runs); on a cluster a run that throws is kept as a {@link Run.Status#FAILED} row and the others go on.
     * A remote cluster receives this experiment by Java serialization, so its methods and problem must be
     * serializable library values (see docs/spark.md). {@code Lab.federate} uses the cluster one level down:
     * each round's clients are its tasks (the runs themselves stay in this process).
     */
    public final E on(Cluster cluster) {
        this.cluster = Objects.requireNonNull(cluster, "cluster");
        return self();
    }

    /** The cluster given to {@link #on}; {@link Cluster#local()} when none was. */
    final Cluster cluster() {
        return cluster == null ? Cluster.local() : cluster;
    }

    /** Whether {@link #on} makes each run a cluster task (false: the experiment hands the cluster smaller tasks itself). */
    boolean runsAreClusterTasks() {
        return true;
    }

    /** Where progress goes (default {@link Progress#byDefault()}: a text bar, or the notebook's live display). */
    public final E progress(Progress p) {
        this.progress = Objects.requireNonNull(p, "progress");
        return self();
    }

    /** Sets the budget under the pillar's own verb name (steps, epochs, nfe). */
    final E budget(String verb, int n) {
        if (n <= 0) throw new IllegalArgumentException(pillar + ": " + verb + " must be > 0, got " + n);
        this.budget = n;
        return self();
    }

    final int budget() {
        return budget;
    }

    /** Executes every method × sweep point × seed; an interrupt returns the runs so far, marked partial. */
    public final Runs run() {
        if (methods.isEmpty()) throw new IllegalStateException(pillar + ": nothing to run; add methods with compare(...)");
        validate();
        outputs.clear();
        List<Cell<M>> cells = plan();
        Progress watcher = progress != null ? progress : Progress.byDefault();
        List<Run> done;
        boolean interrupted;
        if (cluster() == Cluster.local() || !runsAreClusterTasks()) {
            Scheduler scheduler = new Scheduler(parallel, watcher, metrics().getFirst().name(), unit);
            List<Job> jobs = new ArrayList<>();
            for (Cell<M> cell : cells) {
                Recorder rec = new Recorder(series(), capacity(), scheduler::stopped);
                jobs.add(new Job(Format.label(cell.method(), cell.point()) + (seeds > 1 ? " seed " + cell.seed() : ""), rec,
                        () -> runOne(cell, rec)));
            }
            done = new ArrayList<>(scheduler.execute(jobs));
            interrupted = scheduler.interrupted();
        } else {
            var remote = new RemoteRuns<>(this, cells, cluster, watcher, metrics().getFirst().name(), unit);
            done = remote.execute();
            interrupted = remote.interrupted();
        }
        boolean partial = interrupted || done.size() < cells.size()
                || done.stream().anyMatch(r -> r.status() == Run.Status.INTERRUPTED);
        if (!partial) done.addAll(extraRuns());
        done = new ArrayList<>(derive(done));
        Runs runs = new Runs(pillar, title(), unit, startsAtZero() ? 0 : 1, metrics(), List.copyOf(sweep.keySet()), done, partial, problem(),
                Map.copyOf(outputs));
        runs = Provenance.produced(runs);
        watcher.finish(runs);
        return runs;
    }

    final Run runOne(Cell<M> cell, Recorder rec) throws Exception {
        long t0 = System.nanoTime();
        Map<String, Double> scalars;
        try {
            scalars = execute(cell, rec);
        } catch (java.util.concurrent.CancellationException e) {
            rec.interrupted();
            scalars = Map.of();
        } catch (org.reprolab.tensor.NonFiniteException e) {
            rec.diverged();
            scalars = Map.of();
        }
        double millis = (System.nanoTime() - t0) / 1e6;
        int offset = startsAtZero() ? 1 : 0;
        int units = switch (rec.status()) {
            case COMPLETE -> cell.budget();
            case DIVERGED -> rec.count() - offset + 1;
            case INTERRUPTED -> Math.max(0, rec.count() - offset);
            case FAILED -> throw new IllegalStateException("a recorder never marks a run failed");
        };
        return new Run(cell.method(), cell.point(), cell.seed(), rec.status(), units, millis, rec.histories(), scalars);
    }

    final List<Cell<M>> plan() {
        List<Map<String, Object>> points = new ArrayList<>();
        points.add(new LinkedHashMap<>());
        for (var e : sweep.entrySet()) {
            List<Map<String, Object>> next = new ArrayList<>();
            for (var p : points) {
                for (Object v : e.getValue()) {
                    var q = new LinkedHashMap<>(p);
                    q.put(e.getKey(), v);
                    next.add(q);
                }
            }
            points = next;
        }
        List<RngKey> keys = RngKey.of(seed).split(seeds);
        List<Cell<M>> cells = new ArrayList<>();
        for (Entry<M> entry : methods) {
            String name = entry.givenName() != null ? entry.givenName() : name(entry.method(), sweep.keySet());
            for (var point : points) {
                M value = entry.method();
                for (var h : point.entrySet()) {
                    try {
                        value = with(value, h.getKey(), h.getValue());
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(pillar + ": sweep(\"" + h.getKey() + "\", " + Format.value(h.getValue())
                                + ") does not apply to method " + name + ": " + e.getMessage(), e);
                    }
                }
                for (int s = 0; s < seeds; s++) cells.add(new Cell<>(name, value, point, s, keys.get(s), budget, device));
            }
        }
        return cells;
    }

    // ---- what a pillar supplies ----

    /** The pillar's name in messages ("sample", "optimize"). */
    final String pillar() {
        return pillar;
    }

    /** The class of the pillar's methods, checked at {@link #compare} (raw or reflective callers). */
    final Class<?> methodType() {
        return kind.type();
    }

    /** Whether {@code compare} takes this method; by default an instance of {@link #methodType}. */
    boolean accepts(Object method) {
        return methodType().isInstance(method);
    }

    /** "an optimizer (Transform)": how error messages call a method of this pillar. */
    final String methodKind() {
        return kind.description();
    }

    /** The derived name of a method, leaving out the hyper-parameters a sweep sets. */
    abstract String name(M method, Set<String> swept);

    /**
     * {@code method} with hyper-parameter {@code name} set; an IllegalArgumentException naming the known ones
     * otherwise. By default a method that is a record has its components as hyper-parameters.
     */
    M with(M method, String name, Object value) {
        return RecordParameters.with(method, name, value);
    }

    /** The histories one run records, the first being the headline metric; by default the metrics'. */
    List<String> series() {
        return metrics().stream().map(Metric::name).toList();
    }

    /** The summarised metrics (finals, bests, intervals), the first being the headline one. */
    abstract List<Metric> metrics();

    /** How many units a history holds (the budget, plus one when index 0 is the starting point). */
    int capacity() {
        return budget + (startsAtZero() ? 1 : 0);
    }

    /**
     * True when index 0 of a history is the state before the first unit (an optimizer's start point, the
     * outer loss before the first outer step); by default a history holds one value per unit.
     */
    boolean startsAtZero() {
        return false;
    }

    /** Checks the pillar's own settings before anything runs. */
    void validate() {}

    /** Runs one cell, recording through {@code rec}; returns the run's scalar metrics. */
    abstract Map<String, Double> execute(Cell<M> cell, Recorder rec) throws Exception;

    /** Rows that are not runs of the compared methods (a Smile baseline). */
    List<Run> extraRuns() {
        return List.of();
    }

    /**
     * Keeps what the first seed's run of {@code cell} produced that is not a number (a trained model, the
     * samples), for {@link Runs#output}; in memory only, not saved.
     */
    final void keep(Cell<M> cell, Object output) {
        if (cell.seed() == 0) outputs.put(Format.label(cell.method(), cell.point()), Objects.requireNonNull(output, "output"));
    }

    /**
     * The finished runs, rewritten before they become {@link Runs}: numbers that need several runs (a
     * sampler's measured order across budgets, a solver's distance from the first method's solution);
     * identity by default.
     */
    List<Run> derive(List<Run> runs) {
        return runs;
    }

    /** The name in the figures' titles and the headline (default: the problem's or the data's name). */
    public final E title(String what) {
        if (what == null || what.isBlank()) throw new IllegalArgumentException(pillar + ": title must not be empty");
        this.title = what;
        return self();
    }

    /** The title of the result's figures. */
    final String title() {
        return title;
    }

    /** What the runs were on (an Objective for trajectories), kept in memory, not saved. */
    Object problem() {
        return null;
    }
}
