package org.reprolab.nn;

import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

/**
 * Sinusoidal embedding of a (diffusion) time or step: for t of shape [N] returns [N, dim] =
 * [cos(t f_0), ..., cos(t f_{h-1}), sin(t f_0), ..., sin(t f_{h-1})] with h = dim/2 and
 * f_i = maxPeriod^(-i/h); an odd dim gets a zero last column. This is the positional encoding of
 * Vaswani et al. (2017, section 3.5) as used for timesteps by Ho et al. (2020, DDPM) and written in
 * openai/guided-diffusion {@code guided_diffusion/nn.py: timestep_embedding} (cos half first).
 * No parameters; differentiable in t, so continuous-time models can use it.
 */
public final class TimeEmbedding extends Module {
    private final int dim;
    private final double maxPeriod;

    public TimeEmbedding(int dim) {
        this(dim, 10_000);
    }

    public TimeEmbedding(int dim, double maxPeriod) {
        if (dim < 2) {
            throw new IllegalArgumentException("TimeEmbedding: dim must be >= 2, got " + dim);
        }
        this.dim = dim;
        this.maxPeriod = maxPeriod;
    }

    /** t of shape [N] (or a scalar, treated as [1]) to [N, dim], in t's dtype. */
    @Override
    public Tensor forward(Tensor t) {
        if (t.rank() > 1) {
            throw new ShapeException("TimeEmbedding: expects times of shape [N], got " + java.util.Arrays.toString(t.shape()));
        }
        Tensor times = t.rank() == 0 ? t.reshape(1) : t;
        int half = dim / 2;
        Tensor freqs = Tensor.arange(half).mul(-Math.log(maxPeriod) / half).exp().to(t.dtype()).to(t.device());
        Tensor args = times.unsqueeze(1).mul(freqs.unsqueeze(0));
        Tensor emb = Tensor.concat(1, args.cos(), args.sin());
        return dim % 2 == 0 ? emb : emb.pad(1, 0, 1);
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim + ", max_period=" + maxPeriod;
    }
}
