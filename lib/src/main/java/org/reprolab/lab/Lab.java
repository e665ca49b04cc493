package org.reprolab.lab;

import java.util.Map;
import java.util.function.LongFunction;
import org.reprolab.data.Dataset;
import org.reprolab.nn.Module;
import org.reprolab.problems.Objective;
import org.reprolab.tensor.Tensor;
import smile.data.DataFrame;

/**
 * The notebook's entrance: one builder per kind of experiment, each ending in {@code run()} and
 * returning {@link Runs}.
 *
 * <pre>{@code
 * var runs = Lab.optimize(Problems.rosenbrock()).from(-1.5, 2.0)
 *               .compare(adam(1e-2), adan(1e-2), adaBelief(1e-2), lion(1e-3), diffGrad(1e-2))
 *               .steps(2_000).run();
 * }</pre>
 *
 * Every builder shares the verbs of {@link Experiment}: {@code compare}, {@code as}, {@code seeds},
 * {@code sweep}, {@code device}, {@code parallel}, {@code progress}; each adds its budget and its
 * problem's options.
 */
public final class Lab {
    private Lab() {}

    /** Optimizers on a test function: loss and path per step. */
    public static OptimizeExperiment optimize(Objective objective) {
        return new OptimizeExperiment(objective);
    }

    /**
     * Optimizers minimising a loss of named tensors, one call of {@code loss} per step:
     * {@code Lab.optimize("toy", seed -> Map.of("w", Tensor.randn(seed, 3)), (p, t) -> p.get("w").square().sum())}.
     * The parameters keep their shapes (per-layer optimizers see layers); draw step {@code t}'s
     * minibatch from {@code t} so every method sees the same data.
     */
    public static LossExperiment optimize(String name, LongFunction<Map<String, Tensor>> init, LossExperiment.Loss loss) {
        return new LossExperiment(name, init, loss);
    }

    /**
     * Optimizers training a classifier: {@code model} builds the network from a seed (the same seed
     * gives every method the same initial weights), {@code data} is split 75/25 unless
     * {@code .test(...)} is given.
     */
    public static TrainExperiment train(LongFunction<? extends Module> model, Dataset data) {
        return new TrainExperiment(model, data);
    }

    /** The same on a Smile data frame: every column but {@code labelColumn} is a feature. */
    public static TrainExperiment train(LongFunction<? extends Module> model, DataFrame frame, String labelColumn) {
        return new TrainExperiment(model, Dataset.fromDataFrame("data", frame, labelColumn));
    }
}
