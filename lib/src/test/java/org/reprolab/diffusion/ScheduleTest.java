package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Schedules, grids and prediction conversions against closed forms and finite differences. */
class ScheduleTest {
    static final List<NoiseSchedule> ALL = List.of(NoiseSchedule.vpLinear(), NoiseSchedule.vpCosine(), NoiseSchedule.ve(), NoiseSchedule.edm());

    @Test
    void vpLinearClosedForms() {
        var s = NoiseSchedule.vpLinear();
        // log α(1) = −¼(β₁−β₀) − ½β₀
        assertEquals(-0.25 * 19.9 - 0.05, s.logAlpha(1), 1e-15);
        for (double t : new double[] {1e-3, 0.1, 0.5, 1}) {
            assertEquals(1, s.alpha(t) * s.alpha(t) + s.sigma(t) * s.sigma(t), 1e-14);
            assertEquals(0.1 + t * 19.9, s.g2(t), 1e-12 * (1 + t * 20), "g² of the VP SDE is β(t)");
            assertEquals(-0.5 * (0.1 + t * 19.9), s.dLogAlpha(t), 1e-14);
        }
    }

    @Test
    void veAndEdmClosedForms() {
        var ve = NoiseSchedule.ve();
        for (double t : new double[] {1e-5, 0.3, 1}) {
            double sg = 0.01 * Math.pow(5000, t);
            assertEquals(sg, ve.sigma(t), 1e-12 * sg);
            assertEquals(2 * sg * sg * Math.log(5000), ve.g2(t), 1e-10 * sg * sg, "g² = dσ²/dt");
        }
        var edm = NoiseSchedule.edm();
        assertEquals(80, edm.sigmaTilde(80), 1e-12);
        assertEquals(2 * 3.0, edm.g2(3), 1e-12, "g² = dσ²/dt = 2t");
        assertEquals(50, ve.priorStd(), 1e-12);
    }

    @Test
    void inverseOfLambdaAndDerivatives() {
        for (var s : ALL) {
            double a = s.tEnd(), b = s.tStart();
            for (int i = 0; i <= 20; i++) {
                double t = a + (b - a) * i / 20.0;
                assertEquals(t, s.tOfLambda(s.lambda(t)), 1e-10 * Math.max(1, t), s + " t(λ(t))");
                double h = 1e-6 * Math.max(t, 1e-2);
                if (t - h <= 0) continue;
                double fdA = (s.logAlpha(t + h) - s.logAlpha(t - h)) / (2 * h);
                double fdL = (s.lambda(t + h) - s.lambda(t - h)) / (2 * h);
                assertEquals(fdA, s.dLogAlpha(t), 1e-6 * (1 + Math.abs(fdA)), s + " dlogα/dt at " + t);
                assertEquals(fdL, s.dLambda(t), 1e-6 * (1 + Math.abs(fdL)), s + " dλ/dt at " + t);
            }
        }
    }

    @Test
    void grids() {
        var s = NoiseSchedule.vpLinear();
        double[] t = TimeGrid.logSnr().times(s, 1, 1e-3, 8);
        assertEquals(9, t.length);
        assertEquals(1, t[0]);
        assertEquals(1e-3, t[8]);
        double dl = s.lambda(t[1]) - s.lambda(t[0]);
        for (int i = 1; i < 8; i++) assertEquals(dl, s.lambda(t[i + 1]) - s.lambda(t[i]), 1e-10);
        assertArrayEquals(new double[] {1, 0.75, 0.5, 0.25, 0}, TimeGrid.timeUniform().times(s, 1, 0, 4), 1e-15);
        assertArrayEquals(new double[] {1, 0.5625, 0.25, 0.0625, 0}, TimeGrid.timeQuadratic().times(s, 1, 0, 4), 1e-15);
        // diffusers trailing, T = 1000, N = 10: timesteps 999, 899, …, 99 -> t = (k+1)/T
        double[] tr = TimeGrid.trailing(1000).times(s, 1, 1e-3, 10);
        for (int i = 0; i < 10; i++) assertEquals(1 - 0.1 * i, tr[i], 1e-12);
        assertEquals(1e-3, tr[10]);
        // EDM: σ_i = (σmax^{1/ρ} + i/(N)(σmin^{1/ρ} − σmax^{1/ρ}))^ρ on σ(t) = t
        double[] k = TimeGrid.karras(7).times(NoiseSchedule.edm(), 80, 0.002, 17);
        for (int i = 0; i <= 17; i++) {
            double e = Math.pow(Math.pow(80, 1 / 7.0) + i / 17.0 * (Math.pow(0.002, 1 / 7.0) - Math.pow(80, 1 / 7.0)), 7);
            assertEquals(e, k[i], 1e-12 * e);
        }
        // ρ → ∞ is the logSNR grid
        double[] big = TimeGrid.karras(1e7).times(s, 1, 1e-3, 8);
        for (int i = 0; i <= 8; i++) assertEquals(t[i], big[i], 1e-5 * t[i]);
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.logSnr().times(s, 1e-3, 1, 4));
        assertThrows(IllegalArgumentException.class, () -> TimeGrid.logSnr().times(s, 1, 1e-3, 0));
    }

    @Test
    void predictionConversionsRoundTrip() {
        double[] x = {0.3, -1.2, 2.0, 0.7};
        double[] eps = {1.1, -0.4, 0.2, -2.0};
        for (double[] as : new double[][] {{0.8, 0.6}, {1, 3.5}, {0.05, 0.9987}}) {
            double a = as[0], s = as[1];
            double[] x0 = new double[4], xt = new double[4];
            for (int i = 0; i < 4; i++) { x0[i] = x[i]; xt[i] = a * x0[i] + s * eps[i]; }
            for (Prediction p : Prediction.values()) {
                double[] pv = new double[4];
                p.fromNoiseAndData(eps, x0, a, s, pv);
                double[] e2 = new double[4], d2 = new double[4];
                p.toNoise(xt, pv, a, s, e2);
                p.toData(xt, pv, a, s, d2);
                assertArrayEquals(eps, e2, 1e-12, p + " -> noise at " + a + "," + s);
                assertArrayEquals(x0, d2, 1e-12, p + " -> data");
                for (Prediction q : Prediction.values()) {
                    double[] back = q.convert(p, xt, p.convert(q, xt, pv, a, s), a, s);
                    assertArrayEquals(pv, back, 1e-11, p + " -> " + q + " -> " + p);
                }
            }
            double[] v = new double[4];
            Prediction.VELOCITY.fromNoiseAndData(eps, x0, a, s, v);
            for (int i = 0; i < 4; i++) assertEquals(a * eps[i] - s * x0[i], v[i], 1e-15, "v = αε − σx₀");
            double[] sc = new double[4];
            Prediction.SCORE.fromNoiseAndData(eps, x0, a, s, sc);
            for (int i = 0; i < 4; i++) assertEquals(-eps[i] / s, sc[i], 1e-15, "score = −ε/σ");
        }
    }

    @Test
    void badSchedulesAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new NoiseSchedule.VpLinear(20, 0.1, 1e-3));
        assertThrows(IllegalArgumentException.class, () -> new NoiseSchedule.Ve(1, 0.5, 1e-5));
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new NoiseSchedule.Edm(0, 80)).getMessage().contains("EDM"));
    }
}
