package org.reprolab.spectral;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

import java.util.Random;
import java.util.function.Function;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SpectralTest {

    /** The O(n²) definition X_k = Σ_j x_j e^{∓2πi jk/n}. */
    private static double[][] naiveDft(double[] re, double[] im, boolean inverse) {
        int n = re.length;
        double sign = inverse ? 1 : -1;
        double[][] out = new double[2][n];
        for (int k = 0; k < n; k++) {
            for (int j = 0; j < n; j++) {
                double a = sign * 2 * Math.PI * j * k / n;
                out[0][k] += re[j] * Math.cos(a) - im[j] * Math.sin(a);
                out[1][k] += re[j] * Math.sin(a) + im[j] * Math.cos(a);
            }
        }
        return out;
    }

    @Test
    void fftMatchesTheNaiveDftForPowersOfTwoAndOtherLengths() {
        Random rng = new Random(7);
        for (int n : new int[] {1, 2, 8, 64, 3, 6, 7, 12, 100}) {
            for (boolean inverse : new boolean[] {false, true}) {
                double[] re = rng.doubles(n, -1, 1).toArray(), im = rng.doubles(n, -1, 1).toArray();
                double[][] expected = naiveDft(re, im, inverse);
                Fft.transform(re, im, inverse);
                assertArrayEquals(expected[0], re, 1e-11 * n, "real part, n=" + n);
                assertArrayEquals(expected[1], im, 1e-11 * n, "imaginary part, n=" + n);
            }
        }
    }

    @Test
    void rfftAndIrfftMatchNumpy() {
        // numpy: np.fft.rfft([1, 2, 0, -1, 3, 0.5])[:3] = [5.5, 1.75+1.29903811j, -2.75-3.89711432j]
        assertArrayEquals(new double[] {5.5, 1.75, -2.75, 0, 1.29903811, -3.89711432},
                Spectral.rfft(Tensor.of(1, 2, 0, -1, 3, 0.5), 3).toDoubleArray(), 1e-8);
        // numpy: np.fft.rfft([0.3, -1.2, 2.5, 0.7, -0.4])[:2] = [1.9, -2.78328157-0.29716824j] (odd length, Bluestein)
        assertArrayEquals(new double[] {1.9, -2.78328157, 0, -0.29716824},
                Spectral.rfft(Tensor.of(0.3, -1.2, 2.5, 0.7, -0.4), 2).toDoubleArray(), 1e-8);
        // numpy: np.fft.irfft([1.5, -0.5+0.25j, 2-1j, 0, 0], 8)
        assertArrayEquals(new double[] {0.5625, 0.30491748, -0.375, -0.01830583, 0.8125, 0.57008252, -0.25, -0.10669417},
                Spectral.irfft(Tensor.of(1.5, -0.5, 2.0, 0.0, 0.25, -1.0), 8).toDoubleArray(), 1e-8);
    }

    @Test
    void irfftInvertsRfftOnBandLimitedSignalsAlongTheLastAxis() {
        Tensor u = Spectral.randomField(3, 4, 24, 6, 1.0).reshape(2, 2, 24);
        Tensor back = Spectral.irfft(Spectral.rfft(u, 8), 24);
        assertArrayEquals(new int[] {2, 2, 24}, back.shape());
        assertArrayEquals(u.toDoubleArray(), back.toDoubleArray(), 1e-12);
    }

    @Test
    void heatDampsEachModeByItsClosedForm() {
        int n = 32;
        Tensor x = Tensor.linspace(0, 2 * Math.PI * (n - 1) / n, n);
        Tensor u0 = x.mul(3).sin().add(x.cos().mul(0.5)).add(1);
        double nu = 0.1, t = 0.7;
        Tensor expected = x.mul(3).sin().mul(Math.exp(-9 * nu * t)).add(x.cos().mul(0.5 * Math.exp(-nu * t))).add(1);
        assertArrayEquals(expected.toDoubleArray(), Spectral.heat(u0, nu, t).toDoubleArray(), 1e-12);
    }

    private static void checkGradient(Function<Tensor, Tensor> f, Tensor x) {
        double[] g = Autodiff.grad(f, x).toDoubleArray(), v = x.toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            double[] p = v.clone(), m = v.clone();
            p[i] += 1e-6;
            m[i] -= 1e-6;
            double fd = (f.apply(Tensor.of(p, x.shape())).item() - f.apply(Tensor.of(m, x.shape())).item()) / 2e-6;
            assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), "entry " + i);
        }
    }

    @Test
    void gradientsMatchCentralDifferences() {
        Tensor w10 = Tensor.randn(5, 10), w6 = Tensor.randn(6, 6);
        checkGradient(x -> Spectral.rfft(x, 3).mul(w6).sum(), Tensor.randn(1, 10));        // Bluestein length
        checkGradient(x -> Spectral.rfft(x, 3).square().sum(), Tensor.randn(2, 2, 8));     // radix 2, batched
        checkGradient(s -> Spectral.irfft(s, 10).mul(w10).sum(), Tensor.randn(3, 6));
        checkGradient(s -> Spectral.irfft(s.tanh(), 10).square().sum(), Tensor.randn(4, 2, 6));
    }

    @Test
    void secondDerivativesFlowThroughTheAdjoint() {
        // f(x) = Σ rfft(x)² is a quadratic form xᵀ A x, so its Hessian-vector product is exactly 2 A v = grad f(v)
        Tensor x = Tensor.randn(8, 8), v = Tensor.randn(9, 8);
        Function<Tensor, Tensor> f = z -> Spectral.rfft(z, 4).square().sum();
        assertArrayEquals(Autodiff.grad(f, v).toDoubleArray(), Autodiff.hvp(f, x, v).toDoubleArray(), 1e-10);
    }

    @Test
    void spectralLayersAreTrainableModulesWithCorrectGradients() {
        Tensor u = Spectral.randomField(4, 3, 16, 5, 1.0);
        FourierNeuralOperator1d fno = new FourierNeuralOperator1d(4, 5, 2, 1);
        TransformOnce1d t1 = new TransformOnce1d(6, 8, 2, 2);
        assertArrayEquals(new int[] {3, 16}, fno.forward(u).shape());
        checkGradient(w -> new SpectralConv1d(2, 3, 4, 5).forward(w).square().sum(), Tensor.randn(10, 2, 2, 8));
        Tensor wre = fno.parameters().get("spectral0.weightRe");
        fno.forward(u).square().sum().backward();
        assertArrayEquals(new int[] {5, 4, 4}, wre.grad().shape());
        checkGradient(z -> t1.forward(z).square().sum(), u);
    }

    @Test
    void transformOnceWithZeroDecoderIsTheProjectionOntoItsModes() {
        TransformOnce1d t1 = new TransformOnce1d(4, 8, 1, 3).withZeroResidual();
        assertEquals(0.0, t1.parameters().get("decode.weight").abs().sum().item(), "decoder zeroed");
        assertTrue(t1.parameters().get("encode.weight").abs().sum().item() > 0, "encoder untouched");
        Tensor u = Spectral.randomField(5, 2, 16, 8, 0.0);
        assertArrayEquals(Spectral.irfft(Spectral.rfft(u, 4), 16).toDoubleArray(), t1.forward(u).toDoubleArray(), 1e-12);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        assertThrows(IllegalArgumentException.class, () -> Spectral.rfft(Tensor.randn(1, 8), 5));
        assertThrows(IllegalArgumentException.class, () -> Spectral.rfft(Tensor.randn(1, 8), 0));
        assertThrows(IllegalArgumentException.class, () -> Spectral.irfft(Tensor.randn(1, 10), 8));
        assertThrows(RuntimeException.class, () -> Spectral.irfft(Tensor.randn(1, 5), 8));
        assertThrows(IllegalArgumentException.class, () -> Spectral.heat(Tensor.randn(1, 8), -1, 1));
        assertThrows(RuntimeException.class, () -> new SpectralConv1d(2, 2, 3, 0).forward(Tensor.randn(1, 3, 8)));
    }
}
