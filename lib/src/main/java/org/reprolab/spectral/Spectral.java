package org.reprolab.spectral;

import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * The real Fourier transform along a tensor's last axis, truncated to its lowest modes, with
 * reverse-mode autodiff: the transform is linear, so its vector-Jacobian product is its adjoint
 * (another transform), recorded as a differentiable op in turn so that higher derivatives work.
 * Frequency-domain neural operators (FNO, Li et al., ICLR 2021; Transform Once, Poli et al.,
 * NeurIPS 2022) rest on this pair: transform, act on a few low modes, transform back.
 *
 * <p>A spectrum of {@code m} modes is a real tensor whose last axis has 2m entries: the real parts
 * Re X_0 .. Re X_{m-1}, then the imaginary parts, where X_k = Σ_j x_j e^{-2πi jk/n} (numpy's
 * {@code rfft}, unnormalised, first m entries).
 */
public final class Spectral {
    private Spectral() {}

    /** The lowest {@code modes} Fourier coefficients of x along its last axis: [..., n] to [..., 2·modes]. */
    public static Tensor rfft(Tensor x, int modes) {
        int n = checkModes("rfft", x, modes);
        return analysis(x, n, modes);
    }

    /**
     * The real signal of length n whose lowest modes are {@code spectrum} and whose other modes are
     * zero: [..., 2·modes] to [..., n], the inverse of {@link #rfft} on signals band-limited to those
     * modes (numpy's {@code irfft} of the zero-padded spectrum). Requires modes ≤ n/2 so that the
     * Nyquist mode, which has no partner, is never among them.
     */
    public static Tensor irfft(Tensor spectrum, int n) {
        if (spectrum.rank() == 0 || spectrum.size(-1) % 2 != 0) {
            throw new ShapeException("irfft: spectrum of shape " + Arrays.toString(spectrum.shape())
                    + " must end in an even axis (real parts, then imaginary parts)");
        }
        int modes = spectrum.size(-1) / 2;
        if (modes < 1 || 2 * modes > n) {
            throw new IllegalArgumentException("irfft: " + modes + " modes need 1 <= modes <= n/2 = " + n / 2);
        }
        double[] w = new double[2 * modes];
        Arrays.fill(w, 2.0 / n);   // each mode k ≥ 1 stands for itself and its conjugate n − k
        w[0] = w[modes] = 1.0 / n;
        return synthesis(spectrum.mul(Tensor.of(w).to(spectrum.dtype())), n, modes);
    }

    /**
     * The exact solution of the heat equation u_t = ν u_xx on the periodic interval [0, 2π) at time t
     * from u(0) = {@code u0} sampled on n points along the last axis: mode k decays by e^{-ν k² t}.
     * The Nyquist mode (k = n/2) is dropped, so u0 should be band-limited below it.
     */
    public static Tensor heat(Tensor u0, double nu, double t) {
        if (!(nu >= 0) || !(t >= 0)) {
            throw new IllegalArgumentException("heat: need viscosity nu >= 0 and time t >= 0, got nu=" + nu + ", t=" + t);
        }
        int n = u0.size(-1), modes = n / 2;
        double[] decay = new double[2 * modes];
        for (int k = 0; k < modes; k++) {
            decay[k] = decay[modes + k] = Math.exp(-nu * k * k * t);
        }
        return irfft(rfft(u0, modes).mul(Tensor.of(decay).to(u0.dtype())), n);
    }

    /**
     * {@code count} random real periodic functions on n points, band-limited to {@code modes} modes,
     * whose mode k has independent standard-normal cosine and sine amplitudes scaled by (1 + k)^{-decay}
     * (the constant mode's halved):
     * smooth random initial conditions for operator-learning data sets.
     */
    public static Tensor randomField(long seed, int count, int n, int modes, double decay) {
        if (count < 1 || modes < 1 || 2 * modes > n) {
            throw new IllegalArgumentException("randomField: need count >= 1 and 1 <= modes <= n/2, got count=" + count
                    + ", n=" + n + ", modes=" + modes);
        }
        double[] scale = new double[2 * modes];
        for (int k = 0; k < modes; k++) {
            scale[k] = scale[modes + k] = n * Math.pow(1 + k, -decay) / 2;
        }
        return irfft(Tensor.randn(seed, count, 2 * modes).mul(Tensor.of(scale)), n);
    }

    private static int checkModes(String op, Tensor x, int modes) {
        if (x.rank() == 0) {
            throw new ShapeException(op + ": needs at least one axis, got a scalar");
        }
        int n = x.size(-1);
        if (modes < 1 || 2 * modes > n) {
            throw new IllegalArgumentException(op + ": " + modes + " modes of a signal of length " + n
                    + " need 1 <= modes <= n/2 = " + n / 2);
        }
        return n;
    }

    /** R: x ↦ (Re X_k, Im X_k)_{k < m}, a real linear map R^n → R^{2m}; its adjoint is {@link #synthesis}. */
    private static Tensor analysis(Tensor x, int n, int m) {
        double[] in = x.contiguous().toDoubleArray();
        int rows = in.length / n;
        double[] out = new double[rows * 2 * m], re = new double[n], im = new double[n];
        for (int r = 0; r < rows; r++) {
            System.arraycopy(in, r * n, re, 0, n);
            Arrays.fill(im, 0);
            Fft.transform(re, im, false);
            System.arraycopy(re, 0, out, r * 2 * m, m);
            System.arraycopy(im, 0, out, r * 2 * m + m, m);
        }
        int[] shape = x.shape();
        shape[shape.length - 1] = 2 * m;
        return Autodiff.custom("rfft", value(out, shape, x.dtype()), (g, o) -> new Tensor[] {synthesis(g, n, m)}, x);
    }

    /** Rᵀ: (a, b) ↦ x_j = Σ_{k < m} a_k cos(2πjk/n) − b_k sin(2πjk/n), the real part of an inverse DFT. */
    private static Tensor synthesis(Tensor s, int n, int m) {
        double[] in = s.contiguous().toDoubleArray();
        int rows = in.length / (2 * m);
        double[] out = new double[rows * n], re = new double[n], im = new double[n];
        for (int r = 0; r < rows; r++) {
            Arrays.fill(re, 0);
            Arrays.fill(im, 0);
            System.arraycopy(in, r * 2 * m, re, 0, m);
            System.arraycopy(in, r * 2 * m + m, im, 0, m);
            Fft.transform(re, im, true);
            System.arraycopy(re, 0, out, r * n, n);
        }
        int[] shape = s.shape();
        shape[shape.length - 1] = n;
        return Autodiff.custom("rfftAdjoint", value(out, shape, s.dtype()), (g, o) -> new Tensor[] {analysis(g, n, m)}, s);
    }

    private static Tensor value(double[] data, int[] shape, DType dtype) {
        Tensor t = Tensor.of(data, shape);
        return dtype == DType.F64 ? t : t.to(dtype);
    }
}
