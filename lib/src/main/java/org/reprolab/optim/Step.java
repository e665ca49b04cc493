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
 * @param rowSums      sums over each {@link #rows() row} of this transformation's
 *                     {@link Elementwise#rowProducts row products}, {@code rowSums[k][row]}
 * @param rowTotals    the same over the whole tensor, {@code rowTotals[k]}
 * @param groupRowTotals the same summed over the tensors of the group (M-FAC's dot products with
 *                     the gradient window over the group's whole parameter vector)
 * @param host         this tensor's host state for the transformation ({@link Elementwise#hostState()}),
 *                     advanced by {@link Elementwise#advance} before the scalars are read
 */
public record Step(long t, long count, double lr, int numel, int[] shape, double[] reduced, double[] groupReduced,
        double[][] rowSums, double[] rowTotals, double[] groupRowTotals, double[] host) {

    /** Rows of the tensor's channel view {@code [shape[0], -1]}: {@code shape[0]} for rank > 1, else 1. */
    public int rows() {
        return rows(shape);
    }

    static int rows(int[] shape) {
        return shape.length > 1 && shape[0] > 0 ? shape[0] : 1;
    }

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
