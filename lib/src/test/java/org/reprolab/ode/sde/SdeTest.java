package org.reprolab.ode.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.ode.Ode;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.random.RngKey;

/** The Brownian tree's consistency and law, and the strong orders of Euler–Maruyama and Milstein. */
class SdeTest {

    @Test
    void brownianTreeIsConsistentInAnyQueryOrder() {
        var w = new VirtualBrownianTree(RngKey.of(7), 0, 2, 3, 1e-10);
        double[] ts = {1.3, 0.2, 1.999, 0.5, 1.3, 0.0001, 0.7};
        double[][] first = new double[ts.length][3];
        for (int i = 0; i < ts.length; i++) w.value(ts[i], first[i]);
        var again = new VirtualBrownianTree(RngKey.of(7), 0, 2, 3, 1e-10);
        for (int i = ts.length - 1; i >= 0; i--) {
            double[] v = new double[3];
            again.value(ts[i], v);
            assertArrayEquals(first[i], v, 0, "t=" + ts[i]);
        }
        assertArrayEquals(first[0], first[4], 0);
        double[] inc = new double[3], a = new double[3], b = new double[3];
        w.increment(0.5, 1.3, inc);
        w.value(0.5, a);
        w.value(1.3, b);
        for (int i = 0; i < 3; i++) assertEquals(b[i] - a[i], inc[i], 0);
        double[] other = new double[3];
        new VirtualBrownianTree(RngKey.of(8), 0, 2, 3, 1e-10).value(1.3, other);
        assertNotEquals(first[0][0], other[0]);
        // continuity: nearby times give nearby values
        double[] near = new double[3];
        w.value(1.3 + 1e-8, near);
        assertEquals(first[0][0], near[0], 1e-3);
    }

    @Test
    void brownianLaw() {
        int m = 4000;
        double s1 = 0, s11 = 0, sq = 0, sqq = 0, cov = 0, incCov = 0;
        var root = RngKey.of(2024);
        for (int k = 0; k < m; k++) {
            var w = new VirtualBrownianTree(root.foldIn(k), 0, 1, 1, 1e-9);
            double[] w1 = new double[1], wq = new double[1], w03 = new double[1];
            w.value(1, w1);
            w.value(0.25, wq);
            w.value(0.3, w03);
            s1 += w1[0];
            s11 += w1[0] * w1[0];
            sq += wq[0];
            sqq += wq[0] * wq[0];
            cov += wq[0] * w1[0];
            incCov += w03[0] * (w1[0] - w03[0]);
        }
        double se = 4 / Math.sqrt(m);
        assertEquals(0, s1 / m, se);
        assertEquals(1, s11 / m, 2 * se * Math.sqrt(2));
        assertEquals(0.25, sqq / m, 0.25 * 2 * se * Math.sqrt(2));
        assertEquals(0.25, cov / m, se);          // Cov(W(1/4), W(1)) = 1/4
        assertEquals(0, incCov / m, se);           // independent increments
        assertEquals(0, sq / m, se);
    }

    /**
     * With zero drift and unit diffusion, Euler–Maruyama reproduces the Brownian path itself at the grid
     * points: y(t_k) = y0 + W(t_k); the grid of Controllers.constant(dt) has ⌈T/dt⌉ uniform steps.
     */
    @Test
    void eulerMaruyamaOnPureNoiseIsTheBrownianPathOnItsGrid() {
        SdeSystem noise = new SdeSystem() {
            public void drift(double t, double[] y, double[] out) { java.util.Arrays.fill(out, 0); }
            public void diffusion(double t, double[] y, double[] out) { java.util.Arrays.fill(out, 1); }
        };
        var w = new VirtualBrownianTree(RngKey.of(5), 0, 1, 2, 1e-9);
        var s = Ode.solve(SdeProblem.of(noise, 0, 1, new double[]{1, -1}, w), Solvers.eulerMaruyama(), Controllers.constant(0.3));
        assertArrayEquals(new double[]{0, 0.25, 0.5, 0.75, 1}, s.ts(), 1e-15);
        double[] wt = new double[2];
        for (int k = 0; k < s.size(); k++) {
            w.value(s.ts()[k], wt);
            assertArrayEquals(new double[]{1 + wt[0], -1 + wt[1]}, s.y(k), 1e-12);
        }
        assertEquals(4, s.stats().nfev());
        assertEquals(4, s.stats().ngev());
        var adaptive = assertThrows(IllegalArgumentException.class,
                () -> Ode.solve(SdeProblem.of(noise, 0, 1, new double[]{1, -1}, w), Solvers.eulerMaruyama(), Controllers.pid(1e-3, 1e-6)));
        assertTrue(adaptive.getMessage().contains("constant"), adaptive.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> Ode.solve(SdeProblem.of(noise, 0, 1, new double[]{1, -1}, w), Solvers.tsit5(), Controllers.constant(0.1)));
    }

