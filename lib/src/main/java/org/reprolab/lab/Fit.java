package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.LongFunction;
import org.reprolab.nn.Module;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Tensor;

/**
 * A model under training for {@code Lab.fit}: its name, its parameters and the loss of one step, with optional
 * per-step extras (a projection after the optimizer's step) and a final evaluation. The step computes whatever the
 * model needs (a full batch, a minibatch it draws itself, an ODE solve) and returns the loss to differentiate;
 * what else it measures it puts into {@link Metrics} under the names {@code Lab.fit(...).track(...)} declared.
 *
 * <pre>{@code
 * Fit.of("neural ODE", params, (step, m) -> {
 *     var sol = Ode.solve(TensorProblem.of(field, 0, 1, x), Solvers.tsit5(), tol);
 *     m.put("nfe", sol.stats().nfev());
 *     return Losses.crossEntropy(head.forward(sol.yEnd()), y);
 * }).evaluate(m -> m.put("test_accuracy", accuracy(...)))
 * }</pre>
 *
 * {@code Fit.of} trains the given tensors in place, so after {@code run()} the notebook holds the trained model;
 * with {@code seeds(n > 1)} use {@link #seeded}, which builds a fresh model per seed.
 *
 * @param name      the row's name
 * @param parameters the tensors the optimizer updates (null for a seeded fit, which builds them per seed)
 * @param step      the loss of one step
 * @param beforeStep run after the backward pass and before the optimizer's step, outside autodiff: a gradient
 *                  preconditioner that is not an element-wise chain (MKOR's per-layer Kronecker factors); may be null
 * @param after     run after every optimizer step, outside autodiff (a projection, a clamp); may be null
 * @param evaluate  run once after training, outside autodiff; its metrics become the run's scalars; may be null
 * @param optimizer this model's own optimizer, or null for the experiment's
 * @param perSeed   for a seeded fit: the fit of a seed
 */
public record Fit(String name, Map<String, Tensor> parameters, Step step, Runnable beforeStep, Runnable after, Consumer<Metrics> evaluate,
                  Transform optimizer, LongFunction<Fit> perSeed) {

    /** The loss of step {@code step} (0-based); extra measurements go into {@code metrics}. */
    @FunctionalInterface
    public interface Step {
        Tensor loss(int step, Metrics metrics) throws Exception;
    }

    /** Named numbers a step or an evaluation reports. */
    public static final class Metrics {
        final Map<String, Double> values = new LinkedHashMap<>();

        public void put(String name, double value) {
            values.put(Objects.requireNonNull(name, "metric name"), value);
        }
    }

    public Fit {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("fit: a model needs a name");
        if (perSeed == null) {
            Objects.requireNonNull(parameters, "parameters");
            Objects.requireNonNull(step, "step");
            if (parameters.isEmpty()) throw new IllegalArgumentException("fit: " + name + " has no parameters to train");
        }
    }

    /** Trains {@code parameters} (in place) on the loss of {@code step}. */
    public static Fit of(String name, Map<String, Tensor> parameters, Step step) {
        return new Fit(name, java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters)), step, null, null, null, null, null);
    }

    /** Trains a module's parameters. */
    public static Fit of(String name, Module model, Step step) {
        return of(name, model.parameters(), step);
    }

    /** A fresh fit per seed (the seed's number builds the model and draws its data), for {@code seeds(n)}. */
    public static Fit seeded(String name, LongFunction<Fit> perSeed) {
        return new Fit(name, null, null, null, null, null, null, Objects.requireNonNull(perSeed, "perSeed"));
    }

    /**
     * Runs {@code action} after every backward pass, before the optimizer's step and without recording gradients:
     * a preconditioner that rewrites the gradients in place, e.g. {@code mkor.precondition(inputs, outputGrads)}
     * with what the step stored (MKOR, Mozaffari et al. 2023: the optimizer it wraps then steps on them).
     */
    public Fit beforeStep(Runnable action) {
        return new Fit(name, parameters, step, action, after, evaluate, optimizer, perSeed);
    }

    /** Runs {@code action} after every optimizer step, without recording gradients (e.g. a norm projection). */
    public Fit after(Runnable action) {
        return new Fit(name, parameters, step, beforeStep, action, evaluate, optimizer, perSeed);
    }

    /** Measures the trained model once, after the last step and without recording gradients (test accuracy, prediction cost). */
    public Fit evaluate(Consumer<Metrics> evaluation) {
        return new Fit(name, parameters, step, beforeStep, after, evaluation, optimizer, perSeed);
    }

    /** Trains this model with its own optimizer instead of the experiment's. */
    public Fit optimizer(Transform chain) {
        return new Fit(name, parameters, step, beforeStep, after, evaluate, chain, perSeed);
    }
}
