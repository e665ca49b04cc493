package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.implicit.SolverTrace;

/** Exact posteriors of mixtures under linear measurements, the truncated CG of DDS, and the inverse solvers. */
class InverseProblemTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();

    /** A 3-D Gaussian, a 2 × 3 measurement. */
    static final double[] MU = {0.3, -0.5, 1.0};
    static final double[][] SIGMA = {{1.0, 0.3, 0.1}, {0.3, 0.5, -0.2}, {0.1, -0.2, 0.8}};
    static final LinearMeasurement A = new LinearMeasurement(new double[][] {{1, 0.5, 0}, {0, -1, 2}}, 0.3);

    @Test
    void gaussianPosteriorMatchesTheInformationForm() {
        var prior = new GaussianMixture(new double[] {1}, new double[][] {MU}, new double[][][] {SIGMA});
        double[] y = {0.7, -1.2};
        var post = prior.posterior(A, y);
        // information form: Σ' = (Σ⁻¹ + AᵀA/σ²)⁻¹, μ' = Σ'(Σ⁻¹μ + Aᵀy/σ²)
        double s2 = A.noiseStd() * A.noiseStd();
        double[][] prec = inverse(SIGMA), info = new double[3][3];
        double[] h = new double[3];
        for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 3; j++) {
                double ata = 0;
                for (int k = 0; k < 2; k++) ata += A.matrix()[k][i] * A.matrix()[k][j];
                info[i][j] = prec[i][j] + ata / s2;
                h[i] += prec[i][j] * MU[j];
            }
            for (int k = 0; k < 2; k++) h[i] += A.matrix()[k][i] * y[k] / s2;
        }
        double[][] cov = inverse(info);
        for (int i = 0; i < 3; i++) {
            double m = 0;
            for (int j = 0; j < 3; j++) {
                m += cov[i][j] * h[j];
                assertEquals(cov[i][j], post.covs()[0][i][j], 1e-12, "posterior covariance");
            }
            assertEquals(m, post.means()[0][i], 1e-12, "posterior mean");
            assertEquals(m, post.mean()[i], 1e-12);
        }
    }

    @Test
    void mixturePosteriorIsPriorTimesLikelihood() {
        var prior = GaussianMixture.ring(5, 1, 0.2);
        var op = LinearMeasurement.mask(2, 0.1, 0);
        double[] y = {0.4};
        var post = prior.posterior(op, y);
        Batch x = Batch.normal(30, 2, 9);
        double[] lpost = post.logDensity(VP, x, 0), lprior = prior.logDensity(VP, x, 0);
        double[] ax = op.apply(x).data();
        // log p(x|y) − log p(x) − log N(y; Ax, σ²) must be the same constant (−log p(y)) at every x
        double c0 = Double.NaN;
        for (int i = 0; i < x.n(); i++) {
            double r = (y[0] - ax[i]) / op.noiseStd();
            double c = lpost[i] - lprior[i] + 0.5 * r * r + Math.log(op.noiseStd() * Math.sqrt(2 * Math.PI));
            if (i == 0) c0 = c;
            else assertEquals(c0, c, 1e-9, "Bayes' rule at point " + i);
        }
    }

    @Test
    void denoiserVjpIsTheJacobianOfTheExactDenoiser() {
        var mix = GaussianMixture.twoClusters();
        for (double t : new double[] {0.02, 0.3, 0.9})
            assertVjpIsFiniteDifference(mix.model(VP), mix.denoiser(VP), Batch.normal(7, 2, 5), Batch.normal(7, 2, 6), t, 1e-6, 1e-5);
    }

    @Test
    void networkDenoiserVjpMatchesFiniteDifferences() {
        var net = new ScoreNetwork(2, new int[] {16, 16}, 8, 3);
        for (Prediction p : new Prediction[] {Prediction.NOISE, Prediction.FLOW}) {
            DifferentiableModel model = net.model(VP, p);
            assertVjpIsFiniteDifference(model, model.as(Prediction.DATA), Batch.normal(4, 2, 11), Batch.normal(4, 2, 12), 0.4, 1e-5, 1e-6);
            for (var param : net.parameters().values()) assertTrue(param.grad() == null, "parameter gradients stay untouched");
        }
    }

    /** {@code (Jᵀv)_j = Σ_k v_k ∂x̂₀_k/∂x_j} of {@code model} against central differences of {@code denoiser}, row by row. */
    static void assertVjpIsFiniteDifference(DifferentiableModel model, DiffusionModel denoiser, Batch x, Batch v, double t, double h, double tol) {
        int n = x.n(), d = x.dim();
        double[] g = new double[n * d];
        model.denoiserVjp(x, t, v.data(), g);
        for (int i = 0; i < n; i++)
            for (int j = 0; j < d; j++) {
                Batch xp = x.copy(), xm = x.copy();
                xp.data()[i * d + j] += h;
                xm.data()[i * d + j] -= h;
                double[] dp = new double[n * d], dm = new double[n * d];
                denoiser.eval(xp, t, dp);
                denoiser.eval(xm, t, dm);
                double fd = 0;
                for (int k = 0; k < d; k++) fd += v.data()[i * d + k] * (dp[i * d + k] - dm[i * d + k]) / (2 * h);
                assertEquals(fd, g[i * d + j], tol * (1 + Math.abs(fd)), "VJP at t=" + t + ", row " + i + ", coordinate " + j);
            }
    }

    @Test
    void truncatedCgMatchesADirectSolveAndSteepestDescent() {
        double[][] m = {{4, 1, 0.5}, {1, 3, -0.2}, {0.5, -0.2, 2}};
        double[] b = {1, 2, -1, 0.5, 0, 3};   // two rows, two systems
        double[] x0 = {0, 0, 0, 1, 1, 1};
        java.util.function.UnaryOperator<double[]> op = v -> {
            double[] o = new double[v.length];
            for (int r = 0; r < 2; r++) for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) o[r * 3 + i] += m[i][j] * v[r * 3 + j];
            return o;
        };
        double[] x = TruncatedCg.solve(op, b, x0, 3, 3);
        double[][] inv = inverse(m);
        for (int r = 0; r < 2; r++)
            for (int i = 0; i < 3; i++) {
                double want = 0;
                for (int j = 0; j < 3; j++) want += inv[i][j] * b[r * 3 + j];
                assertEquals(want, x[r * 3 + i], 1e-12, "CG after n steps is the solution");
            }
        // one step is exact line search along the residual, row by row
        double[] one = TruncatedCg.solve(op, b, x0, 3, 1), ax0 = op.apply(x0);
        for (int r = 0; r < 2; r++) {
            double[] res = new double[3];
            for (int i = 0; i < 3; i++) res[i] = b[r * 3 + i] - ax0[r * 3 + i];
            double rr = 0, rmr = 0;
            for (int i = 0; i < 3; i++) {
                rr += res[i] * res[i];
                for (int j = 0; j < 3; j++) rmr += res[i] * m[i][j] * res[j];
            }
            for (int i = 0; i < 3; i++) assertEquals(x0[r * 3 + i] + rr / rmr * res[i], one[r * 3 + i], 1e-13);
        }
    }

    @Test
    void minimumNormSolutionOfAWideMatrix() {
        double[] y = {0.7, -1.2};
        double[] x = InverseSolvers.minimumNorm(A, y, 1);
        assertArrayEquals(y, A.apply(new Batch(1, 3, x)).data(), 1e-12);
        // A⁺y lies in the row space of A: orthogonal to the null space (2, -4, -2)/‖·‖ of A
        assertEquals(0, 2 * x[0] - 4 * x[1] - 2 * x[2], 1e-12);
    }

    @Test
    void solversCountTheirWorkAndStayNearTheExactPosteriorOfAGaussianDenoisingProblem() {
        var prior = new GaussianMixture(new double[] {1}, new double[][] {{0.5, -0.5}}, new double[][][] {{{0.5, 0.2}, {0.2, 0.3}}});
        var problem = InverseProblem.of("gauss", prior, VP, LinearMeasurement.denoising(2, 0.3), 2000, 1);
        double variance = problem.error(problem.posteriorSamples());   // what an exact sampler reaches: tr Cov[x|y]/d
        assertEquals(0.072, variance, 0.005);
        for (InverseSolver s : new InverseSolver[] {new InverseSolver.Dps(200, 0.3), new InverseSolver.Dds(200, 3, 1, 0.85), new InverseSolver.RedDiff(200, 0.25, 0.1)}) {
            SolverTrace tr = s.trace(problem);
            assertEquals(200, tr.iterations());
            assertEquals(200, tr.scalars().get("nfe"), s.toString());
            assertEquals(s instanceof InverseSolver.Dps ? 200 : 0, tr.scalars().get("vjp"), s.toString());
            // measured 0.083 (DPS), 0.071 (DDS), 0.074 (RED-diff); far from the prior (SW2 of the prior to the posterior is ~0.5)
            assertTrue(tr.scalars().get("sw2") < 0.1, s + " " + tr.scalars());
            assertTrue(tr.scalars().get("posterior_mean_error") < variance, s + " " + tr.scalars());
        }
    }

    @Test
    void redDiffWithoutItsRegulariserStaysAtTheLeastSquaresSolution() {
        // λ = 0 leaves the data term, whose gradient Aᵀ(Aμ − y)/m vanishes at the start μ = A⁺y: Adam never moves
        var problem = InverseProblem.of("ring", GaussianMixture.ring(4, 1, 0.1), VP, LinearMeasurement.mask(2, 0.05, 1), 20, 4);
        double[] mu = new InverseSolver.RedDiff(30, 0, 0.1).trace(problem).solution();
        for (int i = 0; i < 20; i++) {
            assertEquals(0, mu[2 * i], 1e-15);
            assertEquals(problem.y().data()[i], mu[2 * i + 1], 1e-15);
        }
        // and λ > 0 moves it toward the prior: the unobserved coordinate leaves 0
        double[] reg = new InverseSolver.RedDiff(30, 1, 0.1).trace(problem).solution();
        assertTrue(java.util.stream.IntStream.range(0, 20).anyMatch(i -> Math.abs(reg[2 * i]) > 0.1));
    }

    @Test
    void solversAreDeterministicAndRejectBadInput() {
        var problem = InverseProblem.of("ring", GaussianMixture.ring(4, 1, 0.1), VP, LinearMeasurement.mask(2, 0.05, 1), 50, 3);
        for (InverseSolver s : new InverseSolver[] {new InverseSolver.Dps(10, 1), new InverseSolver.RedDiff(10, 0.25, 0.1), new InverseSolver.Dds(10, 2, 1, 0.5)})
            assertArrayEquals(s.trace(problem).solution(), s.trace(problem).solution(), s + " reruns bit for bit");
        var plain = new InverseProblem("plain", DiffusionModel.of(VP, Prediction.NOISE, (x, t, out) -> {}), problem.measurement(), problem.y(), null, null, null, problem.key());
        var e = assertThrows(IllegalArgumentException.class, () -> new InverseSolver.Dps(10, 1).trace(plain));
        assertTrue(e.getMessage().contains("DifferentiableModel"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> LinearMeasurement.mask(2, 0.1, 2));
        assertThrows(IllegalArgumentException.class, () -> new LinearMeasurement(new double[][] {{1, 0}}, 0));
        assertThrows(IllegalArgumentException.class, () -> new InverseSolver.Dds(1, 2, 1, 0.5));
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.ring(3, 1, 0.1).posterior(LinearMeasurement.denoising(3, 0.1), new double[3]));
    }

    @Test
    void fitIsOneMaximumLikelihoodGaussianPerLabel() {
        Batch x = Batch.of(new double[][] {{0, 0}, {2, 0}, {1, 3}, {5, 5}, {7, 5}});
        var mix = GaussianMixture.fit(x, new int[] {0, 0, 0, 1, 1}, 0.5);
        assertArrayEquals(new double[] {0.6, 0.4}, mix.weights(), 1e-15);
        assertArrayEquals(new double[] {1, 1}, mix.means()[0], 1e-15);
        assertArrayEquals(new double[] {6, 5}, mix.means()[1], 1e-15);
        // class 0: deviations (-1,-1), (1,-1), (0,2): Σ = [[2, 0], [0, 6]]/3, plus the ridge on the diagonal
        assertArrayEquals(new double[] {2.0 / 3 + 0.5, 0}, mix.covs()[0][0], 1e-15);
        assertArrayEquals(new double[] {0, 2 + 0.5}, mix.covs()[0][1], 1e-15);
        assertArrayEquals(new double[] {1 + 0.5, 0}, mix.covs()[1][0], 1e-15);
        assertThrows(IllegalArgumentException.class, () -> GaussianMixture.fit(x, new int[] {0, 0, 2, 2, 2}, 0.5)); // label 1 empty
    }

    /** Gauss–Jordan inverse of a small matrix: the test's independent direct solve. */
    static double[][] inverse(double[][] m) {
        int n = m.length;
        double[][] a = new double[n][2 * n];
        for (int i = 0; i < n; i++) { System.arraycopy(m[i], 0, a[i], 0, n); a[i][n + i] = 1; }
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[p][c])) p = r;
            double[] tmp = a[c]; a[c] = a[p]; a[p] = tmp;
            double pv = a[c][c];
            for (int j = 0; j < 2 * n; j++) a[c][j] /= pv;
            for (int r = 0; r < n; r++) if (r != c) {
                double f = a[r][c];
                for (int j = 0; j < 2 * n; j++) a[r][j] -= f * a[c][j];
            }
        }
        double[][] inv = new double[n][n];
        for (int i = 0; i < n; i++) System.arraycopy(a[i], n, inv[i], 0, n);
        return inv;
    }
}
