package org.reprolab.implicit;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.stream.IntStream;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Dataset distillation by matching training trajectories (MTT: Cazenavette, Wang, Torralba, Efros, Zhu, CVPR 2022)
 * and AST's refinements (Shen et al., <i>Efficient Dataset Distillation through Alignment with Smooth and
 * High-Quality Expert Trajectories</i>, 2023; official code {@code shenjiyuan123/AST-Alignment-with-Smooth-Expert},
 * {@code distill.py}).
 *
 * <p>The bilevel problem of dataset distillation solved by unrolling rather than by the implicit function
 * theorem: a student starts at an expert checkpoint {@code θ*_t}, takes {@code N} plain gradient steps
 * {@code θ ← θ − α ∇_θ ℓ(θ; X_s, Y_s)} on the synthetic set, and the loss
 * <pre>
 *   L(X_s, α) = ‖θ̂_{t+N} − θ*_{t+M}‖² / ‖θ*_t − θ*_{t+M}‖²
 * </pre>
 * asks it to land where the expert was {@code M} epochs later on real data. The gradient to the images and to
 * the student step size α runs back through the N steps by reverse-mode autodiff (second-order terms
 * included: every inner gradient is recorded with {@code createGraph}). Where the implicit distillation of
 * Blondel et al. needs an inner problem with an optimality condition (ridge), this needs only a loss and
 * recorded experts, so the student can be any network.
 *
 * <p>AST's changes, each a switch here (the expert smoothing lives in {@link ExpertTrajectory.Training}):
 * <ul>
 * <li>{@code intermediate}: also match {@code θ̂_{iN/M}} to {@code θ*_{t+i}} for {@code i = 1..M−1}, each
 * normalised by its own displacement and added with weight 1 ({@code --agg_middle_loss});
 * <li>{@code balanced}: the inner loss is scaled by {@code log₅(t − T/2 + 8)} for a start epoch
 * {@code t ≥ T/2} and divided by {@code log₅(T/2 − t + 8)} below, {@code T} the largest start epoch
 * ({@code --balance_loss});
 * <li>{@code perturbation} ρ: the start is {@code θ*_t + ρ (d/‖d‖) ⊙ θ*_t}, d Gaussian ({@code --weight_perturb},
 * ρ = 1 there, on convolution weights; here on the whole flat vector);
 * <li>{@link #representative}: initial images nearest to k-means centres of the expert's outputs per class
 * ({@code --pix_init avg}).
 * </ul>
 *
 * @param innerLoss     {@code ℓ(θ, X, Y)}: the mean loss of flat parameters θ on inputs X with targets Y
 * @param experts       recorded expert trajectories
 * @param labels        the synthetic set's targets Y_s (passed to the loss)
 * @param studentSteps  N
 * @param expertEpochs  M
 * @param maxStartEpoch starts are drawn from {@code [0, maxStartEpoch)}
 * @param intermediate  AST's intermediate matching
 * @param balanced      AST's balanced inner loss
 * @param perturbation  AST's weight perturbation ρ (0: off)
 * @param momentum      the student's heavy-ball momentum (0 in MTT, 0.9 in AST's code)
 * @param seed          draws of the expert, the start and the perturbation per iteration
 */
