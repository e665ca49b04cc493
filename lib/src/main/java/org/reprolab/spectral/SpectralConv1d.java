package org.reprolab.spectral;

import org.reprolab.nn.Module;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * The Fourier layer of an FNO (Li et al., ICLR 2021, eq. 4): transform each channel, multiply the
 * lowest {@code modes} modes by a learned complex matrix per mode (weights [modes, in, out]) (channels in to channels out),
 * zero the rest and transform back. Input and output are [batch, channels, n]. Weights are drawn
 * uniformly from [0, 1/(in·out)) as in the official code's {@code SpectralConv1d}.
 */
public final class SpectralConv1d extends Module {
    private final int in;
    private final int out;
    private final int modes;

    public SpectralConv1d(int in, int out, int modes, long seed) {
        if (in < 1 || out < 1 || modes < 1) {
            throw new IllegalArgumentException("SpectralConv1d: channels and modes must be positive, got in=" + in
                    + ", out=" + out + ", modes=" + modes);
        }
        this.in = in;
        this.out = out;
        this.modes = modes;
        double scale = 1.0 / (in * out);
        registerParameter("weightRe", Tensor.uniform(DType.F64, seed, 0, scale, modes, in, out));
        registerParameter("weightIm", Tensor.uniform(DType.F64, ~seed, 0, scale, modes, in, out));
    }

    @Override
    public Tensor forward(Tensor x) {
        if (x.rank() != 3 || x.size(1) != in) {
            throw new ShapeException("SpectralConv1d(in=" + in + "): input of shape " + Arrays.toString(x.shape())
                    + " must be [batch, " + in + ", n]");
        }
        Tensor s = Spectral.rfft(x, modes).permute(2, 0, 1);   // [2m, B, in]: one matrix product per mode
        Tensor re = s.narrow(0, 0, modes), im = s.narrow(0, modes, modes);
        Tensor wr = param("weightRe"), wi = param("weightIm");   // [m, in, out]
        Tensor outRe = re.matmul(wr).sub(im.matmul(wi)), outIm = re.matmul(wi).add(im.matmul(wr));   // [m, B, out]
        return Spectral.irfft(Tensor.concat(0, outRe, outIm).permute(1, 2, 0), x.size(2));
    }

    @Override
    protected String extraRepr() {
        return "in_channels=" + in + ", out_channels=" + out + ", modes=" + modes;
    }
}
