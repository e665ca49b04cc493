package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reprolab.linalg.SymmetricEigen;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Init;
import org.reprolab.nn.Linear;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

class HessianSpectrumTest {

    /** ½ xᵀ A x with A = Q diag(λ) Qᵀ: its Hessian is A, whose eigenvalues are λ by construction. */
    @Test
    void lanczosOnAQuadraticReturnsTheConstructedEigenvalues() {
        int n = 12;
        double[] lambda = {9, 5, 4.5, 3, 2, 1, 0.5, 0, -0.5, -1, -2, -7};
        Tensor q = Init.orthogonal().sample(DType.F64, 4, n, n);
        Tensor a = q.mul(Tensor.of(lambda)).matmul(q.t());
        Function<Tensor, Tensor> quadratic = x -> x.matmul(a.matmul(x)).mul(0.5);
        double[] x0 = Tensor.randn(DType.F64, 9, n).toDoubleArray();
        assertArrayEquals(new double[] {9, 5, 4.5}, HessianSpectrum.top(quadratic, x0, 3, n), 1e-10);
        // fewer iterations: the top one converges first
        assertEquals(9, HessianSpectrum.top(quadratic, x0, 1, 8)[0], 1e-4);
        assertEquals(9, HessianSpectrum.sharpness(quadratic).applyAsDouble(x0), 1e-8);
    }

    /** A small network's loss Hessian: Lanczos through hvp against the dense Hessian from autodiff, diagonalised. */
    @Test
    void lanczosMatchesTheDenseHessianOfASmallNetwork() {
        Tensor x = Tensor.randn(DType.F64, 1, 10, 3);
        Tensor y = Tensor.randn(DType.F64, 2, 10, 2);
        int d = 3 * 4 + 4 + 4 * 2 + 2;
        Function<Tensor, Tensor> loss = th -> {
            Tensor h = Linear.apply(x, th.narrow(0, 0, 12).reshape(4, 3), th.narrow(0, 12, 4)).tanh();
            return Linear.apply(h, th.narrow(0, 16, 8).reshape(2, 4), th.narrow(0, 24, 2)).sub(y).square().mean();
        };
        double[] theta = Tensor.randn(DType.F64, 3, d).toDoubleArray();
        double[] dense = Autodiff.hessian(loss, Tensor.of(theta)).toDoubleArray();
        double[][] h = new double[d][d];
        for (int i = 0; i < d; i++)
            for (int j = 0; j < d; j++) h[i][j] = (dense[i * d + j] + dense[j * d + i]) / 2;
        double[] all = SymmetricEigen.values(h);
        double[] want = {all[d - 1], all[d - 2], all[d - 3]};
        assertArrayEquals(want, HessianSpectrum.top(loss, theta, 3, d), 1e-9);
        assertEquals(want[0], HessianSpectrum.top(loss, theta, 1, HessianSpectrum.ITERATIONS)[0], 1e-6 * Math.abs(want[0]));
    }

    @Test
    void moduleFormAgreesWithTheFlatForm() {
        var net = new MLP(new int[] {3, 4, 2}, Activation::tanh, 5);
        Tensor x = Tensor.randn(DType.F64, 6, 8, 3);
        int[] labels = {0, 1, 1, 0, 1, 0, 0, 1};
        double viaModule = HessianSpectrum.top(() -> Losses.crossEntropy(net.forward(x), labels), net.parameters().values(), 2, 26)[0];
        List<Tensor> ps = List.copyOf(net.parameters().values()); // weight0 [4,3], bias0 [4], weight1 [2,4], bias1 [2]
        double[] flat = Tensor.concat(0, ps.stream().map(p -> p.detach().reshape(-1)).toArray(Tensor[]::new)).toDoubleArray();
        Function<Tensor, Tensor> loss = th -> Losses.crossEntropy(Linear.apply(
                Linear.apply(x, th.narrow(0, 0, 12).reshape(4, 3), th.narrow(0, 12, 4)).tanh(), th.narrow(0, 16, 8).reshape(2, 4), th.narrow(0, 24, 2)), labels);
        assertEquals(HessianSpectrum.top(loss, flat, 1, 26)[0], viaModule, 1e-9);
    }

    @Test
    void badArgumentsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> HessianSpectrum.lanczos(v -> v, 3, 4, 5, 0));
        assertEquals(true, e.getMessage().contains("k <= n"));
        // the identity has a one-dimensional Krylov space: one eigenvalue only
        assertThrows(IllegalArgumentException.class, () -> HessianSpectrum.lanczos(v -> v, 3, 2, 3, 0));
        assertArrayEquals(new double[] {1}, HessianSpectrum.lanczos(v -> v, 3, 1, 3, 0), 1e-12);
    }
}
