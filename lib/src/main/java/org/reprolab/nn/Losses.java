package org.reprolab.nn;

import java.util.Arrays;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/** Training losses, averaged over all elements / the batch (PyTorch's reduction="mean"). */
public final class Losses {
    private Losses() {}

    /** mean((pred - target)^2). */
    public static Tensor mse(Tensor pred, Tensor target) {
        return pred.mse(target);
    }

    /** Mean cross-entropy of logits [N, C] against class indices. */
    public static Tensor crossEntropy(Tensor logits, int... targets) {
        return logits.crossEntropy(targets);
    }

    /** Cross-entropy against class indices [N] or class probabilities shaped like the logits. */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return logits.crossEntropy(target);
    }

    /**
     * StableMax (Prieto, Barsbey, Mediano and Birdal, "Grokking at the Edge of Numerical Stability", ICLR 2025,
     * eq. 6; code {@code utils.py}): probabilities {@code s(z_i) / sum_j s(z_j)} along the last axis with
     * {@code s(x) = x + 1} for {@code x >= 0} and {@code 1 / (1 - x)} for {@code x < 0} in place of {@code exp}.
     * {@code s} grows linearly, so scaling the logits up cannot drive the probabilities to exactly 0 and 1 in
     * floating point, which is how softmax collapses. Not shift-invariant: it is applied to the raw logits,
     * never after subtracting the maximum. Computed in float64 whatever the logits' dtype, as the official code
     * does; the result is float64. (The official {@code 1 / (1 - x + 1e-30)} adds its epsilon to
     * {@code 1 - x >= 1}, where float64 rounds it away.)
     */
    public static Tensor stableMax(Tensor logits) {
        Tensor s = stableMaxTerms(logits);
        return s.div(s.sum(-1, true));
    }

    /**
     * Mean {@code -log} {@link #stableMax StableMax} probability of the target class of logits {@code [N, C]}:
     * the paper's StableMax cross-entropy, in float64 (the official {@code stablemax_cross_entropy}); the
     * gradient reaches the logits in their own dtype.
     */
    public static Tensor stableMaxCrossEntropy(Tensor logits, int... targets) {
        return stableMaxCrossEntropyRows(logits, targets).mean();
    }

    /** The per-row terms of {@link #stableMaxCrossEntropy}, shape {@code [N, 1]} (PyTorch's reduction="none"). */
    public static Tensor stableMaxCrossEntropyRows(Tensor logits, int... targets) {
        Tensor s = stableMaxTerms(logits);
        return s.div(s.sum(1, true)).log().gather(1, targetIndex("stableMaxCrossEntropy", logits, targets)).neg();
    }

    /**
     * The per-row terms of {@link #crossEntropy(Tensor, int...)}, shape {@code [N, 1]}, in the logits' dtype. The
     * fraction of rows where they are exactly 0 is the official logger's {@code zero_terms}: in float32 a row's loss
     * is 0 once {@code log sum_j exp(z_j - max z)} falls below half an ulp of the largest logit, which happens before
     * (and more often than) the sum itself rounding to 1 ({@link #softmaxCollapse}).
     */
    public static Tensor crossEntropyRows(Tensor logits, int... targets) {
        return logits.logSoftmax(1).gather(1, targetIndex("crossEntropyRows", logits, targets)).neg();
    }

    /**
     * {@code s(x)} in float64. The reciprocal branch is taken of {@code min(x, 0)}, so it stays finite where it is
     * not selected and puts no NaN into the gradient; at 0 the selected branch is {@code x + 1}, slope 1, as the
     * official {@code torch.where(x < 0, ...)}.
     */
    private static Tensor stableMaxTerms(Tensor logits) {
        Tensor x = logits.to(DType.F64);
        Tensor negative = x.minimum(0).neg().add(1).reciprocal();
        return Tensor.where(x.lt(0), negative, x.add(1));
    }

    /**
     * The fraction of rows of {@code logits [N, C]} in softmax collapse (Prieto et al., ICLR 2025, Sec. 3; the
     * official logger's {@code softmax_collapse}): rows where {@code sum_j exp(z_j - max z)}, computed in the
     * logits' own dtype, is exactly 1. There the log-sum-exp equals the largest logit, so a correctly classified
     * row's cross-entropy is exactly 0 and the gradient on its correct logit, {@code p_y - 1}, is exactly 0: the
     * row stops contributing to learning. In float32 this happens once every other logit trails the largest by
     * about 17 + log(C); in float64 only at about 37 + log(C). Recorded nothing.
     */
    public static double softmaxCollapse(Tensor logits) {
        if (logits.rank() != 2) {
            throw new ShapeException("softmaxCollapse: need logits [N, C], got shape " + Arrays.toString(logits.shape()));
        }
        try (var _ = Autodiff.noGrad()) {
            return logits.sub(logits.max(1, true)).exp().sum(1).eq(1).mean().item();
        }
    }

    /** The targets as a gather index {@code [N, 1]} on the logits' device, after checking them. */
    private static Tensor targetIndex(String op, Tensor logits, int[] targets) {
        if (logits.rank() != 2 || logits.shape()[0] != targets.length) {
            throw new ShapeException(op + ": logits of shape " + Arrays.toString(logits.shape()) + " and " + targets.length
                    + " targets; expected logits [N, C] with N = number of targets");
        }
        int classes = logits.shape()[1];
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IndexOutOfBoundsException(op + ": target " + targets[i] + " at position " + i + " is out of range for "
                        + classes + " classes");
            }
        }
        double[] index = new double[targets.length];
        for (int i = 0; i < index.length; i++) index[i] = targets[i];
        return Tensor.of(index, targets.length, 1).to(logits.device());
    }

    /**
     * Binary cross-entropy on logits, mean of softplus(x) - x y: the stable form of
     * -[y log sigmoid(x) + (1 - y) log(1 - sigmoid(x))] (PyTorch's BCEWithLogitsLoss).
     */
    public static Tensor bceWithLogits(Tensor logits, Tensor target) {
        if (!Arrays.equals(logits.shape(), target.shape())) {
            throw new ShapeException("bceWithLogits: logits shape " + Arrays.toString(logits.shape())
                    + " and target shape " + Arrays.toString(target.shape()) + " differ");
        }
        return logits.softplus().sub(logits.mul(target)).mean();
    }

    /**
     * The fraction of rows whose largest score is the label: classification accuracy of scores
     * {@code [n, classes]} (logits, or any scores such as a ridge model's), recorded nothing.
     */
    public static double accuracy(Tensor scores, int... labels) {
        if (scores.rank() != 2 || scores.shape()[0] != labels.length) {
            throw new IllegalArgumentException("accuracy: need scores [n, classes] for " + labels.length + " labels, got shape "
                    + Arrays.toString(scores.shape()));
        }
        double[] predicted;
        try (var _ = org.reprolab.tensor.Autodiff.noGrad()) {
            predicted = scores.argmax(1).toDoubleArray();
        }
        int right = 0;
        for (int i = 0; i < labels.length; i++) if ((int) predicted[i] == labels[i]) right++;
        return right / (double) labels.length;
    }
}
