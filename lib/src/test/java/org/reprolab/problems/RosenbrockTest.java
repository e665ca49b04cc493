package org.reprolab.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class RosenbrockTest {

    private final Rosenbrock f = new Rosenbrock();

    @Test
    void minimumIsZeroAtOneOne() {
        assertEquals(0.0, f.value(new double[] {1, 1}));
        assertArrayEquals(new double[] {0, 0}, f.gradient(new double[] {1, 1}), 0.0);
        assertArrayEquals(new double[] {1, 1}, f.minimizer());
    }

    @Test
    void knownValueAtTheClassicStart() {
        // (1 - (-1.2))^2 + 100 (1 - 1.44)^2 = 4.84 + 19.36 = 24.2
        assertEquals(24.2, f.value(new double[] {-1.2, 1}), 1e-12);
    }

    @Test
    void gradientMatchesCentralFiniteDifferences() {
        double[][] points = {{-1.2, 1}, {0.3, -0.7}, {2, 3}, {-0.5, 0.25}};
        double h = 1e-6;
        for (double[] p : points) {
            double[] g = f.gradient(p);
            for (int i = 0; i < 2; i++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (f.value(plus) - f.value(minus)) / (2 * h);
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)));
            }
        }
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> f.value(new double[] {1, 2, 3}));
        assertTrue(e.getMessage().contains("dimension 2"), e.getMessage());
        var nan = assertThrows(IllegalArgumentException.class, () -> f.gradient(new double[] {Double.NaN, 0}));
        assertTrue(nan.getMessage().contains("NaN"), nan.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Rosenbrock(1, -5));
    }
}
