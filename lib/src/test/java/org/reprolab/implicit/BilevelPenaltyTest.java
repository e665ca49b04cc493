package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The penalty method (Kwon et al., ICLR 2024) on a separable quadratic bilevel problem with closed forms:
 * per coordinate i, {@code f = ½(y − b)² + ½ρx²}, {@code g = ½h y² − βxy}. Then {@code y*(x) = βx/h} and the
 * bilevel solution is {@code x* = βbh/(ρh² + β²)}; the penalty function's minimiser, from
 * {@code ∇ψ_σ = ρx − β(hb − βx)/(h(h + σ)) = 0}, is {@code x_σ = βbh/(ρh(h + σ) + β²)}: it approaches x* at
 * the rate O(σ) the paper states (Theorem 3.2), with {@code dx_σ/dσ} at 0 equal to {@code −ρh²βb/(ρh² + β²)²}.
 */
class BilevelPenaltyTest {

    private static final double RHO = 0.5;
    private static final double[] H = {1.0, 2.0, 0.5};
    private static final double[] BETA = {1.0, -0.5, 0.8};
    private static final double[] B = {2.0, 1.0, -1.5};

    private static Tensor of(double[] a) {
        return Tensor.of(a);
    }

    private static final BilevelAlgorithm.Level UPPER = (x, y) -> y.sub(of(B)).square().sum().mul(0.5).add(x.square().sum().mul(RHO / 2));
    private static final BilevelAlgorithm.Level LOWER = (x, y) -> y.square().mul(of(H)).sum().mul(0.5).sub(x.mul(y).mul(of(BETA)).sum());

    private static double bilevel(int i) {
        return BETA[i] * B[i] * H[i] / (RHO * H[i] * H[i] + BETA[i] * BETA[i]);
    }

    private static double penalised(int i, double sigma) {
        return BETA[i] * B[i] * H[i] / (RHO * H[i] * (H[i] + sigma) + BETA[i] * BETA[i]);
    }

    /** Lower step 1/(σ₀L_f + L_g) = 1/(1 + 2) at σ₀ = 1. */
    private static BilevelAlgorithm.Trace run(BilevelPenalty method, int iterations) {
        return method.run(UPPER, LOWER, Tensor.zeros(3), Tensor.zeros(3), iterations);
    }

    @Test
    void gradientEstimateAtTheMinimisersIsTheClosedFormGradientOfPsiSigma() {
        double sigma = 0.3;
        double[] x = {0.7, -0.2, 1.1};
        double[] ySigma = new double[3], z = new double[3], expected = new double[3];
        for (int i = 0; i < 3; i++) {
            ySigma[i] = (BETA[i] * x[i] + sigma * B[i]) / (H[i] + sigma);
            z[i] = BETA[i] * x[i] / H[i];
            expected[i] = RHO * x[i] - BETA[i] * (H[i] * B[i] - BETA[i] * x[i]) / (H[i] * (H[i] + sigma));
        }
        Tensor g = BilevelPenalty.gradient(UPPER, LOWER, of(x), of(ySigma), of(z), sigma);
        assertArrayEquals(expected, g.toDoubleArray(), 1e-12);
        // and it matches a finite difference of ψ_σ(x) = (min_y σf + g − min_z g)/σ, both minima in closed form
        double h = 1e-6;
        for (int i = 0; i < 3; i++) {
            double[] up = x.clone(), down = x.clone();
            up[i] += h;
            down[i] -= h;
            assertEquals(expected[i], (psi(up, sigma) - psi(down, sigma)) / (2 * h), 1e-6, "coordinate " + i);
        }
    }

    private static double psi(double[] x, double sigma) {
        double total = 0;
        for (int i = 0; i < 3; i++) {
            double y = (BETA[i] * x[i] + sigma * B[i]) / (H[i] + sigma);
            double z = BETA[i] * x[i] / H[i];
            double penalised = sigma * (0.5 * (y - B[i]) * (y - B[i]) + 0.5 * RHO * x[i] * x[i]) + 0.5 * H[i] * y * y - BETA[i] * x[i] * y;
            double lower = 0.5 * H[i] * z * z - BETA[i] * x[i] * z;
            total += (penalised - lower) / sigma;
        }
        return total;
    }

    @Test
    void fixedSigmaReachesThePenaltyMinimiserAndItsBiasShrinksLinearlyInSigma() {
        double[] sigmas = {0.1, 0.01, 0.001};
        double[] errors = new double[sigmas.length];
        for (int s = 0; s < sigmas.length; s++) {
            BilevelAlgorithm.Trace t = run(BilevelPenalty.fixed(0.5, sigmas[s], 1.0 / 3, 5), 400);
            double[] x = t.x().toDoubleArray();
            double err = 0;
            for (int i = 0; i < 3; i++) {
                assertEquals(penalised(i, sigmas[s]), x[i], 1e-8, "x_sigma, sigma " + sigmas[s] + ", coordinate " + i);
                err = Math.max(err, Math.abs(x[i] - bilevel(i)));
            }
            errors[s] = err;
            assertEquals(0, t.hvps());
            assertEquals(400 * (3 * 5 + 3), t.gradients());
        }
        // O(σ): each tenfold smaller σ makes the error about tenfold smaller
        assertEquals(10, errors[0] / errors[1], 0.6);
        assertEquals(10, errors[1] / errors[2], 0.1);
        // and the constant is the closed-form slope |dx_σ/dσ| at 0, the largest over coordinates
        double slope = 0;
        for (int i = 0; i < 3; i++) {
            double d = RHO * H[i] * H[i] + BETA[i] * BETA[i];
            slope = Math.max(slope, Math.abs(RHO * H[i] * H[i] * BETA[i] * B[i] / (d * d)));
        }
        assertEquals(slope, errors[2] / 0.001, 0.01 * slope);
    }

