package org.reprolab.ode.sde;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reprolab.ode.Ode;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.random.RngKey;

/**
 * Type-II fBM and its Markov approximation (Daems et al., ICLR 2024) against scipy: gammainc/gammaln, the optimal
 * weights solved by numpy, the covariance in closed form {@code min^a max^{H−½} ₂F₁(½−H, 1; a+1; min/max)/(aΓ(a)²)}.
 */
class FractionalNoiseTest {

    @Test
    void gammaFunctionsMatchScipy() {
        assertEquals(0.3600595808880584, GammaFunction.lowerRegularized(0.8, 0.3), 1e-13);
        assertEquals(0.9697276320000071, GammaFunction.lowerRegularized(1.8, 5.0), 1e-13);
        assertEquals(1.0, GammaFunction.lowerRegularized(1.2, 40.0), 1e-13);
        assertEquals(0.15205967839983753, GammaFunction.logGamma(0.8), 1e-13);
        assertEquals(2.4537365708424423, GammaFunction.logGamma(4.5), 1e-13);
    }

    @Test
    void covarianceMatchesHypergeometricClosedForm() {
        assertEquals(0.46722455793616335, FractionalBrownian.covariance(0.3, 0.4, 1.0), 1e-9);
        assertEquals(1.0183274248283274, FractionalBrownian.covariance(0.3, 1.0, 0.9), 1e-9);
        assertEquals(0.07328590227699674, FractionalBrownian.covariance(0.3, 0.05, 2.0), 1e-9);
        assertEquals(0.3157574458294179, FractionalBrownian.covariance(0.7, 0.4, 1.0), 1e-9);
        assertEquals(0.7697816147273884, FractionalBrownian.covariance(0.7, 0.9, 1.0), 1e-9);
        assertEquals(0.031113534099673948, FractionalBrownian.covariance(0.7, 0.05, 2.0), 1e-9);
        // H = 1/2 is Brownian motion: min(s, t)
        assertEquals(0.4, FractionalBrownian.covariance(0.5, 0.4, 1.3), 1e-12);
        assertEquals(FractionalBrownian.variance(0.3, 0.7), FractionalBrownian.covariance(0.3, 0.7, 0.7 + 1e-9), 1e-5);   // Hölder: the gap enters as gap^{2H}
    }

    @Test
    void exactSamplesHaveTheirCovarianceAndHurstIndex() {
        double[] ts = {0.125, 0.25, 0.5, 1.0};
        double[][] x = FractionalBrownian.sample(0.3, ts, 20_000, RngKey.of(3));
        double[] var = new double[ts.length];
        for (int i = 0; i < ts.length; i++) {
            int c = i;
            var[i] = Arrays.stream(x).mapToDouble(p -> p[c] * p[c]).average().orElseThrow();
            assertEquals(FractionalBrownian.variance(0.3, ts[i]), var[i], 0.03 * var[i], "Var B(" + ts[i] + ")");
        }
        double cross = Arrays.stream(x).mapToDouble(p -> p[1] * p[3]).average().orElseThrow();
        assertEquals(FractionalBrownian.covariance(0.3, 0.25, 1.0), cross, 0.03);
        assertEquals(0.3, FractionalBrownian.hurstFromVariances(ts, var), 0.02);
        assertThrows(IllegalArgumentException.class, () -> FractionalBrownian.sample(0.3, new double[] {0.5, 0.5}, 1, RngKey.of(1)));
        assertThrows(IllegalArgumentException.class, () -> FractionalBrownian.variance(1.0, 1));
    }

    @Test
    void optimalWeightsMatchNumpySolve() {
        double[] g = {1e-2, 1e-1, 1, 10, 100};
        MarkovFbm rough = MarkovFbm.of(0.3, 5, 1e-2, 1e2, 1.0), smooth = MarkovFbm.of(0.7, g, 1.0);
        assertArrayEquals(g, rough.gammas(), 1e-12);
        assertArrayEquals(new double[] {3.594775071464421, -3.411583144442965, 1.0723820562601254, 0.4980035816981585, 1.6232700501237853},
                rough.weights(), 1e-5);   // A is ill-conditioned (speeds over four decades): agreement to ~1e-7 relative
        assertArrayEquals(new double[] {1.4381695592628758, -0.12519254498920626, -0.5985197142864033, -0.2364138942825113, -0.2146826144491169},
                smooth.weights(), 1e-5);
    }

