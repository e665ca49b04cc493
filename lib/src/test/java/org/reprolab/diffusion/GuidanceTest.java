package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** CFG and APG on a class-conditional mixture (class = one mode of the ring). */
class GuidanceTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final GaussianMixture RING = GaussianMixture.ring(8, 1, 0.08);
    static final DiffusionModel COND = RING.select(0).denoiser(VP), UNCOND = RING.denoiser(VP);

    static double[] eval(DiffusionModel m, Batch x, double t) {
        double[] o = new double[x.data().length];
        m.eval(x, t, o);
        return o;
    }

    @Test
    void cfgIsTheLinearExtrapolation() {
        var x = Batch.normal(30, 2, 1);
        double t = 0.4;
        double[] c = eval(COND, x, t), u = eval(UNCOND, x, t);
        double[] g1 = eval(Guidance.cfg(COND, UNCOND, 1), x, t), g3 = eval(Guidance.cfg(COND, UNCOND, 3), x, t);
        for (int i = 0; i < c.length; i++) {
            assertEquals(c[i], g1[i], 1e-15);
            assertEquals(u[i] + 3 * (c[i] - u[i]), g3[i], 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> Guidance.cfg(COND, RING.model(VP), 2));
    }

    @Test
    void apgWithoutProjectionRescaleOrMomentumIsCfg() {
        var x = Batch.normal(30, 2, 2);
        double t = 0.3;
        double[] apg = eval(Guidance.apg(COND, UNCOND, 4, 1, 0, 0, false), x, t), cfg = eval(Guidance.cfg(COND, UNCOND, 4), x, t);
        for (int i = 0; i < apg.length; i++) assertEquals(cfg[i], apg[i], 1e-12);
        // η = 0: the update is orthogonal to D_c, point by point
        double[] c = eval(COND, x, t), u = eval(UNCOND, x, t), p = eval(Guidance.apg(COND, UNCOND, 4, 0, 0, 0, false), x, t);
        for (int i = 0; i < 30; i++) {
            double dot = 0;
            for (int j = 0; j < 2; j++) dot += (p[2 * i + j] - u[2 * i + j]) / 4 * c[2 * i + j];
            assertEquals(0, dot, 1e-12);
        }
    }

    @Test
    void strongCfgPushesSamplesOffTheSupport() {
        var z = Batch.normal(500, 2, 3);
        double[] mode = RING.means()[0];
        double cfgDist = meanDistance(Diffusion.sample(new Sampler.DpmSolverPP(2), Guidance.cfg(COND, UNCOND, 8), z, 20).x(), mode);
        double apgDist = meanDistance(Diffusion.sample(new Sampler.DpmSolverPP(2), Guidance.apg(COND, UNCOND, 8, 0, 1, 0, false), z, 20).x(), mode);
        double condDist = meanDistance(Diffusion.sample(new Sampler.DpmSolverPP(2), COND, z, 20).x(), mode);
        System.out.printf("mean distance to the class mode: cond %.3f, CFG w=8 %.3f, APG w=8 %.3f%n", condDist, cfgDist, apgDist);
        assertTrue(cfgDist > 2 * condDist, "CFG w=8 overshoots");
        // In 2-D the pull toward the class mode is mostly parallel to D_c, so APG with η = 0 drops most of the
        // guidance here (apgDist stays large); the notebook's comparison needs a setup where that is not so.
        // What APG guarantees is checked directly: the rescaled update has norm <= r at every point.
        var x = Batch.normal(50, 2, 4);
        double[] u = eval(UNCOND, x, 0.5), p = eval(Guidance.apg(COND, UNCOND, 8, 1, 0.05, 0, false), x, 0.5);
        for (int i = 0; i < 50; i++)
            assertTrue(Math.hypot(p[2 * i] - u[2 * i], p[2 * i + 1] - u[2 * i + 1]) <= 8 * 0.05 + 1e-12);
    }

    static double meanDistance(Batch b, double[] p) {
        double s = 0;
        for (int i = 0; i < b.n(); i++) s += Math.hypot(b.get(i, 0) - p[0], b.get(i, 1) - p[1]);
        return s / b.n();
    }
}
