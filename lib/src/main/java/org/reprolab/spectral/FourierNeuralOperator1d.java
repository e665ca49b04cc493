package org.reprolab.spectral;

import org.reprolab.nn.Linear;
import org.reprolab.nn.Module;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * FNO-1d (Li et al., ICLR 2021), the frequency-domain baseline of Transform Once: lift (u(x), x) to
 * {@code width} channels, then {@code layers} Fourier layers h ← σ(K h + W h) with K a
 * {@link SpectralConv1d} (an FFT and an inverse FFT every layer) and W a pointwise linear map, σ = GELU
 * except after the last layer, then project each point to one value by a GELU MLP. Maps [batch, n]
 * to [batch, n].
 */
public final class FourierNeuralOperator1d extends Module {
    private final int width;
    private final int layers;

    public FourierNeuralOperator1d(int width, int modes, int layers, long seed) {
        if (width < 1 || layers < 1) {
            throw new IllegalArgumentException("FourierNeuralOperator1d: width and layers must be positive, got width="
                    + width + ", layers=" + layers);
        }
        this.width = width;
        this.layers = layers;
        registerModule("lift", new Linear(2, width, seed));
        for (int l = 0; l < layers; l++) {
            registerModule("spectral" + l, new SpectralConv1d(width, width, modes, seed + 10 + 2 * l));
            registerModule("pointwise" + l, new Linear(width, width, seed + 11 + 2 * l));
        }
        registerModule("project", new Linear(width, width, seed + 1));
        registerModule("out", new Linear(width, 1, seed + 2));
    }

    @Override
    public Tensor forward(Tensor u) {
        if (u.rank() != 2) {
            throw new ShapeException("FourierNeuralOperator1d: input of shape " + Arrays.toString(u.shape())
                    + " must be [batch, n]");
        }
        int batch = u.size(0), n = u.size(1);
        Tensor grid = Tensor.linspace(0, 1 - 1.0 / n, n).to(u.dtype()).reshape(1, n, 1).expand(batch, n, 1);
        Tensor h = child("lift").forward(Tensor.concat(2, u.unsqueeze(2), grid));   // [B, n, width]
        for (int l = 0; l < layers; l++) {
            Tensor k = child("spectral" + l).forward(h.transpose(1, 2)).transpose(1, 2);
            h = k.add(child("pointwise" + l).forward(h));
            if (l < layers - 1) {
                h = h.gelu();
            }
        }
        return child("out").forward(child("project").forward(h).gelu()).squeeze(2);
    }

    private Module child(String name) {
        return children().get(name);
    }

    @Override
    protected String extraRepr() {
        return "width=" + width + ", layers=" + layers;
    }
}
