package org.reprolab.spectral;

import org.reprolab.nn.Linear;
import org.reprolab.nn.Module;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * Transform Once (T1; Poli et al., NeurIPS 2022): one real Fourier transform of the input, a
 * residual network acting on its lowest {@code modes} modes (real and imaginary parts as 2·modes
 * features: a linear encoder to {@code width}, {@code layers} blocks z ← z + GELU(W z), a linear
 * decoder back to 2·modes added to the input spectrum), and one inverse transform at the output,
 * where an FNO transforms and inverts in every layer. The spectrum is scaled by 2/n so that its
 * entries are the cosine and sine amplitudes, independent of the grid size. Maps [batch, n] to [batch, n].
 */
public final class TransformOnce1d extends Module {
    private final int modes;
    private final int width;
    private final int layers;

    public TransformOnce1d(int modes, int width, int layers, long seed) {
        if (modes < 1 || width < 1 || layers < 0) {
            throw new IllegalArgumentException("TransformOnce1d: need modes, width >= 1 and layers >= 0, got modes="
                    + modes + ", width=" + width + ", layers=" + layers);
        }
        this.modes = modes;
        this.width = width;
        this.layers = layers;
        registerModule("encode", new Linear(2 * modes, width, seed));
        for (int l = 0; l < layers; l++) {
            registerModule("block" + l, new Linear(width, width, seed + 10 + l));
        }
        registerModule("decode", new Linear(width, 2 * modes, seed + 1));
    }

    /**
     * Zeroes the decoder, so that the residual branch starts at zero and the model at the projection
     * onto its modes (the identity on inputs band-limited to them); returns this model. A one-time-step
     * solver then learns only the step's small increment, the zero-initialised residual branch of
     * Fixup/ReZero: NeuralStagger's coarse solvers (Huang et al., ICML 2023) reach the physics-constrained
     * optimum far faster from here than from the default initialisation.
     */
    public TransformOnce1d withZeroResidual() {
        try (var _ = Autodiff.noGrad()) {
            children().get("decode").parameters().values().forEach(p -> p.assign(Tensor.zerosLike(p)));
        }
        return this;
    }

    @Override
    public Tensor forward(Tensor u) {
        if (u.rank() != 2) {
            throw new ShapeException("TransformOnce1d: input of shape " + Arrays.toString(u.shape()) + " must be [batch, n]");
        }
        int n = u.size(1);
        Tensor a = Spectral.rfft(u, modes).mul(2.0 / n);   // the one forward transform
        Tensor z = children().get("encode").forward(a);
        for (int l = 0; l < layers; l++) {
            z = z.add(children().get("block" + l).forward(z).gelu());
        }
        Tensor b = a.add(children().get("decode").forward(z));
        return Spectral.irfft(b.mul(n / 2.0), n);   // the one inverse transform
    }

    @Override
    protected String extraRepr() {
        return "modes=" + modes + ", width=" + width + ", layers=" + layers;
    }
}
