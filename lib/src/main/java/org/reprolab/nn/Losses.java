package org.reprolab.nn;

import java.util.Arrays;
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
