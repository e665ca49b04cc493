package org.reprolab.implicit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The checkpoints {@code θ*_0, θ*_1, …, θ*_E} of a network trained on real data, one per epoch: the
 * "expert trajectory" that trajectory-matching distillation ({@link TrajectoryMatching}; Cazenavette et al.,
 * <i>Dataset Distillation by Matching Training Trajectories</i>, CVPR 2022, {@code buffer.py}) asks a student
 * trained on the synthetic set to follow. Parameters are one flat vector, the network a function of it
 * (the official code's {@code ReparamModule} does the same flattening).
 *
 * @param checkpoints the flat parameters at the start and after each epoch (detached)
 */
public record ExpertTrajectory(List<Tensor> checkpoints) {

    public ExpertTrajectory {
        if (checkpoints == null || checkpoints.size() < 2) {
            throw new IllegalArgumentException("an expert trajectory needs at least two checkpoints (start and one epoch), got "
                    + (checkpoints == null ? "null" : checkpoints.size()));
        }
        int[] shape = checkpoints.getFirst().shape();
        for (Tensor c : checkpoints) {
            if (c.rank() != 1 || !Arrays.equals(c.shape(), shape)) {
                throw new IllegalArgumentException("expert checkpoints must be flat parameter vectors of one length; got shapes "
                        + Arrays.toString(shape) + " and " + Arrays.toString(c.shape()));
            }
        }
        checkpoints = checkpoints.stream().map(Tensor::detach).toList();
    }

    /** The number of recorded epochs {@code E} (checkpoints minus one). */
    public int epochs() {
        return checkpoints.size() - 1;
    }

    /** {@code θ*_e}, the parameters after {@code e} epochs. */
    public Tensor at(int epoch) {
        if (epoch < 0 || epoch > epochs()) throw new IllegalArgumentException("expert epoch must be in [0, " + epochs() + "], got " + epoch);
        return checkpoints.get(epoch);
    }

    /**
     * {@code ‖θ*_{e+1} − θ*_e‖} for each epoch: how far the expert moves per epoch. AST's smooth experts move
     * less in the first epochs, where plain SGD takes its largest and most erratic steps.
     */
    public double[] displacements() {
        try (var _ = Autodiff.noGrad()) {
            double[] d = new double[epochs()];
            for (int e = 0; e < d.length; e++) d[e] = Math.sqrt(at(e + 1).sub(at(e)).square().sum().item());
            return d;
        }
    }

    /**
     * How an expert is trained: minibatch SGD with heavy-ball momentum (PyTorch's form, {@code b ← μb + g},
     * {@code θ ← θ − ηb}), shuffled each epoch.
     *
     * <p>Two smoothing devices of AST (Shen et al., <i>Efficient Dataset Distillation through Alignment with
     * Smooth and High-Quality Expert Trajectories</i>, 2023; official {@code buffer.py}/{@code utils.epoch_flat}):
     * the "clipping loss" multiplies the training loss of epoch {@code e} by {@code lossScale[e]} (factors
     * below one in the first epochs, 1 afterwards), which slows the early, steepest part of the trajectory;
     * {@code clipNorm} clips each minibatch gradient to that norm (infinite: off), the usual way to bound the
     * step. (AST's gradient penalty on the input gradient can be written into the loss itself.)
     *
     * @param epochs    epochs (checkpoints recorded after each)
     * @param batch     minibatch size
     * @param lr        SGD step size η
     * @param momentum  μ in [0, 1)
     * @param clipNorm  gradient-norm clip, {@code Double.POSITIVE_INFINITY} for none
     * @param lossScale per-epoch loss multipliers for the first epochs (shorter than {@code epochs}: 1 after)
     */
    public record Training(int epochs, int batch, double lr, double momentum, double clipNorm, double[] lossScale) {

        /** The factors of AST's official {@code buffer.py} ({@code loss_decay}) for the first eleven epochs. */
        static final double[] AST_LOSS_SCALE = {0.5, 0.5, 0.55, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9};

        public Training {
            if (epochs < 1 || batch < 1) throw new IllegalArgumentException("expert training: epochs and batch must be >= 1, got " + epochs + ", " + batch);
            if (!(lr > 0)) throw new IllegalArgumentException("expert training: lr must be > 0, got " + lr);
            if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("expert training: momentum must be in [0, 1), got " + momentum);
            if (!(clipNorm > 0)) throw new IllegalArgumentException("expert training: clipNorm must be > 0 (infinity for none), got " + clipNorm);
            lossScale = lossScale.clone();
            for (double s : lossScale) if (!(s > 0)) throw new IllegalArgumentException("expert training: loss scales must be > 0, got " + Arrays.toString(lossScale));
        }

        /** The per-epoch loss factors (a copy). */
        @Override
        public double[] lossScale() {
            return lossScale.clone();
        }

        /** Plain SGD, MTT's experts: no momentum, no clipping, no loss scaling. */
        public static Training sgd(int epochs, int batch, double lr) {
            return new Training(epochs, batch, lr, 0, Double.POSITIVE_INFINITY, new double[0]);
        }

        public Training momentum(double mu) {
            return new Training(epochs, batch, lr, mu, clipNorm, lossScale);
        }

        public Training clipNorm(double c) {
            return new Training(epochs, batch, lr, momentum, c, lossScale);
        }

        public Training lossScale(double... scales) {
            return new Training(epochs, batch, lr, momentum, clipNorm, scales);
        }

        /** AST's smooth experts: the official clipping-loss factors {@code 0.5, 0.5, 0.55, …, 0.9} on the first eleven epochs. */
        public Training smooth() {
            return lossScale(AST_LOSS_SCALE);
        }

        double scale(int epoch) {
            return epoch < lossScale.length ? lossScale[epoch] : 1.0;
        }
    }

    /**
     * Trains one expert from {@code w0} on the real data {@code (x, y)} and records its trajectory.
     *
     * @param loss the mean minibatch loss {@code L(w, xBatch, yBatch)}, tensor ops
     * @param w0   flat initial parameters
     * @param x    real inputs, one row per example
     * @param y    real targets, one row (or entry) per example, passed through to the loss
     * @param seed minibatch order
     */
    public static ExpertTrajectory train(ParametricObjective loss, Tensor w0, Tensor x, Tensor y, Training training, long seed) {
        int n = x.shape()[0];
        if (y.shape()[0] != n) throw new IllegalArgumentException("expert training: " + n + " inputs but " + y.shape()[0] + " targets");
        if (w0.rank() != 1) throw new IllegalArgumentException("expert training: w0 must be a flat parameter vector, got rank " + w0.rank());
        var rnd = new Random(seed);
        List<Tensor> checkpoints = new ArrayList<>(training.epochs() + 1);
        Tensor w = w0.detach();
        Tensor velocity = null;
        checkpoints.add(w);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) order[i] = i;
        for (int e = 0; e < training.epochs(); e++) {
            shuffle(order, rnd);
            for (int start = 0; start < n; start += training.batch()) {
                if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted during ExpertTrajectory.train");
                int[] rows = Arrays.copyOfRange(order, start, Math.min(n, start + training.batch()));
                Tensor g = TrajectoryMatching.gradient(loss, w, false, x.indexSelect(0, rows), y.indexSelect(0, rows));
                try (var _ = Autodiff.noGrad()) {
                    g = g.mul(training.scale(e));
                    double norm = Math.sqrt(g.square().sum().item());
                    if (norm > training.clipNorm()) g = g.mul(training.clipNorm() / norm);
                    velocity = velocity == null ? g : velocity.mul(training.momentum()).add(g);
                    w = w.sub(velocity.mul(training.lr()));
                }
            }
            checkpoints.add(w);
        }
        return new ExpertTrajectory(checkpoints);
    }

    private static void shuffle(int[] a, Random rnd) {
        for (int i = a.length - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = a[i];
            a[i] = a[j];
            a[j] = t;
        }
    }
}