    @Test
    void decreasingScheduleEndsNearTheBilevelSolutionAndTracksTheLowerLevel() {
        var method = new BilevelPenalty(0.5, 1.0, 1e-3, 1.0, 1.0 / 3, 5, 10);
        assertEquals(1.0, method.sigma(0));
        assertEquals(0.25, method.sigma(3));
        assertEquals(1e-3, method.sigma(5000));
        BilevelAlgorithm.Trace t = run(method, 3000);
        double[] x = t.x().toDoubleArray(), z = t.y().toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertEquals(bilevel(i), x[i], 2e-3, "x*, coordinate " + i);
            assertEquals(BETA[i] * x[i] / H[i], z[i], 1e-8, "z = y*(x), coordinate " + i);
        }
        double fAtEnd = t.upperValues()[2999];
        double fStar = 0;
        for (int i = 0; i < 3; i++) {
            double y = BETA[i] * bilevel(i) / H[i];
            fStar += 0.5 * (y - B[i]) * (y - B[i]) + 0.5 * RHO * bilevel(i) * bilevel(i);
        }
        assertEquals(fStar, fAtEnd, 1e-4);
        assertTrue(t.upperValues()[0] > fAtEnd + 0.1);
    }

    /**
     * A lower level with a line of minimisers, {@code g = ½(y₁ + y₂ − x)²} (its Hessian in y is singular, so the implicit
     * function theorem does not apply), and {@code f = ½‖y − c‖² + ½ρ(x − a)²}. With the optimistic selection the paper
     * treats, {@code ψ(x) = (x − s)²/4 + ½ρ(x − a)²}, {@code s = c₁ + c₂}; the penalty function is
     * {@code ψ_σ(x) = (x − s)²/(2(σ + 2)) + ½ρ(x − a)²} (minimise {@code σ‖y − c‖²/2 + g} along {@code y = c + τ(1, 1)}),
     * minimised at {@code x_σ = (s/(σ + 2) + ρa)/(1/(σ + 2) + ρ)}.
     */
    @Test
    void lowerLevelWithManyMinimisersStillGivesTheOptimisticSolutionToOrderSigma() {
        double[] c = {1.0, 2.0};
        double s = c[0] + c[1], a = -1, rho = 0.5;
        BilevelAlgorithm.Level upper = (x, y) -> y.sub(Tensor.of(c)).square().sum().mul(0.5).add(x.sub(a).square().sum().mul(rho / 2));
        BilevelAlgorithm.Level lower = (x, y) -> y.sum().sub(x.sum()).square().mul(0.5);
        double xStar = (s / 2 + rho * a) / (0.5 + rho);
        double[] errors = new double[2];
        double[] sigmas = {0.1, 0.01};
        for (int k = 0; k < 2; k++) {
            double sigma = sigmas[k];
            BilevelAlgorithm.Trace t = BilevelPenalty.fixed(0.5, sigma, 0.4, 5).run(upper, lower, Tensor.of(0.0), Tensor.of(0.0, 0.0), 300);
            double xSigma = (s / (sigma + 2) + rho * a) / (1 / (sigma + 2) + rho);
            assertEquals(xSigma, t.x().get(0), 1e-8, "x_sigma at sigma " + sigma);
            assertEquals(t.x().get(0), t.y().sum().item(), 1e-8, "z on the line of lower-level minimisers");
            errors[k] = Math.abs(t.x().get(0) - xStar);
        }
        assertEquals(10, errors[0] / errors[1], 0.5);
    }

    @Test
    void watcherStopsTheRun() {
        BilevelAlgorithm.Trace t = BilevelPenalty.fixed(0.5, 0.1, 1.0 / 3, 2).run(UPPER, LOWER, Tensor.zeros(3), Tensor.zeros(3), 50,
                (k, x, y, f) -> k < 4);
        assertEquals(5, t.upperValues().length);
        try (var _ = Autodiff.noGrad()) {
            assertEquals(UPPER.apply(t.x(), t.y()).item(), t.upperValues()[4], 1e-12);
        }
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new BilevelPenalty(0.1, 0.01, 0.1, 1, 0.1, 1, 0));
        assertTrue(e.getMessage().contains("sigmaMin"), e.getMessage());
        var d = assertThrows(IllegalArgumentException.class, () -> new BilevelPenalty(0.1, 1, 0.1, 0, 0.1, 1, 0));
        assertTrue(d.getMessage().contains("decay 0"), d.getMessage());
        assertThrows(IllegalArgumentException.class, () -> BilevelPenalty.fixed(0.1, 0.1, 0.1, 0));
        var blowUp = assertThrows(IllegalStateException.class, () -> run(BilevelPenalty.fixed(0.5, 0.1, 5.0, 3), 100));
        assertTrue(blowUp.getMessage().contains("non-finite"), blowUp.getMessage());
    }
}
