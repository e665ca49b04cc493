package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Schedule;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Devices;

/**
 * {@code Lab.fit(optimizer)}: models trained by gradient steps on losses they define — the general training loop
 * (zero the gradients, the model's loss, backward, the optimizer's step, the model's after-step action), for what
 * {@code Lab.train} (classifiers on a data set) does not cover: neural ODEs and SDEs, DEQs, regularised losses,
 * full-batch or self-sampled minibatches. The compared methods are the models ({@link Fit}); the optimizer is shared
 * (or a model's own), so {@code sweep("lr", ...)} sweeps it. Per step a run records {@code loss} and every series
 * declared with {@link #track}; after training, the model's evaluation and its parameter count are the run's
 * scalars ({@code runs.scalar("DEQ", "test_accuracy")}).
 */
public final class FitExperiment extends Experiment<Fit, FitExperiment> {
    private final Transform optimizer;
    private final List<String> tracked = new ArrayList<>();
    private Schedule schedule;

    FitExperiment(Transform optimizer) {
        super("fit", "step", 100, "training", new Methods(Fit.class, "a model to train (Fit.of(name, parameters, (step, metrics) -> loss))"));
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
    }

    /** Optimizer steps per run (default 100). */
    public FitExperiment steps(int n) {
        return budget("steps", n);
    }

    /** Extra per-step series the models' steps report ({@code m.put("nfe", ...)}); lower is better. */
    public FitExperiment track(String... series) {
        for (String s : series) {
            if (s == null || s.isBlank() || s.equals("loss") || tracked.contains(s)) {
                throw new IllegalArgumentException("fit: track(...) needs new, non-empty names other than 'loss', got '" + s + "'");
            }
            tracked.add(s);
        }
        return this;
    }

    /** A learning-rate schedule for every model's optimizer ({@code Schedule.cosine(steps)}). */
    public FitExperiment schedule(Schedule s) {
        this.schedule = Objects.requireNonNull(s, "schedule");
        return this;
    }

    @Override
    String name(Fit method, Set<String> swept) {
        return method.name();
    }

    @Override
    Fit with(Fit method, String name, Object value) {
        Transform chain = method.optimizer() != null ? method.optimizer() : optimizer;
        return method.optimizer(chain.with(name, value));
    }

    @Override
    List<String> series() {
        List<String> s = new ArrayList<>(List.of("loss"));
        s.addAll(tracked);
        return s;
    }

    @Override
    List<Metric> metrics() {
        return series().stream().map(Metric::lower).toList();
    }

    @Override
    Map<String, Double> execute(Cell<Fit> cell, Recorder rec) throws Exception {
        Fit fit = cell.value();
        if (fit.perSeed() != null) {
            Fit built = fit.perSeed().apply(TrainExperiment.seedOf(cell.key()));
            fit = new Fit(fit.name(), built.parameters(), built.step(), built.beforeStep(), built.after(), built.evaluate(),
                    fit.optimizer() != null ? fit.optimizer() : built.optimizer(), null);
        } else if (cell.seed() > 0) {
            throw new IllegalStateException("fit: " + fit.name() + " trains the tensors it was given in place, so it cannot repeat over seeds; "
                    + "use Fit.seeded(name, seed -> Fit.of(...)) to build a fresh model per seed");
        }
        var builder = Optimizer.builder(fit.parameters(), fit.optimizer() != null ? fit.optimizer() : optimizer);
        if (schedule != null) builder.schedule(schedule);
        if (cell.device() != null) builder.device(Devices.get(cell.device()));
        double[] row = new double[1 + tracked.size()];
        try (Optimizer opt = builder.build()) {
            for (int t = 0; t < cell.budget(); t++) {
                opt.zeroGrad();
                var metrics = new Fit.Metrics();
                Tensor loss = fit.step().loss(t, metrics);
                if (loss == null) throw new IllegalStateException("fit: " + fit.name() + " returned no loss at step " + t);
                loss.backward();
                if (fit.beforeStep() != null) {
                    try (var off = Autodiff.noGrad()) {
                        fit.beforeStep().run();
                    }
                }
                opt.step();
                if (fit.after() != null) {
                    try (var off = Autodiff.noGrad()) {
                        fit.after().run();
                    }
                }
                row[0] = loss.item();
                for (int i = 0; i < tracked.size(); i++) {
                    Double v = metrics.values.get(tracked.get(i));
                    if (v == null) throw new IllegalStateException("fit: " + fit.name() + " did not report '" + tracked.get(i) + "' at step " + t
                            + " (it reported " + metrics.values.keySet() + ")");
                    row[i + 1] = v;
                }
                if (!rec.record(row)) break;
            }
        }
        Map<String, Double> scalars = new LinkedHashMap<>();
        scalars.put("parameters", (double) fit.parameters().values().stream().mapToLong(Tensor::numel).sum());
        if (fit.evaluate() != null && rec.status() == Run.Status.COMPLETE) {
            var metrics = new Fit.Metrics();
            try (var off = Autodiff.noGrad()) {
                fit.evaluate().accept(metrics);
            }
            scalars.putAll(metrics.values);
        }
        return scalars;
    }
}
