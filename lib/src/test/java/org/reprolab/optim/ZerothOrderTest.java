package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Tensor;

class ZerothOrderTest {

    private static final Tensor A = Tensor.of(new double[] {3, 1, 0, 1, 2, 0.5, 0, 0.5, 1}, 3, 3);

    /** ½ wᵀ A w + bᵀ w over two tensors w [3] and b [3] (b enters as a parameter too: + ½‖b‖²). */
    private static Tensor loss(Tensor w, Tensor b) {
        return w.matmul(A.matmul(w)).mul(0.5).add(b.mul(w).sum()).add(b.square().sum().mul(0.5));
    }

    private static double[] gradient(double[] w, double[] b) { // closed form: (A w + b, w + b)
        double[] g = new double[6];
        double[] a = A.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) g[i] += a[i * 3 + j] * w[j];
            g[i] += b[i];
            g[3 + i] = w[i] + b[i];
        }
        return g;
    }

    @Test
    void theDirectionIsThePhiloxNormalStreamOfTheTensorsFoldedKey() {
        RngKey key = RngKey.of(7);
        Tensor p = Tensor.zeros(2, 3);
        double[] want = new double[6];
        Philox.fill(key.foldIn(1), true, 0, want, 0, 6);
        assertArrayEquals(want, ZerothOrder.direction(p, 1, key).toDoubleArray(), 0);
        assertArrayEquals(ZerothOrder.direction(p, 1, key).toDoubleArray(), ZerothOrder.direction(p, 1, key).toDoubleArray(), 0);
    }

    @Test
    void onAQuadraticTheProjectedGradientIsExactlyTheDirectionalDerivative() {
        double[] w0 = {0.5, -1, 2}, b0 = {0.1, 0.2, -0.3};
        Tensor w = Tensor.of(w0.clone()), b = Tensor.of(b0.clone());
        RngKey key = RngKey.of(3);
        var est = ZerothOrder.estimate(() -> loss(w, b), List.of(w, b), 1e-3, key);
        double[] z = new double[6], g = gradient(w0, b0);
        System.arraycopy(ZerothOrder.direction(w, 0, key).toDoubleArray(), 0, z, 0, 3);
        System.arraycopy(ZerothOrder.direction(b, 1, key).toDoubleArray(), 0, z, 3, 3);
        double directional = 0;
        for (int i = 0; i < 6; i++) directional += z[i] * g[i];
        assertEquals(directional, est.projectedGradient(), 1e-9); // central differences are exact on quadratics
        assertEquals(loss(Tensor.of(w0), Tensor.of(b0)).item(), est.loss(), 1e-5); // the mean of L+ and L- is L + O(eps^2)
        // the parameters are restored, to rounding
        assertArrayEquals(w0, w.toDoubleArray(), 1e-15);
        assertArrayEquals(b0, b.toDoubleArray(), 1e-15);
    }

    @Test
    void theEstimateAveragedOverKeysIsTheGradient() {
        double[] w0 = {0.5, -1, 2}, b0 = {0.1, 0.2, -0.3};
        Tensor w = Tensor.of(w0.clone()), b = Tensor.of(b0.clone());
        int samples = 20_000;
        double[] mean = new double[6];
        for (int s = 0; s < samples; s++) {
            RngKey key = RngKey.of(s);
            var est = ZerothOrder.estimate(() -> loss(w, b), List.of(w, b), 1e-3, key);
            ZerothOrder.setGradient(List.of(w, b), est.projectedGradient(), key);
            double[] gw = w.grad().toDoubleArray(), gb = b.grad().toDoubleArray();
            for (int i = 0; i < 3; i++) {
                mean[i] += gw[i] / samples;
                mean[3 + i] += gb[i] / samples;
            }
        }
        double[] g = gradient(w0, b0);
        double norm = Math.sqrt(java.util.Arrays.stream(g).map(v -> v * v).sum());
        // E[z zᵀ] g = g; the Monte Carlo error of each coordinate is about |g| sqrt(2 / samples) ≈ 0.04
        for (int i = 0; i < 6; i++) assertEquals(g[i], mean[i], 4 * norm * Math.sqrt(2.0 / samples), "coordinate " + i);
    }

    @Test
    void perturbIsReversibleWithTheSameKeyAndMezoIsItThenSgd() {
        Tensor w = Tensor.of(1.0, 2.0, 3.0);
        ZerothOrder.perturb(List.of(w), 0.25, RngKey.of(1));
        ZerothOrder.perturb(List.of(w), -0.25, RngKey.of(1));
        assertArrayEquals(new double[] {1, 2, 3}, w.toDoubleArray(), 1e-15);
        var chain = Optimizers.mezo(0.1, 1e-3).flatten();
        assertTrue(chain.getFirst() instanceof ZerothOrder z && z.eps() == 1e-3);
        assertEquals(Optimizers.sgd(0.1).flatten(), chain.subList(1, chain.size()));
        assertThrows(IllegalArgumentException.class, () -> new ZerothOrder(0));
    }
}
