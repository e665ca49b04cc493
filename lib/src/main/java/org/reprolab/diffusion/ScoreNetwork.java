package org.reprolab.diffusion;

import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;
import org.reprolab.nn.Module;
import org.reprolab.nn.TimeEmbedding;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * A time-conditioned MLP for low-dimensional diffusion and flow models: the point {@code x} concatenated with a
 * sinusoidal embedding of {@code 1000·t} (DDPM's timestep embedding, Ho et al. 2020; {@code nn.TimeEmbedding}),
 * through an MLP with SiLU activations to a {@code dim}-vector. What it predicts (noise, data, velocity, flow)
 * is decided by the loss it is trained with ({@link DiffusionLoss}); {@link #model} wraps it as a
 * {@link DiffusionModel} so every sampler runs it.
 *
 * <pre>{@code
 * var net = new ScoreNetwork(2, new int[] {128, 128, 128}, 32, 0);
 * var loss = DiffusionLoss.flowMatching();
 * var opt = Optimizer.builder(net.parameters(), Optimizers.adam(2e-3)).build();
 * double[] curve = loss.fit(net, opt, data, 3000, 256, 0);
 * Batch x = Diffusion.sample(new Sampler.DpmSolverPP(2), loss.model(net), Batch.normal(2000, 2, 1), 20).x();
 * }</pre>
 */
public final class ScoreNetwork extends Module {
    private final int dim;
    private final TimeEmbedding embedding;
    private final MLP mlp;

    /**
     * @param dim      dimension of the data
     * @param hidden   widths of the hidden layers
     * @param embedDim width of the time embedding
     * @param seed     seed of the initialisation (PyTorch's default init)
     */
    public ScoreNetwork(int dim, int[] hidden, int embedDim, long seed) {
        if (dim < 1 || hidden.length == 0) throw new IllegalArgumentException("ScoreNetwork needs dim >= 1 and at least one hidden layer");
        this.dim = dim;
        int[] widths = new int[hidden.length + 2];
        widths[0] = dim + embedDim;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = dim;
        embedding = registerModule("embedding", new TimeEmbedding(embedDim));
        mlp = registerModule("mlp", new MLP(widths, Activation::silu, DType.F64, seed));
    }

    public int dim() {
        return dim;
    }

    /** The prediction for points {@code x [n, dim]} at times {@code t [n]}. */
    public Tensor forward(Tensor x, Tensor t) {
        if (x.rank() != 2 || x.size(1) != dim) throw new IllegalArgumentException("ScoreNetwork: expected x of shape [n, " + dim + "], got " + java.util.Arrays.toString(x.shape()));
        if (t.rank() != 1 || t.size(0) != x.size(0)) throw new IllegalArgumentException("ScoreNetwork: expected t of shape [" + x.size(0) + "], got " + java.util.Arrays.toString(t.shape()));
        return mlp.forward(Tensor.concat(1, x, embedding.forward(t.mul(1000))));
    }

    /** {@link #forward(Tensor, Tensor)} with the time as the last column of {@code xt [n, dim + 1]}. */
    @Override
    public Tensor forward(Tensor xt) {
        return forward(xt.narrow(1, 0, dim), xt.select(1, dim).contiguous());
    }

    /**
     * This network as a model that predicts {@code prediction} under {@code schedule}; evaluated without gradients,
     * and differentiable through its denoiser by autodiff ({@link DifferentiableModel#ofTensor}) for DPS.
     */
    public DifferentiableModel model(NoiseSchedule schedule, Prediction prediction) {
        return DifferentiableModel.ofTensor(schedule, prediction, (x, t) -> {
            double[] ts = new double[x.size(0)];
            java.util.Arrays.fill(ts, t);
            return forward(x, Tensor.of(ts, x.size(0)));
        });
    }

    @Override
    protected String extraRepr() {
        return "dim=" + dim;
    }
}