    /** Geometric Brownian motion dy = μ y dt + σ y dW has y(t) = y0 exp((μ − σ²/2) t + σ W(t)). */
    @Test
    void strongOrders() {
        double mu = 1, sigma = 0.8, T = 1;
        SdeSystem gbm = new SdeSystem() {
            public void drift(double t, double[] y, double[] out) { out[0] = mu * y[0]; }
            public void diffusion(double t, double[] y, double[] out) { out[0] = sigma * y[0]; }
        };
        int paths = 300;
        int[] steps = {8, 16, 32, 64, 128};
        double[] emErr = new double[steps.length], milErr = new double[steps.length];
        var root = RngKey.of(11);
        for (int p = 0; p < paths; p++) {
            var w = new VirtualBrownianTree(root.foldIn(p), 0, T, 1, 1e-12);
            double[] wT = new double[1];
            w.value(T, wT);
            double exact = Math.exp((mu - sigma * sigma / 2) * T + sigma * wT[0]);
            for (int i = 0; i < steps.length; i++) {
                emErr[i] += Math.abs(Ode.solve(SdeProblem.of(gbm, 0, T, new double[]{1}, w), Solvers.eulerMaruyama(), Controllers.constant(T / steps[i])).yEnd()[0] - exact) / paths;
                milErr[i] += Math.abs(Ode.solve(SdeProblem.of(gbm, 0, T, new double[]{1}, w), Solvers.milstein(), Controllers.constant(T / steps[i])).yEnd()[0] - exact) / paths;
            }
        }
        double em = slope(steps, emErr), mil = slope(steps, milErr);
        System.out.printf("strong orders on GBM (%d paths): Euler-Maruyama %.2f, Milstein %.2f%n", paths, em, mil);
        assertEquals(0.5, em, 0.15);
        assertEquals(1.0, mil, 0.15);
        assertTrue(milErr[steps.length - 1] < emErr[steps.length - 1]);
    }

    static double slope(int[] n, double[] err) {
        double sx = 0, sy = 0, sxx = 0, sxy = 0;
        int k = n.length;
        for (int i = 0; i < k; i++) {
            double x = Math.log(1.0 / n[i]), y = Math.log(err[i]);
            sx += x; sy += y; sxx += x * x; sxy += x * y;
        }
        return (k * sxy - sx * sy) / (k * sxx - sx * sx);
    }

    @Test
    void additiveNoiseIsTheHandWrittenSystemAndMilsteinEqualsEulerMaruyamaOnIt() {
        SdeSystem byHand = new SdeSystem() {
            public void drift(double t, double[] y, double[] out) { for (int i = 0; i < y.length; i++) out[i] = y[i] - y[i] * y[i] * y[i]; }
            public void diffusion(double t, double[] y, double[] out) { java.util.Arrays.fill(out, 0.7); }
        };
        SdeSystem additive = SdeSystem.additive(y -> java.util.Arrays.stream(y).map(x -> x - x * x * x).toArray(), 0.7);
        double[] y0 = {-1.5, 0, 0.3, 2};
        var w = new VirtualBrownianTree(RngKey.of(4), 0, 2, 4, 1e-3);
        double[] em = Ode.solve(SdeProblem.of(byHand, 0, 2, y0, w), Solvers.eulerMaruyama(), Controllers.constant(1.0 / 64)).yEnd();
        assertArrayEquals(em, Ode.solve(SdeProblem.of(additive, 0, 2, y0, w), Solvers.eulerMaruyama(), Controllers.constant(1.0 / 64)).yEnd());
        assertArrayEquals(em, Ode.solve(SdeProblem.of(additive, 0, 2, y0, w), Solvers.milstein(), Controllers.constant(1.0 / 64)).yEnd());
        var e = assertThrows(IllegalArgumentException.class, () -> SdeSystem.additive(y -> y, -1));
        assertTrue(e.getMessage().contains("sigma"), e.getMessage());
        var dims = assertThrows(IllegalArgumentException.class,
                () -> Ode.solve(SdeProblem.of(SdeSystem.additive(y -> new double[1], 1), 0, 1, y0, w), Solvers.eulerMaruyama(), Controllers.constant(0.5)));
        assertTrue(dims.getMessage().contains("1 components for a state of 4"), dims.getMessage());
    }
}
