package org.reprolab.diffusion;

import java.util.List;
import org.reprolab.tornado.expr.Expr;

/**
 * A model whose prediction at a point depends on that point alone and is written as element-wise
 * {@link Expr expressions} of its coordinates: a batch is then evaluated on any device as one fused kernel over
 * its rows, compiled once and relaunched with new time-dependent {@link #params parameters} at every step, so the
 * samples never leave the device during a solve (issue 16 item 3). The exact-score {@link GaussianMixture} targets
 * are such models; a network over tensors is not (it is evaluated through {@link DiffusionModel#eval}).
 */
public interface PointwiseModel {

    /** The dimension of a point. */
    int dim();

    /** How many scalar parameters {@link #prediction} reads. */
    int params();

    /**
     * The {@code dim()} coordinates of the model's prediction at the point whose coordinates are {@code x},
     * reading parameters {@code Param(firstParam) .. Param(firstParam + params() − 1)}.
     */
    List<Expr> prediction(List<Expr> x, int firstParam);

    /** Writes the parameter values at time {@code t} into {@code out[offset ..]}. */
    void params(double t, double[] out, int offset);

    /**
     * Whether a device run of {@link #prediction} gives the bits of {@link DiffusionModel#eval} on the {@code jvm}
     * device: true only for a model whose host evaluation computes the same expression in the same order and uses no
     * transcendental function (the jvm device's f64 {@code exp}/{@code log} are its own vectorised approximations,
     * within an ulp of {@code Math}'s). {@link Diffusion#sample(Sampler, DiffusionModel, Batch, int, SampleOptions)}
     * keeps the batch on the jvm device by default for such a model. The exact mixtures are not (their softmax needs
     * {@code exp}, and the kernel multiplies by the reciprocal of the softmax's total where the host divides by it).
     */
    default boolean bitExactOnJvm() {
        return false;
    }
}
