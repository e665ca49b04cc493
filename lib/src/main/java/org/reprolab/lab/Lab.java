package org.reprolab.lab;

import java.util.function.Function;
import java.util.Map;
import java.util.function.LongFunction;
import org.reprolab.data.Dataset;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.MixtureInterpolant;
import org.reprolab.diffusion.MarkovSequence;
import org.reprolab.diffusion.MaskedDiffusion;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.ScoreNetwork;
import org.reprolab.nn.Module;
import org.reprolab.optim.Transform;
import org.reprolab.ode.OdeProblems;
import org.reprolab.ode.Problem;
import org.reprolab.problems.Objective;
import org.reprolab.random.RngKey;
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
     * Optimizers minimising a finite sum over {@code examples} examples, {@code loss} being the mean loss over the
     * given example indices: each step descends the mean over {@code batch(B)} examples drawn without replacement
     * (all of them by default, gradient descent), {@code sweep("batch", 1, 8, n)} compares batch sizes, and the
     * recorded loss is the full objective. The SGD-versus-GD setting of Wu and Su (ICML 2023).
     */
    public static LossExperiment optimize(String name, LongFunction<Map<String, Tensor>> init, int examples, LossExperiment.Minibatch loss) {
        return new LossExperiment(name, init, examples, loss);
    }

    /**
     * Optimizers training a classifier: {@code model} builds the network from a seed (the same seed
     * gives every method the same initial weights), {@code data} is split 75/25 unless
     * {@code .test(...)} is given.
     */
    public static TrainExperiment train(LongFunction<? extends Module> model, Dataset data) {
        return new TrainExperiment(model, data);
    }

    /**
     * Hypergradient methods compared on a bilevel problem: {@code Lab.implicit(problem).at(0.1)
     * .compare(Hypergradient.implicit(), Hypergradient.unrolled(30)).reference(closedForm).run()}.
     */
    public static ImplicitExperiment implicit(BilevelProblem problem) {
        return new ImplicitExperiment(problem);
    }

    /** Outer loops compared on a bilevel problem: an optimizer with a hypergradient method, or BO-REP; loss per outer step. */
    public static BilevelExperiment bilevel(BilevelProblem problem) {
        return new BilevelExperiment(problem);
    }

    /**
     * Federated algorithms ({@link org.reprolab.federated.FederatedMethod}) compared on one federation:
     * test accuracy, local loss, uplink bytes and simulated time per round.
     */
    public static FederateExperiment federate(org.reprolab.federated.Federation federation) {
        return new FederateExperiment(federation);
    }

    /** Iterative solvers compared on one problem: error against iterations and time, iterations to tolerance. */
    public static <P> IterateExperiment<P> iterate(P problem) {
        return new IterateExperiment<>(problem);
    }

    /**
     * Solvers × tolerances on one of the standard test problems ({@code OdeProblems.lotkaVolterra()}): error of
     * y(t1), NFE, steps and time per tolerance, the work–precision diagram.
     */
    public static SolveExperiment solve(OdeProblems.Problem problem) {
        var p = problem.problem();
        return new SolveExperiment(problem.name(), key -> p);
    }

    /**
     * The same on any problem over {@code double[]}, built from each seed's key (an SDE's Brownian path:
     * {@code key -> SdeProblem.of(sys, 0, 1, y0, new VirtualBrownianTree(key, 0, 1, d, 1e-6))}); a deterministic
     * problem ignores the key ({@code key -> problem}).
     */
    public static SolveExperiment solve(String name, Function<RngKey, ? extends Problem<double[]>> problem) {
        return new SolveExperiment(name, problem);
    }

    /**
     * Models trained by gradient steps on losses they define ({@link Fit}: a neural ODE, a DEQ, a regularised or
     * self-sampled loss), all with {@code optimizer}: loss and tracked series per step, evaluations after.
     */
    public static FitExperiment fit(Transform optimizer) {
        return new FitExperiment(optimizer);
    }

    /** The same on a Smile data frame: every column but {@code labelColumn} is a feature. */
    public static TrainExperiment train(LongFunction<? extends Module> model, DataFrame frame, String labelColumn) {
        return new TrainExperiment(model, Dataset.fromDataFrame("data", frame, labelColumn));
    }

    /**
     * Samplers × NFE budgets on a Gaussian mixture diffused by {@code schedule}, with its exact score: the
     * endpoint error against the accurate ODE solve from the same noise, sliced W2 to exact samples, measured
     * orders.
     */
    public static SampleExperiment sample(GaussianMixture target, NoiseSchedule schedule) {
        return SampleExperiment.of(target, schedule);
    }

    /** Samplers × NFE budgets on any model (give its noise with {@code noise(z)}), e.g. a trained network ({@code runs.output(...)} of {@link #fit}). */
    public static SampleExperiment sample(DiffusionModel model) {
        return new SampleExperiment(model, "model", 0);
    }

    /** Guidance methods × scales ({@code Guider.cfg(w)}, {@code Guider.apg(...)}) on a conditional and an unconditional model. */
    public static GuideExperiment guide(DiffusionModel cond, DiffusionModel uncond) {
        return new GuideExperiment(cond, uncond);
    }

    /**
     * Generation with a stochastic interpolant between Gaussian mixtures: the ODE and SDEs of any diffusion
     * coefficient ({@code InterpolantSampler}s), each checked against exact samples of the marginal ρ_t at
     * equally spaced times (Albergo, Boffi &amp; Vanden-Eijnden 2023).
     */
    public static TransportExperiment transport(MixtureInterpolant interpolant) {
        return new TransportExperiment(interpolant);
    }

    /**
     * Samplers of a masked (absorbing-state) diffusion model whose network is the exact conditional of a Markov chain
     * ({@code MaskedSampler.FirstHitting}, {@code MaskedSampler.TimeStepped}): the distance of the generated law to
     * the chain's, the token entropy, network calls and categorical draws (Zheng et al. 2024).
     */
    public static UnmaskExperiment unmask(MarkovSequence target) {
        return UnmaskExperiment.of(target);
    }

    /** The same on any masked diffusion model (a trained network); {@code against(chain)} adds the distances. */
    public static UnmaskExperiment unmask(MaskedDiffusion model) {
        return new UnmaskExperiment(model, "masked diffusion (V=" + model.vocabulary() + ", L=" + model.length() + ")");
    }

    /**
     * Post-training quantisations ({@code PostTrainingQuantization}: calibration set × bit widths, PTQ4DM) of a
     * trained diffusion {@code network} whose full-precision model is {@code model}, compared by their samples;
     * {@code data} is the training data the forward-noised calibrations draw from.
     */
    public static QuantizeExperiment quantize(Module network, DiffusionModel model, Batch data) {
        return new QuantizeExperiment(network, model, data);
    }

    /** Training objectives (score matching, flow matching) fitting a network built from a seed to data. */
    public static ScoreFitExperiment fit(LongFunction<? extends ScoreNetwork> network, Batch data) {
        return new ScoreFitExperiment(network, data);
    }

    /**
     * A result that re-renders when a control moves: {@code Lab.interact(v -> Lab.optimize(problem)
     * .compare(adam(v.number("lr"))).run(), Control.logSlider("lr", 1e-4, 1e-1, 1e-2))}. In a notebook
     * the controls appear above an output area holding the render function's result (a {@code Runs}
     * shows its figures); moves are debounced ({@link Interaction#DEFAULT_DEBOUNCE}) so a dragged slider
     * runs the latest values, not every step of the drag. An error in {@code render} shows in the output
     * area. Elsewhere it renders once at the initial values.
     */
    public static Interaction interact(Function<Interaction.Values, ?> render, Control<?>... controls) {
        return new Interaction(java.util.List.of(controls), render, Interaction.DEFAULT_DEBOUNCE).show();
    }

    /** The same with one control whose value the render function takes directly. */
    public static <A> Interaction interact(Control<A> control, Function<? super A, ?> render) {
        return interact(v -> render.apply(v.get(control)), control);
    }

    /** The same with two controls. */
    public static <A, B> Interaction interact(Control<A> first, Control<B> second,
                                              java.util.function.BiFunction<? super A, ? super B, ?> render) {
        return interact(v -> render.apply(v.get(first), v.get(second)), first, second);
    }

    /** The same with the quiet period after a move before rendering (longer for slow renders). */
    public static Interaction interact(java.time.Duration debounce, Function<Interaction.Values, ?> render, Control<?>... controls) {
        return new Interaction(java.util.List.of(controls), render, debounce).show();
    }
}