    @Test
    void approximationImprovesWithMoreComponentsAndTracksTheVariance() {
        double previous = Double.POSITIVE_INFINITY;
        for (int k : new int[] {2, 4, 8}) {
            double err = MarkovFbm.of(0.3, k, 1e-2, 1e2, 1.0).relativeError();
            assertTrue(err >= 0 && err < previous, "K=" + k + " error " + err + " after " + previous);
            previous = err;
        }
        assertTrue(previous < 0.01, "K=8 relative error " + previous);
        MarkovFbm fbm = MarkovFbm.of(0.7, 5, 1e-2, 1e2, 1.0);
        for (double t : new double[] {0.1, 0.5, 1.0})
            assertEquals(FractionalBrownian.variance(0.7, t), fbm.variance(t), 0.05 * FractionalBrownian.variance(0.7, t), "t=" + t);
        assertEquals(0.7, MarkovFbm.brownian(1).variance(0.7), 1e-15);
        assertEquals("MarkovFbm[H=0.5, T=1.0, gammas=[0.0], weights=[1.0]]", MarkovFbm.brownian(1).toString());
        assertThrows(IllegalArgumentException.class, () -> new MarkovFbm(0.3, 1, new double[] {1, 2}, new double[] {1, -1}));
    }

    @Test
    void simulatedPathsHaveTheClosedFormVariance() {
        MarkovFbm fbm = MarkovFbm.of(0.3, 5, 1e-2, 1e2, 1.0);
        int paths = 4000;
        var w = new GridBrownianPath(RngKey.of(5), 0, 1, paths, 1000);
        Solution<double[]> s = Ode.solve(fbm.problem((t, x, out) -> Arrays.fill(out, 0), 1, new double[paths], w), Solvers.eulerMaruyama(), Controllers.constant(1e-3));
        double[] end = Arrays.copyOf(s.yEnd(), paths);
        double var = Arrays.stream(end).map(v -> v * v).average().orElseThrow();
        assertEquals(fbm.variance(1.0), var, 0.06 * fbm.variance(1.0));
        assertThrows(IllegalArgumentException.class, () -> fbm.problem((t, x, out) -> {}, 1, new double[3], w));
    }

    @Test
    void likelihoodReconstructsTheDrivingBrownianIncrements() {
        // at the true drift, the innovations the likelihood reconstructs are the solver's own Brownian increments times
        // σΣω: so the log-likelihood equals the Gaussian log-density of the increments read from the path itself
        MarkovFbm fbm = MarkovFbm.of(0.7, 4, 0.1, 50, 2.0);
        int steps = 400;
        double h = 2.0 / steps, sigma = 0.8, scale = sigma * Arrays.stream(fbm.weights()).sum();
        var w = new GridBrownianPath(RngKey.of(21), 0, 2, 1, steps);
        Solution<double[]> s = Ode.solve(fbm.problem((t, x, out) -> out[0] = Math.sin(x[0]) - x[0], sigma, new double[] {0.3}, w),
                Solvers.eulerMaruyama(), Controllers.constant(h));
        double[] path = new double[steps + 1];
        double expected = 0;
        double[] a = new double[1], b = new double[1];
        for (int n = 0; n <= steps; n++) path[n] = s.y(n)[0];
        for (int n = 0; n < steps; n++) {
            w.value(n * h, a);
            w.value((n + 1) * h, b);
            double r = scale * (b[0] - a[0]);
            expected += -0.5 * Math.log(2 * Math.PI * scale * scale * h) - r * r / (2 * scale * scale * h);
        }
        assertEquals(expected, fbm.logLikelihood(path, h, x -> Math.sin(x) - x, sigma), 1e-8 * Math.abs(expected));
    }

    @Test
    void likelihoodRecoversTheDriftOfAFractionalOrnsteinUhlenbeck() {
        MarkovFbm fbm = MarkovFbm.of(0.3, 5, 1e-2, 1e2, 4.0);
        int paths = 100, steps = 800;
        double theta = 2, sigma = 0.5, h = 4.0 / steps;
        var w = new GridBrownianPath(RngKey.of(9), 0, 4, paths, steps);
        double[] x0 = new double[paths];
        Arrays.fill(x0, 1);
        Solution<double[]> s = Ode.solve(fbm.problem((t, x, out) -> { for (int i = 0; i < x.length; i++) out[i] = -theta * x[i]; }, sigma, x0, w),
                Solvers.eulerMaruyama(), Controllers.constant(h));
        double[][] obs = new double[paths][steps + 1];
        for (int n = 0; n <= steps; n++) for (int p = 0; p < paths; p++) obs[p][n] = s.y(n)[p];
        double fitted = fbm.fitDrift(obs, h, th -> x -> -th * x, sigma, 0, 10);
        assertEquals(theta, fitted, 0.2);
        // the likelihood is a parabola in theta: its maximum also solves d/dθ = 0, checked by a central difference
        double eps = 1e-3, up = Arrays.stream(obs).mapToDouble(p -> fbm.logLikelihood(p, h, x -> -(fitted + eps) * x, sigma)).sum(),
                down = Arrays.stream(obs).mapToDouble(p -> fbm.logLikelihood(p, h, x -> -(fitted - eps) * x, sigma)).sum();
        assertEquals(0, (up - down) / (2 * eps), 1e-2 * Math.abs(up));
        assertThrows(IllegalArgumentException.class, () -> fbm.fitDrift(obs, h, th -> x -> -th * x, sigma, 1, 1));
    }
}
