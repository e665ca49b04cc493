package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.problems.Ackley;
import org.reprolab.random.RngKey;

class CboTest {

    @Test
    void consensusIsTheGibbsWeightedMeanComputedByHand() {
        var cbo = new Cbo(2, 1, 1, 0.1, false);
        double[][] x = {{0, 1}, {2, 3}};
        double[] f = {1, 1.5};
        // weights exp(-2*0) = 1 and exp(-2*0.5) = e^-1 after subtracting the minimum
        double w = Math.exp(-1);
        assertArrayEquals(new double[] {2 * w / (1 + w), (1 + 3 * w) / (1 + w)}, cbo.consensus(x, f), 1e-15);
        // huge alpha: the best particle; tiny alpha: the plain mean
        assertArrayEquals(new double[] {0, 1}, new Cbo(1e6, 1, 1, 0.1, false).consensus(x, f), 1e-12);
        assertArrayEquals(new double[] {1, 2}, new Cbo(1e-12, 1, 1, 0.1, false).consensus(x, f), 1e-9);
    }

    @Test
    void oneStepMatchesTheHandComputedEulerMaruyamaUpdate() {
        double lambda = 1, sigma = 0.5, dt = 0.04;
        double[] c = {1, 1};
        double[][] xi = {{0.3, -1.2}};
        // x - c = (3, -4), |x - c| = 5, sqrt(dt) = 0.2
        double[][] iso = {{4, -3}};
        new Cbo(1, lambda, sigma, dt, false).step(iso, c, xi);
        assertArrayEquals(new double[] {4 - 0.04 * 3 + 0.5 * 0.2 * 5 * 0.3, -3 + 0.04 * 4 + 0.5 * 0.2 * 5 * -1.2}, iso[0], 1e-15);
        double[][] aniso = {{4, -3}};
        new Cbo(1, lambda, sigma, dt, true).step(aniso, c, xi);
        assertArrayEquals(new double[] {4 - 0.04 * 3 + 0.5 * 0.2 * 3 * 0.3, -3 + 0.04 * 4 + 0.5 * 0.2 * -4 * -1.2}, aniso[0], 1e-15);
    }

    @Test
    void aKeyReproducesARunAndTheSwarmFindsTheMinimumOfTwoDimensionalAckley() {
        var cbo = new Cbo(1000, 1, 1, 0.01, true);
        var f = new Ackley(2);
        double[][] start = Cbo.around(new double[] {2, 2}, 2, 100, RngKey.of(1));
        var a = cbo.minimize(f::value, start, 1500, RngKey.of(2));
        var b = cbo.minimize(f::value, start, 1500, RngKey.of(2));
        assertArrayEquals(a.last(), b.last(), 0);
        assertEquals(1501, a.values().length);
        assertTrue(Math.hypot(a.last()[0], a.last()[1]) < 0.05, "consensus ends at " + a.last()[0] + ", " + a.last()[1]);
        assertThrows(IllegalArgumentException.class, () -> new Cbo(0, 1, 1, 0.1, true));
        assertThrows(IllegalArgumentException.class, () -> cbo.consensus(new double[][] {{1}}, new double[] {Double.NaN}));
    }

    @Test
    void ackleyGradientMatchesCentralDifferences() {
        var f = new Ackley(3);
        double[] x = {0.3, -1.7, 2.2};
        double[] g = f.gradient(x);
        for (int i = 0; i < 3; i++) {
            double[] p = x.clone(), m = x.clone();
            p[i] += 1e-6;
            m[i] -= 1e-6;
            assertEquals((f.value(p) - f.value(m)) / 2e-6, g[i], 1e-7);
        }
        assertEquals(0, f.value(new double[3]), 1e-14);
    }
}
