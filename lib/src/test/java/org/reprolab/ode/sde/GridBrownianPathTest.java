package org.reprolab.ode.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.reprolab.ode.Ode;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.random.RngKey;

class GridBrownianPathTest {

    /** Increments over disjoint cells are independent N(0, Δt): sample moments over many components. */
    @Test
    void incrementsHaveTheBrownianVariancesAndAreUncorrelated() {
        int d = 200_000;
        var w = new GridBrownianPath(RngKey.of(3), 0, 2, d, 8);
        double[] a = new double[d], b = new double[d];
        w.increment(0, 0.5, a);
        w.increment(0.5, 2, b);
        double va = 0, vb = 0, cab = 0, ma = 0;
        for (int i = 0; i < d; i++) { va += a[i] * a[i] / d; vb += b[i] * b[i] / d; cab += a[i] * b[i] / d; ma += a[i] / d; }
        // variances 0.5 and 1.5, no correlation, mean 0; standard errors about 0.002, 0.005, 0.003, 0.002
        assertArrayEquals(new double[] {0.5, 1.5, 0, 0}, new double[] {va, vb, cab, ma}, 0.02);
    }

    @Test
    void valuesDoNotDependOnTheQueryOrder() {
        var w = new GridBrownianPath(RngKey.of(4), 0, 1, 3, 16);
        double[] late = new double[3], early = new double[3], again = new double[3], zero = new double[3];
        w.value(0.75, late);
        w.value(0.25, early);
        w.value(0.75, again);
        w.value(0, zero);
        assertArrayEquals(late, again, 0.0);
        assertArrayEquals(new double[3], zero, 0.0);
        assertThrows(IllegalArgumentException.class, () -> w.value(0.3, late), "between grid points");
        assertThrows(IllegalArgumentException.class, () -> w.value(1.5, late), "outside the interval");
    }

    /** Euler–Maruyama on dX = dW reproduces the path exactly: X(1) − X(0) = W(1). */
    @Test
    void eulerMaruyamaOnTheGridReadsThePath() {
        var w = new GridBrownianPath(RngKey.of(5), 0, 1, 2, 64);
        var sys = SdeSystem.additive(y -> new double[y.length], 1);
        double[] x = Ode.solve(SdeProblem.of(sys, 0, 1, new double[] {1, 2}, w), Solvers.eulerMaruyama(), Controllers.constant(1.0 / 64)).yEnd();
        double[] w1 = new double[2];
        w.value(1, w1);
        assertEquals(1 + w1[0], x[0], 1e-12);
        assertEquals(2 + w1[1], x[1], 1e-12);
    }
}
