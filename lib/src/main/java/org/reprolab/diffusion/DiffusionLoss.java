package org.reprolab.diffusion;

import org.reprolab.nn.Losses;
import org.reprolab.optim.Optimizer;
import org.reprolab.tensor.Tensor;
import org.reprolab.tensor.TensorScope;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * The regression objective that trains a network as a diffusion or flow model: draw data {@code x₀}, a time
 * {@code t ~ U(tEnd, tStart)} and noise {@code ε}, form {@code x_t = α_t x₀ + σ_t ε}, and regress the network's
 * output on the target of type {@link #prediction()}, computed from (ε, x₀) by
 * {@link Prediction#fromNoiseAndData}. Its minimiser is the posterior mean of the target given {@code x_t}, which
 * for a {@link GaussianMixture} is known exactly ({@link #evaluate} gives that floor).
 *
 * <ul>
 *   <li>{@link #scoreMatching}: ε-prediction, the "simple" loss of Ho et al. 2020 (DDPM), which is denoising score
 *       matching (Vincent 2011; Song et al. 2021, eq. 7) with weight σ_t², since {@code ∇log p_t = −ε̂/σ_t}.</li>
 *   <li>{@link #flowMatching}: the linear interpolant {@code x_t = (1−t)x₀ + tε} with the velocity target
 *       {@code ε − x₀}: rectified flow (Liu et al. 2023), conditional flow matching (Lipman et al. 2023) and the
 *       one-sided linear stochastic interpolant (Albergo &amp; Vanden-Eijnden 2023; velocity objective
 *       {@code E|b̂ − (α̇x₀ + β̇x₁)|²}).</li>
 * </ul>
 */
public record DiffusionLoss(NoiseSchedule schedule, Prediction prediction) {

    /** ε-prediction under {@code schedule} (denoising score matching). */
    public static DiffusionLoss scoreMatching(NoiseSchedule schedule) {
        return new DiffusionLoss(schedule, Prediction.NOISE);
    }

    /** Flow matching / rectified flow: the linear interpolant with the velocity {@code ε − x₀}. */
    public static DiffusionLoss flowMatching() {
        return new DiffusionLoss(NoiseSchedule.rectifiedFlow(), Prediction.FLOW);
    }

    /** One drawn minibatch: noised points {@code x [n, d]}, their times {@code t [n]}, the targets {@code [n, d]}. */
    public record Example(double[] x, double[] t, double[] target, int n, int dim) {}

    /** Draws times and noise for {@code x0}: uniforms from {@code key.foldIn(0)}, normals from {@code key.foldIn(1)}. */
    public Example draw(Batch x0, RngKey key) {
        int n = x0.n(), d = x0.dim();
        double[] t = new double[n], eps = new double[n * d];
        Philox.fill(key.foldIn(0), false, 0, t, 0, n);
        Philox.fill(key.foldIn(1), true, 0, eps, 0, n * d);
        double lo = schedule.tEnd(), hi = schedule.tStart();
        double[] x = new double[n * d], target = new double[n * d];
        double[] e1 = new double[d], d1 = new double[d], p1 = new double[d];
        for (int i = 0; i < n; i++) {
            t[i] = lo + (hi - lo) * t[i];
            double a = schedule.alpha(t[i]), s = schedule.sigma(t[i]);
            System.arraycopy(eps, i * d, e1, 0, d);
            System.arraycopy(x0.data(), i * d, d1, 0, d);
            prediction.fromNoiseAndData(e1, d1, a, s, p1);
            for (int j = 0; j < d; j++) {
                x[i * d + j] = a * d1[j] + s * e1[j];
                target[i * d + j] = p1[j];
            }
        }
        return new Example(x, t, target, n, d);
    }

    /** The loss of the network on one draw, as a tensor to differentiate. */
    public Tensor loss(ScoreNetwork net, Batch x0, RngKey key) {
        Example e = draw(x0, key);
        Tensor out = net.forward(Tensor.of(e.x(), e.n(), e.dim()), Tensor.of(e.t(), e.n()));
        return Losses.mse(out, Tensor.of(e.target(), e.n(), e.dim()));
    }

    /** The same loss for any model of this prediction type (e.g. the exact mixture model: the floor of the loss). */
    public double evaluate(DiffusionModel model, Batch x0, RngKey key) {
        if (model.prediction() != prediction) throw new IllegalArgumentException("the loss regresses " + prediction + ", the model predicts " + model.prediction());
        Example e = draw(x0, key);
        double sum = 0;
        double[] out = new double[e.dim()];
        for (int i = 0; i < e.n(); i++) {
            if ((i & 1023) == 0) Run.checkInterrupt("diffusion loss evaluation");
            double[] xi = java.util.Arrays.copyOfRange(e.x(), i * e.dim(), (i + 1) * e.dim());
            model.eval(new Batch(1, e.dim(), xi), e.t()[i], out);
            for (int j = 0; j < e.dim(); j++) { double v = out[j] - e.target()[i * e.dim() + j]; sum += v * v; }
        }
        return sum / (e.n() * e.dim());
    }

    /**
     * Trains {@code net} for {@code steps} optimizer steps on minibatches of {@code batchSize} rows of {@code data}
     * (drawn with replacement; step {@code i} uses Philox key {@code seed.foldIn(i)}); returns the loss of every step.
     * Interruptible: each step checks the thread's interrupt flag (so do the backward pass and the optimizer).
     */
    public double[] fit(ScoreNetwork net, Optimizer optimizer, Batch data, int steps, int batchSize, long seed) {
        double[] losses = new double[Math.max(steps, 0)];
        fit(net, optimizer, data, steps, batchSize, seed, (s, l) -> {
            losses[s] = l;
            return true;
        });
        return losses;
    }

    /** What {@link #fit} reports after each step: the step's index and loss; false stops the training there. */
    @FunctionalInterface
    public interface StepListener {
        boolean step(int step, double loss);
    }

    /** {@link #fit} reporting each step's loss to {@code listener} as it goes (a progress bar, a stop request); returns the steps taken. */
    public int fit(ScoreNetwork net, Optimizer optimizer, Batch data, int steps, int batchSize, long seed, StepListener listener) {
        if (data.dim() != net.dim()) throw new IllegalArgumentException("data is " + data + ", the network is " + net.dim() + "-dimensional");
        if (steps < 1 || batchSize < 1) throw new IllegalArgumentException("fit needs steps >= 1 and batchSize >= 1");
        RngKey root = RngKey.of(seed);
        double[] u = new double[batchSize];
        int d = data.dim();
        for (int s = 0; s < steps; s++) {
            Run.checkInterrupt("diffusion training step " + s);
            RngKey k = root.foldIn(s);
            Philox.fill(k.foldIn(2), false, 0, u, 0, batchSize);
            double[] rows = new double[batchSize * d];
            for (int i = 0; i < batchSize; i++) {
                int r = Math.min(data.n() - 1, (int) (u[i] * data.n()));
                System.arraycopy(data.data(), r * d, rows, i * d, d);
            }
            double value;
            try (TensorScope _ = Tensor.scope()) { // the step's activations and gradients are reused by the next step
                net.zeroGrad();
                Tensor l = loss(net, new Batch(batchSize, d, rows), k);
                l.backward();
                optimizer.step();
                value = l.item();
            }
            if (!listener.step(s, value)) return s + 1;
        }
        return steps;
    }

    /** The trained network as a model of this loss's schedule and prediction type. */
    public DiffusionModel model(ScoreNetwork net) {
        return net.model(schedule, prediction);
    }
}
