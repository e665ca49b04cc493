package org.reprolab.nn;

import java.util.Arrays;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/** y = x W^T + b, with W of shape [out, in] as in PyTorch; x is [..., in]. */
public final class Linear extends Module {
    private final int in;
    private final int out;
    private final boolean bias;

    /** PyTorch's default initialisation, f64. */
    public Linear(int in, int out, long seed) {
        this(in, out, true, Init.torchDefault(), Init.torchDefaultBias(in), DType.F64, seed);
    }

    public Linear(int in, int out, boolean bias, Init weightInit, Init biasInit, DType dtype, long seed) {
        if (in <= 0 || out <= 0) {
            throw new IllegalArgumentException("Linear: sizes must be positive, got in=" + in + ", out=" + out);
        }
        this.in = in;
        this.out = out;
        this.bias = bias;
        registerParameter("weight", weightInit.sample(dtype, Seeds.derive(seed, 0), out, in));
        if (bias) {
            registerParameter("bias", biasInit.sample(dtype, Seeds.derive(seed, 1), out));
        }
    }

    public Tensor weight() {
        return param("weight");
    }

    /** The bias, or null when built without one. */
    public Tensor bias() {
        return bias ? param("bias") : null;
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() == 0 || x.size(-1) != in) {
            throw new ShapeException("Linear(in=" + in + ", out=" + out + "): input of shape " + Arrays.toString(x.shape())
                    + " must end in " + in);
        }
        return apply(FakeQuantization.input(this, x), FakeQuantization.weight(this), bias());
    }

    /** The functional form: x W^T (+ b when b is not null). */
    public static Tensor apply(Tensor x, Tensor w, Tensor b) {
        Tensor y = x.matmul(w.t());
        return b == null ? y : y.add(b);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + in + ", out_features=" + out + ", bias=" + bias;
    }
}
