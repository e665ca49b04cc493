package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Schedule;
import org.reprolab.random.RngKey;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

class LightSchrodingerBridgeTest {
    private static final double[] MEAN0 = {0.5, -1.0}, MEAN1 = {2.0, 1.0};
    private static final double[][] COV0 = {{1.0, 0.4}, {0.4, 0.5}}, COV1 = {{0.6, -0.3}, {-0.3, 1.5}};

    /** A two-component potential with a non-diagonal S, used where the test needs something that is not Gaussian. */
    private static LightSchrodingerBridge twoComponents(double epsilon) {
        return LightSchrodingerBridge.of(epsilon, new double[] {0.3, 1.2}, new double[][] {{0.4, -0.2}, {-0.5, 0.6}},
                new double[][][] {{{0.5, 0.2}, {0.2, 0.4}}, {{0.3, -0.1}, {-0.1, 0.6}}});
    }

    @Test
    void gaussianPlanMatchesJanatiEtAlClosedFormEvaluatedByScipy() {
        // Janati et al. (2020) C = ½ A^½ (4A^½BA^½ + σ⁴)^½ A^-½ − σ²/2 with σ² = ε, A = Σ₀, B = Σ₁, by scipy.linalg.sqrtm
        Map<Double, double[]> janati = Map.of(
                0.1, new double[] {0.63560688, 0.20365994, 0.06109798, 0.73743685},
                1.0, new double[] {0.34941546, 0.16825946, 0.05047784, 0.43354519},
                10.0, new double[] {0.04774562, 0.02967263, 0.00890179, 0.06258194});
        janati.forEach((eps, c) -> {
            var ot = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, eps);
            double[][] cross = ot.crossCovariance();
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(c[2 * i + j], cross[i][j], 1e-7, "eps=" + eps);
            // the defining equations: K symmetric, the plan's second marginal is Σ₁ (KΣ₀K + εK = Σ₁)
            double[][] k = ot.conditionalMap(), kak = SpdMatrix.multiply(SpdMatrix.multiply(k, COV0), k);
            assertEquals(k[0][1], k[1][0], 1e-14);
            for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(COV1[i][j], kak[i][j] + eps * k[i][j], 1e-12);
        });
    }

    @Test
    void smallEpsilonTendsToTheMongeMapAndLargeToIndependence() {
        // Monge map between Gaussians: Σ₀^-½ (Σ₀^½ Σ₁ Σ₀^½)^½ Σ₀^-½ (Dowson and Landau), computed here without ε
        double[][] r = SpdMatrix.power(COV0, 0.5, "a"), ri = SpdMatrix.power(COV0, -0.5, "a");
        double[][] monge = SpdMatrix.multiply(SpdMatrix.multiply(ri, SpdMatrix.power(SpdMatrix.multiply(SpdMatrix.multiply(r, COV1), r), 0.5, "b")), ri);
        double[][] k = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, 1e-6).conditionalMap();
        for (int i = 0; i < 2; i++) for (int j = 0; j < 2; j++) assertEquals(monge[i][j], k[i][j], 1e-5);
        double[][] far = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, 1e6).crossCovariance();
        for (double[] row : far) for (double v : row) assertEquals(0, v, 1e-5);
    }

    @Test
    void oneComponentBridgeSamplesTheClosedFormPlan() {
        var ot = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, 0.5);
        var bridge = ot.bridge();
        int n = 200_000;
        Batch x = new GaussianMixture(new double[] {1}, new double[][] {MEAN0}, new double[][][] {COV0}).sample(n, RngKey.of(1));
        Batch y = bridge.sample(x, RngKey.of(2));
        double[][] c = ot.crossCovariance(), yCov = new double[2][2], xyCov = new double[2][2];
        double[] mx = new double[2], my = new double[2];
        for (int i = 0; i < n; i++) for (int a = 0; a < 2; a++) { mx[a] += x.get(i, a) / n; my[a] += y.get(i, a) / n; }
        for (int i = 0; i < n; i++) for (int a = 0; a < 2; a++) for (int b = 0; b < 2; b++) {
            xyCov[a][b] += (x.get(i, a) - mx[a]) * (y.get(i, b) - my[b]) / n;
            yCov[a][b] += (y.get(i, a) - my[a]) * (y.get(i, b) - my[b]) / n;
        }
        for (int a = 0; a < 2; a++) {
            assertEquals(MEAN1[a], my[a], 0.01);
            for (int b = 0; b < 2; b++) {
                assertEquals(c[a][b], xyCov[a][b], 0.01);      // Monte Carlo: ~0.002 standard error
                assertEquals(COV1[a][b], yCov[a][b], 0.015);
            }
        }
        // the conditional at a point is the closed form's N(μ₁ + K(x − μ₀), εK)
        var cond = bridge.conditional(1.0, 0.3);
        double[] m = ot.conditionalMean(1.0, 0.3);
        double[][] cc = ot.conditionalCovariance();
        for (int a = 0; a < 2; a++) {
            assertEquals(m[a], cond.mean()[a], 1e-12);
            for (int b = 0; b < 2; b++) assertEquals(cc[a][b], cond.covariance()[a][b], 1e-12);
        }
    }

    @Test
    void driftStartsAtTheConditionalMeanAndEulerMaruyamaReachesTheClosedFormPlan() {
        var mixture = twoComponents(0.4);
        Batch x = Batch.of(new double[][] {{0.3, -0.7}, {1.1, 0.2}});
        Batch g = mixture.drift(x, 0);
        for (int i = 0; i < 2; i++) {
            double[] mean = mixture.conditional(x.rows()[i]).mean();
            for (int a = 0; a < 2; a++) assertEquals(mean[a] - x.get(i, a), g.get(i, a), 1e-12);
        }
        // the process of the exact Gaussian bridge, 200 Euler-Maruyama steps: (X0, X1) has the closed-form plan's law
        var ot = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, 0.5);
        int n = 20_000;
        Batch x0 = new GaussianMixture(new double[] {1}, new double[][] {MEAN0}, new double[][][] {COV0}).sample(n, RngKey.of(11));
        Batch x1 = ot.bridge().simulate(x0, 200, RngKey.of(12));
        double[][] c = ot.crossCovariance();
        for (int a = 0; a < 2; a++) {
            double my = 0;
            for (int i = 0; i < n; i++) my += x1.get(i, a) / n;
            assertEquals(MEAN1[a], my, 0.03);
            for (int b = 0; b < 2; b++) {
                double s = 0;
                for (int i = 0; i < n; i++) s += (x0.get(i, b) - MEAN0[b]) * (x1.get(i, a) - MEAN1[a]) / n;
                assertEquals(c[b][a], s, 0.03, "Cov(X0_" + b + ", X1_" + a + ")");   // Monte Carlo ~0.007, Euler O(1/200)
            }
        }
        assertThrows(IllegalArgumentException.class, () -> mixture.drift(x, 1));
    }

    @Test
    void normalizerAndConditionalMatchQuadratureOfThePotential() {
        double eps = 0.7;
        var bridge = twoComponents(eps);
        double[] x = {0.8, -0.4};
        // ∫ v(y) dy = Σα, ∫ exp(xᵀy/ε) v(y) dy = c(x) and the mean of π(y|x) ∝ exp(xᵀy/ε) v(y), on a fine grid
        int n = 801;
        double lo = -8, h = 16.0 / (n - 1);
        double[] grid = new double[n * n * 2];
        for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) { grid[2 * (i * n + j)] = lo + i * h; grid[2 * (i * n + j) + 1] = lo + j * h; }
        double[] logV;
        try (var _ = Autodiff.noGrad()) {
            logV = bridge.logPotential(Tensor.of(grid, n * n, 2)).toDoubleArray();
        }
        double mass = 0, c = 0, m0 = 0, m1 = 0;
        for (int p = 0; p < n * n; p++) {
            double v = Math.exp(logV[p]), w = Math.exp((x[0] * grid[2 * p] + x[1] * grid[2 * p + 1]) / eps + logV[p]);
            mass += v * h * h;
            c += w * h * h;
            m0 += w * grid[2 * p] * h * h;
            m1 += w * grid[2 * p + 1] * h * h;
        }
        assertEquals(1.5, mass, 1e-9);
        double logC;
        try (var _ = Autodiff.noGrad()) {
            logC = bridge.logNormalizer(Tensor.of(x, 1, 2)).item();
        }
        assertEquals(Math.log(c), logC, 1e-9);
        var cond = bridge.conditional(x);
        assertEquals(m0 / c, cond.mean()[0], 1e-9);
        assertEquals(m1 / c, cond.mean()[1], 1e-9);
    }

    @Test
    void lossGradientMatchesCentralFiniteDifferences() {
        var bridge = LightSchrodingerBridge.of(2, 3, 0.3, 4);
        try (var _ = Autodiff.noGrad()) {
            bridge.parameters().get("lower").assign(Tensor.randn(5, 3, 2, 2).mul(0.3));   // a non-diagonal S
        }
        Tensor x0 = Tensor.randn(6, 40, 2), x1 = Tensor.randn(7, 50, 2).add(1);
        bridge.loss(x0, x1).backward();
        for (var e : bridge.parameters().entrySet()) {
            Tensor p = e.getValue();
            double[] g = p.grad().toDoubleArray(), v = p.toDoubleArray();
            for (int i = 0; i < v.length; i++) {
                if (e.getKey().equals("lower") && (i % 4) != 2) {   // only entry [1][0] of each 2x2 factor is used
                    assertEquals(0, g[i], 0, "masked entry " + i);
                    continue;
                }
                double fd = (lossAt(bridge, p, v, i, 1e-5, x0, x1) - lossAt(bridge, p, v, i, -1e-5, x0, x1)) / 2e-5;
                assertEquals(fd, g[i], 1e-6 * (1 + Math.abs(fd)), e.getKey() + "[" + i + "]");
            }
        }
    }

    private static double lossAt(LightSchrodingerBridge b, Tensor p, double[] v, int i, double h, Tensor x0, Tensor x1) {
        double[] w = v.clone();
        w[i] += h;
        try (var _ = Autodiff.noGrad()) {
            p.assign(Tensor.of(w, p.shape()));
            double l = b.loss(x0, x1).item();
            p.assign(Tensor.of(v, p.shape()));
            return l;
        }
    }

    @Test
    void adamOnThePapersObjectiveFindsTheClosedFormPlan() {
        // KL(π*‖π_θ) is minimal at the true plan: from the paper's initialisation, minibatch Adam on the objective reaches it
        double eps = 0.5;
        var ot = new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, eps);
        var p0 = new GaussianMixture(new double[] {1}, new double[][] {MEAN0}, new double[][][] {COV0});
        var p1 = new GaussianMixture(new double[] {1}, new double[][] {MEAN1}, new double[][][] {COV1});
        var bridge = LightSchrodingerBridge.of(2, 1, eps, 3).initMeans(p1.sample(1, RngKey.of(4)));
        var optimizer = Optimizer.builder(bridge.parameters(), Optimizers.adam(0.1)).schedule(Schedule.cosine(800)).build();
        for (int step = 0; step < 800; step++) {
            optimizer.zeroGrad();
            bridge.loss(p0.sample(512, RngKey.of(2L * step)), p1.sample(512, RngKey.of(2L * step + 1))).backward();
            optimizer.step();
        }
        double[][] want = ot.conditionalCovariance(), got = bridge.conditional(0.0, 0.0).covariance();
        double[] wantMean = ot.conditionalMean(1.0, -0.5), gotMean = bridge.conditional(1.0, -0.5).mean();
        for (int a = 0; a < 2; a++) {
            assertEquals(wantMean[a], gotMean[a], 0.03);
            for (int b = 0; b < 2; b++) assertEquals(want[a][b], got[a][b], 0.01);   // entries 0.2-0.7: within ~2%
        }
    }

    @Test
    void buresWassersteinMatchesScipyAndMixtureMomentsMatchTheLawOfTotalCovariance() {
        assertEquals(1.310903988589583, Metrics.buresWasserstein2(new double[] {0.3, -0.2}, COV0, new double[] {-0.1, 0.5}, COV1), 1e-12);
        assertEquals(0, Metrics.buresWasserstein2(MEAN0, COV0, MEAN0, COV0), 1e-12);
        var mix = new GaussianMixture(new double[] {1, 3}, new double[][] {{0, 0}, {2, 0}}, new double[][][] {{{1, 0}, {0, 1}}, {{0.5, 0}, {0, 2}}});
        assertEquals(1.5, mix.mean()[0], 1e-15);
        // var of coordinate 0: ¼·1 + ¾·0.5 + (¼·0 + ¾·4) − 1.5² = 0.625 + 3 − 2.25
        assertEquals(1.375, mix.covariance()[0][0], 1e-14);
        assertEquals(1.75, mix.covariance()[1][1], 1e-14);
        assertEquals(0, mix.covariance()[0][1], 1e-15);
    }

    @Test
    void badInputIsRejectedWithAClearMessage() {
        var e = assertThrows(IllegalArgumentException.class, () -> new GaussianEntropicOt(MEAN0, COV0, MEAN1, COV1, 0));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new GaussianEntropicOt(MEAN0, new double[][] {{1, 2}, {2, 1}}, MEAN1, COV1, 1));
        assertTrue(e.getMessage().contains("positive definite"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LightSchrodingerBridge.of(2, 3, -1, 0));
        assertTrue(e.getMessage().contains("epsilon"), e.getMessage());
        var bridge = twoComponents(1);
        e = assertThrows(IllegalArgumentException.class, () -> bridge.loss(Tensor.zeros(4, 3), Tensor.zeros(4, 2)));
        assertTrue(e.getMessage().contains("[n, 2]"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> bridge.initMeans(Batch.normal(3, 2, 0)));
        assertTrue(e.getMessage().contains("2 samples"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> LightSchrodingerBridge.of(1, new double[] {0}, new double[][] {{0, 0}}, new double[][][] {{{1, 0}, {0, 1}}}));
        assertTrue(e.getMessage().contains("alpha[0]"), e.getMessage());
    }
}
