package org.reprolab.optim;

/**
 * What a transformation sees on the host when it computes its per-step scalars for one tensor.
 *
 * @param t            this tensor's step number, 1-based (torch's {@code state['step']} after increment)
 * @param count        optimizer steps completed before this one, 0-based (what schedules read)
 * @param lr           the chain's learning rate at this step (its {@code scale_by_learning_rate} value),
 *                     NaN when the chain has none
 * @param numel        elements of the tensor
 * @param shape        its shape
 * @param reduced      this transformation's {@link Elementwise#reductions()} over the tensor
 * @param groupReduced the same combined over the tensors of the group
 */
public record Step(long t, long count, double lr, int numel, int[] shape, double[] reduced, double[] groupReduced) {

    /** {@code 1 - beta^t}, the usual bias correction. */
    public double biasCorrection(double beta) {
        return 1 - Math.pow(beta, t);
    }

    /** The learning rate, or a clear error when the chain has no {@code scale_by_learning_rate}. */
    public double requireLr(String who) {
        if (Double.isNaN(lr))
            throw new IllegalStateException(who + ": needs the learning rate, but the chain has no scale_by_learning_rate");
        return lr;
    }
}
