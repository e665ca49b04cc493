package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.RngKey;

/** Exact scores of diffused mixtures, their samples, the metrics, and the tensor seam. */
class MixtureAndMetricsTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();

    @Test
    void scoreIsTheGradientOfTheLogDensity() {
        var mix = GaussianMixture.twoClusters();
        var x = Batch.normal(20, 2, 3);
        for (double t : new double[] {1e-3, 0.05, 0.3, 1}) {
            double[] s = mix.score(VP, x, t);
            double h = 1e-6;
            for (int j = 0; j < 2; j++) {
                Batch p = x.copy(), m = x.copy();
                for (int i = 0; i < 20; i++) { p.data()[i * 2 + j] += h; m.data()[i * 2 + j] -= h; }
                double[] lp = mix.logDensity(VP, p, t), lm = mix.logDensity(VP, m, t);
                for (int i = 0; i < 20; i++) {
                    double fd = (lp[i] - lm[i]) / (2 * h);
                    assertEquals(fd, s[i * 2 + j], 1e-5 * (1 + Math.abs(fd)), "score at t=" + t);
                }
            }
        }
    }

    @Test
    void noiseAndDataPredictionsAreTweedieConsistent() {
        var mix = GaussianMixture.ring(8, 1, 0.08);
        var x = Batch.normal(50, 2, 4);
        for (double t : new double[] {1e-3, 0.2, 0.9}) {
            double[] e = new double[100], d = new double[100];
            mix.model(VP).eval(x, t, e);
            mix.denoiser(VP).eval(x, t, d);
            for (int i = 0; i < 100; i++) assertEquals(x.data()[i], VP.alpha(t) * d[i] + VP.sigma(t) * e[i], 1e-12, "x = αE[x₀|x] + σE[ε|x]");
        }
    }

    @Test
    void samplesHaveTheMixtureMoments() {
        var mix = GaussianMixture.twoClusters();
        var b = mix.sample(200_000, RngKey.of(1));
        double[] mean = new double[2];
        double c01 = 0;
        for (int i = 0; i < b.n(); i++) for (int j = 0; j < 2; j++) mean[j] += b.get(i, j) / b.n();
        for (int i = 0; i < b.n(); i++) c01 += (b.get(i, 0) - mean[0]) * (b.get(i, 1) - mean[1]) / b.n();
        double m0 = 0.8 * -0.6 + 0.2 * 1.0, m1 = 0.8 * -0.3 + 0.2 * 0.7;
        double e01 = 0.8 * 0.06 + 0.2 * -0.006 + 0.8 * (-0.6 - m0) * (-0.3 - m1) + 0.2 * (1.0 - m0) * (0.7 - m1);
        assertEquals(m0, mean[0], 5e-3);
        assertEquals(m1, mean[1], 5e-3);
        assertEquals(e01, c01, 5e-3);
    }

    @Test
    void slicedWassersteinOfAShiftIsClosedForm() {
        var a = Batch.normal(1000, 2, 5);
        var b = a.copy();
        for (int i = 0; i < 1000; i++) b.data()[i * 2] += 0.3;
        assertEquals(0, Metrics.slicedWasserstein2(a, a), 0);
        // projections shift by 0.3·cos θ; mean of cos² over θ = πj/L is ½
        assertEquals(0.3 / Math.sqrt(2), Metrics.slicedWasserstein2(a, b), 1e-12);
    }

    @Test
    void energyDistanceSeparatesDistributions() {
        var a = Batch.normal(1500, 2, 6);
        var same = Batch.normal(1500, 2, 7);
        var b = Batch.normal(1500, 2, 8);
        for (int i = 0; i < 1500; i++) b.data()[i * 2] += 0.5;
        assertEquals(0, Metrics.energyDistance(a, same), 4e-3);
        // population value for a shift δ of N(0, I₂): 2E‖Z√2+δ‖ − 2E‖Z√2‖ ≈ 0.1095 for δ = 0.5 (Monte Carlo, 4·10⁶ draws)
        assertEquals(0.1095, Metrics.energyDistance(a, b), 0.015);
        var shifted = a.copy();
        for (int i = 0; i < 1500; i++) shifted.data()[i * 2] += 0.5;
        var err = Metrics.endpointError(a, shifted);
        assertEquals(0.25, err.mean(), 1e-12);
        assertEquals(0.25, err.median(), 1e-12);
    }

    @Test
    void tensorModelsGoThroughTheSeam() {
        // exact ε̂ of N(μ, s²I) written with tensor ops: ε = σ(x − αμ)/(α²s² + σ²)
        double s = 0.5;
        double[] mu = {0.4, -0.2};
        DiffusionModel tensorModel = DiffusionModel.ofTensor(VP, Prediction.NOISE, (x, t) -> {
            double a = VP.alpha(t), sg = VP.sigma(t);
            return x.sub(Tensor.of(mu, 1, 2).mul(a)).mul(sg / (a * a * s * s + sg * sg));
        });
        var exact = new GaussianMixture(new double[] {1}, new double[][] {mu}, new double[][][] {{{s * s, 0}, {0, s * s}}}).model(VP);
        var z = Batch.normal(300, 2, 9);
        var a = Diffusion.sample(new Sampler.DpmSolverPP(2), tensorModel, z, 10).x();
        var b = Diffusion.sample(new Sampler.DpmSolverPP(2), exact, z, 10).x();
        assertTrue(Metrics.endpointError(a, b).max() < 1e-24);
        var roundTrip = Batch.of(a.toTensor());
        assertEquals(a.get(17, 1), roundTrip.get(17, 1));
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new Batch(3, 2, new double[5]));
        var e = assertThrows(IllegalArgumentException.class, () -> new GaussianMixture(new double[] {1}, new double[][] {{0, 0}}, new double[][][] {{{1, 2}, {2, 1}}}));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Metrics.slicedWasserstein2(Batch.normal(3, 2, 0), Batch.normal(4, 2, 0)));
    }
}