public record TrajectoryMatching(ParametricObjective innerLoss, List<ExpertTrajectory> experts, Tensor labels, int studentSteps,
                                 int expertEpochs, int maxStartEpoch, boolean intermediate, boolean balanced, double perturbation,
                                 double momentum, long seed) {

    public TrajectoryMatching {
        if (innerLoss == null || labels == null) throw new IllegalArgumentException("trajectory matching: the inner loss and the synthetic labels are required");
        if (experts == null || experts.isEmpty()) throw new IllegalArgumentException("trajectory matching: at least one expert trajectory is required");
        experts = List.copyOf(experts);
        if (studentSteps < 1 || expertEpochs < 1 || maxStartEpoch < 1) {
            throw new IllegalArgumentException("trajectory matching: studentSteps, expertEpochs and maxStartEpoch must be >= 1, got "
                    + studentSteps + ", " + expertEpochs + ", " + maxStartEpoch);
        }
        if (intermediate && studentSteps < expertEpochs) {
            throw new IllegalArgumentException("trajectory matching: intermediate matching needs studentSteps >= expertEpochs, got " + studentSteps + " < " + expertEpochs);
        }
        for (ExpertTrajectory e : experts) {
            if (maxStartEpoch - 1 + expertEpochs > e.epochs()) {
                throw new IllegalArgumentException("trajectory matching: a start below " + maxStartEpoch + " plus " + expertEpochs
                        + " expert epochs needs experts of at least " + (maxStartEpoch - 1 + expertEpochs) + " epochs; one has " + e.epochs());
            }
        }
        if (!(perturbation >= 0)) throw new IllegalArgumentException("trajectory matching: perturbation must be >= 0, got " + perturbation);
        if (!(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("trajectory matching: student momentum must be in [0, 1), got " + momentum);
    }

    /** Plain MTT: N student steps matched to M expert epochs, starts below {@code maxStartEpoch}. */
    public static TrajectoryMatching of(ParametricObjective innerLoss, List<ExpertTrajectory> experts, Tensor labels,
                                        int studentSteps, int expertEpochs, int maxStartEpoch) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, false, false, 0, 0, 0);
    }

    /**
     * AST's student side as its official {@code distill.sh} runs it: intermediate matching, the balanced inner
     * loss and a heavy-ball student (momentum 0.9, {@code --mom}'s default); the perturbation is set apart.
     */
    public TrajectoryMatching ast() {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, true, true, perturbation, 0.9, seed);
    }

    public TrajectoryMatching intermediate(boolean on) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, on, balanced, perturbation, momentum, seed);
    }

    public TrajectoryMatching balanced(boolean on) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, intermediate, on, perturbation, momentum, seed);
    }

    public TrajectoryMatching perturbation(double rho) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, intermediate, balanced, rho, momentum, seed);
    }

    /** The student's heavy-ball momentum μ ({@code b ← μb + ∇ℓ}, {@code θ ← θ − αb}; 0: MTT's plain steps). */
    public TrajectoryMatching momentum(double mu) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, intermediate, balanced, perturbation, mu, seed);
    }

    public TrajectoryMatching seed(long s) {
        return new TrajectoryMatching(innerLoss, experts, labels, studentSteps, expertEpochs, maxStartEpoch, intermediate, balanced, perturbation, momentum, s);
    }

    /**
     * The matching loss at outer iteration {@code iteration}: the expert and start epoch drawn from
     * {@code (seed, iteration)}, so reruns (and every method compared at one iteration) see the same draw.
     *
     * @param images the synthetic inputs X_s (differentiated when they require grad)
     * @param lr     the student step size α, a scalar tensor (differentiated when it requires grad)
     */
    public Tensor loss(Tensor images, Tensor lr, int iteration) {
        var rnd = new Random(seed * 0x9E3779B97F4A7C15L + iteration);
        ExpertTrajectory expert = experts.get(rnd.nextInt(experts.size()));
        int start = rnd.nextInt(maxStartEpoch);
        return loss(images, lr, expert, start, rnd.nextLong());
    }

    /** The matching loss from epoch {@code start} of {@code expert}; {@code noise} seeds the weight perturbation. */
    public Tensor loss(Tensor images, Tensor lr, ExpertTrajectory expert, int start, long noise) {
        if (start < 0 || start + expertEpochs > expert.epochs()) {
            throw new IllegalArgumentException("trajectory matching: start epoch " + start + " + " + expertEpochs + " is past the expert's " + expert.epochs() + " epochs");
        }
        if (lr.numel() != 1) throw new IllegalArgumentException("trajectory matching: the student lr must be a scalar, got shape " + Arrays.toString(lr.shape()));
        Tensor theta0 = expert.at(start);
        if (perturbation > 0) {
            Tensor d = Tensor.randn(theta0.dtype(), noise, theta0.shape());
            theta0 = theta0.add(d.div(Math.sqrt(d.square().sum().item())).mul(theta0).mul(perturbation));
        }
        double scale = balanced ? balance(start, maxStartEpoch) : 1.0;
        ParametricObjective inner = scale == 1.0 ? innerLoss : (w, th) -> innerLoss.apply(w, th).mul(scale);
        boolean graph = images.requiresGrad() || lr.requiresGrad();
        Tensor w = theta0;
        Tensor velocity = null;
        Tensor total = null;
        int matched = 1;
        for (int step = 1; step <= studentSteps; step++) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted during TrajectoryMatching.loss");
            Tensor g = gradient(inner, w, graph, images, labels);
            velocity = velocity == null ? g : velocity.mul(momentum).add(g);
            w = w.sub(velocity.mul(lr));
            boolean middle = intermediate && matched < expertEpochs && step == (studentSteps / expertEpochs) * matched;
            if (middle || step == studentSteps) {
                Tensor target = expert.at(start + (step == studentSteps ? expertEpochs : matched));
                Tensor term = w.sub(target).square().sum().div(theta0.sub(target).square().sum());
                total = total == null ? term : total.add(term);
                matched++;
            }
        }
        return total;
    }

    /** AST's balance factor (official {@code distill.py}): up-weights late starts, down-weights early ones. */
    static double balance(int start, int maxStartEpoch) {
        int half = maxStartEpoch / 2;
        return start >= half ? Math.log(start - half + 8) / Math.log(5) : Math.log(5) / Math.log(half - start + 8);
    }

    /**
     * A student trained from {@code w0} by {@code steps} full-batch heavy-ball steps ({@code b ← μb + ∇ℓ},
     * {@code θ ← θ − αb}) on {@code (x, y)}: how a distilled set is evaluated, a fresh network trained on it
     * alone with the student rule it was distilled for. Differentiable when {@code x} requires grad.
     */
    public static Tensor unroll(ParametricObjective loss, Tensor w0, Tensor x, Tensor y, double lr, double momentum, int steps) {
        if (steps < 0) throw new IllegalArgumentException("unroll: steps must be >= 0, got " + steps);
        if (!(lr > 0) || !(momentum >= 0 && momentum < 1)) throw new IllegalArgumentException("unroll: lr > 0 and momentum in [0, 1), got " + lr + ", " + momentum);
        boolean graph = x.requiresGrad();
        Tensor w = w0;
        Tensor velocity = null;
        for (int s = 0; s < steps; s++) {
            if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted during TrajectoryMatching.unroll");
            Tensor g = gradient(loss, w, graph, x, y);
            velocity = velocity == null ? g : velocity.mul(momentum).add(g);
            w = w.sub(velocity.mul(lr));
        }
        return graph ? w : w.detach();
    }

    /** A fresh student trained on {@code (x, y)} with this matching's student rule (its momentum) at step size {@code lr}. */
    public Tensor train(Tensor w0, Tensor x, double lr, int steps) {
        return unroll(innerLoss, w0, x, labels, lr, momentum, steps);
    }

    /**
     * {@code ∇_w loss(w, data…)}: recorded (differentiable in w and the data) when {@code graph}, else
     * a detached value computed on a fresh leaf.
     */
    static Tensor gradient(ParametricObjective loss, Tensor w, boolean graph, Tensor... data) {
        try (var _ = Autodiff.enableGrad()) {
            if (graph) {
                Tensor wg = w.requiresGrad() ? w : w.detach().requiresGrad(true);
                return Autodiff.grad(loss.apply(wg, data), List.of(wg), null, true).getFirst();
            }
            Tensor leaf = w.detach().requiresGrad(true);
            Tensor[] fixed = Arrays.stream(data).map(Tensor::detach).toArray(Tensor[]::new);
            return Autodiff.grad(loss.apply(leaf, fixed), List.of(leaf), null, false).getFirst().detach();
        }
    }

    /**
     * AST's representative initialisation: for each class, the {@code perClass} real examples nearest to the
     * centres of a k-means clustering ({@code k = perClass}, Lloyd's iterations from evenly spaced members)
     * of that class's {@code features} (the official code clusters a trained expert's logits). Returns row
     * indices into {@code features}, class by class.
     *
     * @param features one row per real example (e.g. an expert's outputs)
     * @param classes  the class of each row, in {@code [0, classCount)}
     */
    public static int[] representative(Tensor features, int[] classes, int classCount, int perClass) {
        if (features.rank() != 2 || features.shape()[0] != classes.length) {
            throw new IllegalArgumentException("representative: features must be [n, d] with one class per row; got "
                    + Arrays.toString(features.shape()) + " and " + classes.length + " classes");
        }
        if (perClass < 1) throw new IllegalArgumentException("representative: perClass must be >= 1, got " + perClass);
        double[] f = features.detach().toDoubleArray();
        int d = features.shape()[1];
        List<Integer> chosen = new ArrayList<>();
        for (int c = 0; c < classCount; c++) {
            final int cls = c;
            int[] members = IntStream.range(0, classes.length).filter(i -> classes[i] == cls).toArray();
            if (members.length < perClass) throw new IllegalArgumentException("representative: class " + c + " has " + members.length + " examples, fewer than " + perClass);
            double[][] centres = KMeansCentres.of(f, d, members, perClass);
            for (double[] centre : centres) {
                int best = -1;
                double bestDist = Double.POSITIVE_INFINITY;
                for (int i : members) {
                    double dist = KMeansCentres.distance(f, d, i, centre);
                    if (dist < bestDist && !chosen.contains(i)) {
                        bestDist = dist;
                        best = i;
                    }
                }
                chosen.add(best);
            }
        }
        return chosen.stream().mapToInt(Integer::intValue).toArray();
    }

    /** Lloyd's k-means on selected rows of a row-major matrix, deterministic (evenly spaced members as the start). */
    private static final class KMeansCentres {
        static double[][] of(double[] f, int d, int[] members, int k) {
            double[][] centres = new double[k][];
            for (int j = 0; j < k; j++) centres[j] = Arrays.copyOfRange(f, members[j * members.length / k] * d, members[j * members.length / k] * d + d);
            int[] assign = new int[members.length];
            for (int iter = 0; iter < 100; iter++) {
                boolean changed = false;
                for (int m = 0; m < members.length; m++) {
                    int best = 0;
                    for (int j = 1; j < k; j++) if (distance(f, d, members[m], centres[j]) < distance(f, d, members[m], centres[best])) best = j;
                    changed |= best != assign[m] || iter == 0;
                    assign[m] = best;
                }
                if (!changed) break;
                double[][] sums = new double[k][d];
                int[] counts = new int[k];
                for (int m = 0; m < members.length; m++) {
                    counts[assign[m]]++;
                    for (int q = 0; q < d; q++) sums[assign[m]][q] += f[members[m] * d + q];
                }
                for (int j = 0; j < k; j++) if (counts[j] > 0) for (int q = 0; q < d; q++) centres[j][q] = sums[j][q] / counts[j];
            }
            return centres;
        }

        static double distance(double[] f, int d, int row, double[] centre) {
            double s = 0;
            for (int q = 0; q < d; q++) {
                double t = f[row * d + q] - centre[q];
                s += t * t;
            }
            return s;
        }
    }
}
