package org.reprolab.nn;

import java.util.Arrays;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/**
 * 2-d convolution (cross-correlation, as in PyTorch) over [N, C, H, W] with a square kernel,
 * stride and zero padding. Implemented as im2col + one batched matmul, where im2col is built from
 * strided slice views stacked together, so the gradients (to any order) come from those ops.
 * Meant for the small conv nets of notebooks, not for speed.
 */
public final class Conv2d extends Module {
    private final int inChannels;
    private final int outChannels;
    private final int kernel;
    private final int stride;
    private final int padding;
    private final boolean bias;

    /** PyTorch's default initialisation, f64, with bias. */
    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, long seed) {
        this(inChannels, outChannels, kernel, stride, padding, true, DType.F64, seed);
    }

    public Conv2d(int inChannels, int outChannels, int kernel, int stride, int padding, boolean bias, DType dtype, long seed) {
        if (inChannels <= 0 || outChannels <= 0 || kernel <= 0 || stride <= 0 || padding < 0) {
            throw new IllegalArgumentException("Conv2d: invalid configuration in=" + inChannels + ", out=" + outChannels
                    + ", kernel=" + kernel + ", stride=" + stride + ", padding=" + padding);
        }
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernel = kernel;
        this.stride = stride;
        this.padding = padding;
        this.bias = bias;
        registerParameter("weight", Init.torchDefault().sample(dtype, Seeds.derive(seed, 0), outChannels, inChannels, kernel, kernel));
        if (bias) {
            registerParameter("bias", Init.torchDefaultBias(inChannels * kernel * kernel).sample(dtype, Seeds.derive(seed, 1), outChannels));
        }
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 4 || x.size(1) != inChannels) {
            throw new ShapeException("Conv2d(in=" + inChannels + ", out=" + outChannels + "): input shape "
                    + Arrays.toString(x.shape()) + " is not [N, " + inChannels + ", H, W]");
        }
        return apply(x, param("weight"), bias ? param("bias") : null, stride, padding);
    }

    /** The functional form: x [N, C, H, W], w [O, C, k, k], b [O] or null. */
    public static Tensor apply(Tensor x, Tensor w, Tensor b, int stride, int padding) {
        int n = x.size(0);
        int c = x.size(1);
        int o = w.size(0);
        int k = w.size(2);
        if (w.size(1) != c) {
            throw new ShapeException("conv2d: input shape " + Arrays.toString(x.shape()) + " and weight shape "
                    + Arrays.toString(w.shape()) + " disagree on channels (" + c + " != " + w.size(1) + ")");
        }
        Tensor xp = padding == 0 ? x : x.pad(2, padding, padding).pad(3, padding, padding);
        int ho = (xp.size(2) - k) / stride + 1;
        int wo = (xp.size(3) - k) / stride + 1;
        if (ho <= 0 || wo <= 0) {
            throw new ShapeException("conv2d: kernel " + k + " larger than padded input " + Arrays.toString(xp.shape()));
        }
        Tensor[] patches = new Tensor[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                patches[i * k + j] = xp.slice(2, i, i + stride * (ho - 1) + 1, stride)
                        .slice(3, j, j + stride * (wo - 1) + 1, stride);
            }
        }
        // [N, C, k*k, Ho, Wo] -> [N, C*k*k, Ho*Wo]; the (c, i, j) order matches w.reshape(O, C*k*k)
        Tensor cols = Tensor.stack(2, patches).reshape(n, c * k * k, ho * wo);
        Tensor y = w.reshape(o, c * k * k).matmul(cols).reshape(n, o, ho, wo);
        return b == null ? y : y.add(b.reshape(1, o, 1, 1));
    }

    @Override
    protected String extraRepr() {
        return inChannels + ", " + outChannels + ", kernel_size=" + kernel + ", stride=" + stride + ", padding=" + padding
                + ", bias=" + bias;
    }
}
