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
}
