package org.reprolab.problems;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The diffGrad paper's three 1-D functions and Beale's: values, exact gradients, minima. */
class SyntheticFunctionsTest {

    /** Central differences at points away from the kinks (a kink is 1e-3 or more away). */
    static void gradientMatchesFiniteDifferences(Objective f, double[][] points) {
        double h = 1e-6;
        for (double[] p : points) {
            double[] g = f.gradient(p);
            for (int i = 0; i < p.length; i++) {
                double[] plus = p.clone();
                double[] minus = p.clone();
                plus[i] += h;
                minus[i] -= h;
                double fd = (f.value(plus) - f.value(minus)) / (2 * h);
                assertEquals(fd, g[i], 1e-6 * Math.max(1, Math.abs(fd)), f.name() + " at " + java.util.Arrays.toString(p));
            }
        }
    }

    static double[][] grid(double from, double to, int n, List<Double> kinks) {
        return java.util.stream.IntStream.range(0, n).mapToDouble(i -> from + (to - from) * i / (n - 1))
                .filter(x -> kinks.stream().allMatch(k -> Math.abs(x - k) > 1e-3))
                .mapToObj(x -> new double[] {x}).toArray(double[][]::new);
    }

    @Test
    void f1HasItsGlobalMinimumLeftOfTheKinkAndALocalOneRight() {
        var f = new DiffGradF1();
        assertEquals(0.0, f.value(f.minimizer()), 1e-15);
        assertEquals(0.05, f.value(f.localMinimizer()), 1e-15);
        assertEquals(0.0, f.gradient(new double[] {-0.3})[0], 1e-15);
        assertEquals(0.0, f.gradient(new double[] {0.2})[0], 1e-15);
        // continuous at the kink, where the gradient jumps from 0.6 to -0.4
        assertEquals(0.09, f.value(new double[] {0}), 1e-15);
        assertEquals(0.09, f.value(new double[] {1e-12}), 1e-9);
        assertEquals(-0.4, f.gradient(new double[] {1e-12})[0], 1e-9);
        assertEquals(1.0 - 0.6 + 0.09, f.value(new double[] {-1}), 1e-12); // (x+0.3)^2 = 0.49
        gradientMatchesFiniteDifferences(f, grid(-2, 2, 401, List.of(0.0)));
    }

    @Test
    void f2HasItsGlobalMinimumNearMinusPoint643() {
        var f = new DiffGradF2();
        double x = DiffGradF2.ARGMIN;
        assertEquals(0.0, f.gradient(new double[] {x})[0], 1e-12);
        assertEquals(1.1977146994e-4, f.value(new double[] {x}), 1e-12);
        // lower than anything on a fine grid over [-2, 2]
        for (double[] p : grid(-2, 2, 40_001, List.of())) {
            assertTrue(f.value(p) >= f.value(new double[] {x}) - 1e-15, "F2" + p[0]);
        }
        assertEquals(-40, f.gradient(new double[] {-1})[0]);
        assertEquals(4.85, f.value(new double[] {-1}), 1e-12);
        assertEquals(0.85, f.value(new double[] {0}), 0);
        gradientMatchesFiniteDifferences(f, grid(-2, 2, 401, List.of(-0.9)));
        // the official notebook's gradient lacks the factor 8 of the chain rule
        double[] p = {0.3};
        assertEquals(0.3 * Math.cos(2.4) + Math.sin(2.4) + 0.27, f.officialGradient(p)[0], 1e-15);
        assertTrue(Math.abs(f.officialGradient(p)[0] - f.gradient(p)[0]) > 1);
    }

    @Test
    void f3IsSymmetricWithRidgesAroundAV() {
        var f = new DiffGradF3();
        assertEquals(0.0, f.value(f.minimizer()), 0);
        assertEquals(0.25, f.value(f.localMinimizer()), 1e-15);
        for (double[] p : grid(-2, 2, 801, List.of())) {
            assertEquals(f.value(p), f.value(new double[] {-p[0]}), 1e-15);
        }
        // continuous at every joint
        for (double k : new double[] {-0.5, -0.4, 0, 0.4, 0.5}) {
            assertEquals(f.value(new double[] {k}), f.value(new double[] {k + 1e-12}), 1e-9, "joint " + k);
        }
        assertEquals(0.35, f.value(new double[] {-0.4}), 1e-15);
        gradientMatchesFiniteDifferences(f, grid(-2, 2, 401, List.of(-0.5, -0.4, 0.0, 0.4, 0.5)));
    }

    @Test
    void bealeIsZeroAtThreeHalfAndMatchesFiniteDifferences() {
        var f = new Beale();
        assertEquals(0.0, f.value(f.minimizer()), 0);
        assertArrayEquals(new double[] {0, 0}, f.gradient(f.minimizer()), 1e-15);
        // (1.5 - 1 + 1)^2 + (2.25 - 1 + 1)^2 + (2.625 - 1 + 1)^2 at (1, 1)
        assertEquals(1.5 * 1.5 + 2.25 * 2.25 + 2.625 * 2.625, f.value(new double[] {1, 1}), 1e-12);
        gradientMatchesFiniteDifferences(f, new double[][] {{1, 1.5}, {-1.2, 0.7}, {3.3, -0.4}, {0.5, 2}, {2, 0.2}});
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new DiffGradF1().value(new double[] {1, 2}));
        assertTrue(e.getMessage().contains("diffGrad F1") && e.getMessage().contains("dimension 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new DiffGradF3().gradient(new double[] {Double.NaN}));
        assertThrows(IllegalArgumentException.class, () -> new Beale().gradient(new double[] {1}));
    }
}
