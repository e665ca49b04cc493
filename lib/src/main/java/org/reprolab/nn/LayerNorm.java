package org.reprolab.nn;

import java.util.Arrays;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/**
 * Layer normalisation over the trailing {@code normalizedShape} axes (Ba, Kiros and Hinton 2016,
 * "Layer Normalization"): (x - mean) / sqrt(var + eps) * weight + bias, with the biased variance
 * as in PyTorch's nn.LayerNorm.
 */
public final class LayerNorm extends Module {
    private final int[] normalizedShape;
    private final double eps;
    private final boolean affine;

    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, DType.F64);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
        this.affine = elementwiseAffine;
        if (affine) {
            registerParameter("weight", Tensor.ones(dtype, normalizedShape));
            registerParameter("bias", Tensor.zeros(dtype, normalizedShape));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        int k = normalizedShape.length;
        int[] s = x.shape();
        if (s.length < k || !Arrays.equals(Arrays.copyOfRange(s, s.length - k, s.length), normalizedShape)) {
            throw new ShapeException("LayerNorm" + Arrays.toString(normalizedShape) + ": input shape " + Arrays.toString(s)
                    + " does not end in " + Arrays.toString(normalizedShape));
        }
        return apply(x, affine ? param("weight") : null, affine ? param("bias") : null, k, eps);
    }

    /** The functional form, normalising the last {@code axes} axes. */
    public static Tensor apply(Tensor x, Tensor weight, Tensor bias, int axes, double eps) {
        int[] dims = new int[axes];
        for (int i = 0; i < axes; i++) {
            dims[i] = x.rank() - axes + i;
        }
        Tensor centered = x.sub(x.mean(dims, true));
        Tensor y = centered.mul(centered.square().mean(dims, true).add(eps).rsqrt());
        if (weight != null) {
            y = y.mul(weight);
        }
        return bias == null ? y : y.add(bias);
    }

    @Override
    protected String extraRepr() {
        return "normalized_shape=" + Arrays.toString(normalizedShape) + ", eps=" + eps + ", elementwise_affine=" + affine;
    }
}
