package org.reprolab.lab;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongFunction;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.DiffusionLoss;
import org.reprolab.diffusion.ScoreNetwork;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Transform;

/**
 * {@code Lab.fit(network, data)}: training a generative network by a regression objective — denoising score
 * matching, flow matching ({@link DiffusionLoss}) — with one optimizer chain; the compared methods are the
 * objectives. Every seed builds the network from the factory with the seed's number (so every objective starts
 * from the same weights) and draws its minibatches, times and noise from it ({@link DiffusionLoss#fit}); a run
 * records the loss at every step and keeps the trained network as a model of its objective's schedule and
 * prediction type: {@code Lab.sample(runs.output("flow matching"))}.
 */
public final class ScoreFitExperiment extends Experiment<DiffusionLoss, ScoreFitExperiment> {
    private final LongFunction<? extends ScoreNetwork> network;
    private final Batch data;
    private Transform optimizer = Optimizers.adam(1e-3);
    private int batch = 256;

    ScoreFitExperiment(LongFunction<? extends ScoreNetwork> network, Batch data) {
        super("fit", "step", 1000, "data", new Methods(DiffusionLoss.class, "a training objective (a DiffusionLoss such as DiffusionLoss.flowMatching())"));
        this.network = Objects.requireNonNull(network, "network factory");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** Optimizer steps per run (default 1000). */
    public ScoreFitExperiment steps(int n) {
        return budget("steps", n);
    }

    /** Minibatch size (default 256), rows drawn with replacement. */
    public ScoreFitExperiment batch(int size) {
        this.batch = atLeastOne("batch", size);
        return this;
    }

    /** The optimizer chain of every run (default {@code adam(1e-3)}); a schedule rides on it: {@code adam(5e-3).with("schedule", ...)}. */
    public ScoreFitExperiment optimizer(Transform chain) {
        this.optimizer = Objects.requireNonNull(chain, "optimizer");
        return this;
    }

    @Override
    String name(DiffusionLoss loss, Set<String> swept) {
        return switch (loss.prediction()) {
            case FLOW -> "flow matching";
            case NOISE -> "score matching";
            default -> loss.prediction().name().toLowerCase(java.util.Locale.ROOT) + " prediction";
        };
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.lower("loss"));
    }

    @Override
    void validate() {
        ScoreNetwork probe = network.apply(0);
        if (probe.dim() != data.dim()) throw new IllegalArgumentException("fit: the network is " + probe.dim() + "-dimensional, the data " + data.dim());
    }

    @Override
    Map<String, Double> execute(Cell<DiffusionLoss> cell, Recorder rec) {
        long seed = TrainExperiment.seedOf(cell.key());
        ScoreNetwork net = network.apply(seed);
        try (Optimizer opt = Optimizer.of(net.parameters(), optimizer)) {
            cell.value().fit(net, opt, data, cell.budget(), batch, seed, (step, loss) -> rec.record(loss));
        }
        keep(cell, cell.value().model(net));
        return Map.of();
    }
}
