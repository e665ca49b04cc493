package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.ToDoubleFunction;
import org.reprolab.optim.Transform;

/**
 * The pillars whose methods are optimizer chains ({@code Lab.optimize}, {@code Lab.train}): chains
 * are named by {@link OptimizerNames} and re-parameterised for sweeps by {@link Transform#with}.
 *
 * @param <E> the pillar's own type
 */
abstract class OptimizerExperiment<E extends OptimizerExperiment<E>> extends Experiment<Transform, E> {
    private final List<Tracker.Probe> probes = new ArrayList<>();

    OptimizerExperiment(String pillar, String unit, int defaultBudget, String title) {
        super(pillar, unit, defaultBudget, title, new Methods(Transform.class, "an optimizer (a Transform such as adam(1e-2))"));
    }

    /**
     * Records {@code metric} of the parameters after every budget unit as the history {@code name}
     * (plotted, smoothed and looked up like any other), its last value as a table column:
     * {@code .track("norm", s -> s.norm("W"))}, {@code .track("effective_step", s -> s.relativeUpdate("W"))},
     * {@code .track("max_abs", Snapshot::maxAbs)}. A NaN or infinite value marks the run diverged.
     */
    @SuppressWarnings("unchecked")
    public final E track(String name, ToDoubleFunction<Snapshot> metric) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException(pillarName() + ": track needs a name");
        java.util.Objects.requireNonNull(metric, "metric");
        if (baseSeries().contains(name) || probes.stream().anyMatch(p -> p.name().equals(name))) {
            throw new IllegalArgumentException(pillarName() + ": track(\"" + name + "\"): the runs already record '" + name + "'; recorded: "
                    + series());
        }
        probes.add(new Tracker.Probe(name, metric));
        return (E) this;
    }

    /**
     * Records a metric with several values at once, one history per name: {@code metric} runs once per unit and
     * its i-th value is the history {@code names.get(i)}. For quantities computed together, e.g. the
     * information-plane coordinates of every layer from one pass over the data ({@code InformationPlane}).
     */
    @SuppressWarnings("unchecked")
    public final E track(List<String> names, java.util.function.Function<Snapshot, double[]> metric) {
        java.util.Objects.requireNonNull(metric, "metric");
        if (names == null || names.isEmpty()) throw new IllegalArgumentException(pillarName() + ": track needs at least one name");
        if (names.stream().distinct().count() != names.size()) throw new IllegalArgumentException(pillarName() + ": track: repeated names in " + names);
        Object key = new Object();
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            track(names.get(i), s -> {
                double[] values = s.shared(key, metric);
                if (values.length != names.size()) {
                    throw new IllegalArgumentException("the metric returned " + values.length + " values for the " + names.size() + " names " + names);
                }
                return values[index];
            });
        }
        return (E) this;
    }

    /** The histories the pillar itself records, before the tracked ones. */
    abstract List<String> baseSeries();

    abstract String pillarName();

    @Override
    final List<String> series() {
        List<String> all = new ArrayList<>(baseSeries());
        probes.forEach(p -> all.add(p.name()));
        return all;
    }

    /** A fresh tracker for one run. */
    final Tracker tracker() {
        return new Tracker(probes);
    }

    @Override
    final String name(Transform method, Set<String> swept) {
        return OptimizerNames.name(method, swept);
    }

    /**
     * Whether a sweep over {@code name} sets an option of the builder (the batch size of {@code Lab.train})
     * rather than a hyper-parameter of every chain; the pillar reads the value from the run's sweep point.
     * None by default.
     */
    boolean sweepsOption(String name, Object value) {
        return false;
    }

    @Override
    final Transform with(Transform method, String name, Object value) {
        return sweepsOption(name, value) ? method : method.with(name, value);
    }
}
