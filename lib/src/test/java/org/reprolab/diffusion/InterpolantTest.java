package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

class InterpolantTest {
    private static final GaussianMixture RING = GaussianMixture.ring(4, 1, 0.2);
    private static final GaussianMixture CLUSTERS = GaussianMixture.twoClusters();

    private static List<MixtureInterpolant> interpolants() {
        return List.of(MixtureInterpolant.independent(StochasticInterpolant.linear(2), CLUSTERS, RING),
                MixtureInterpolant.independent(StochasticInterpolant.trigonometric(1), RING, CLUSTERS),
                MixtureInterpolant.oneSided(StochasticInterpolant.oneSidedLinear(), RING),
                MixtureInterpolant.oneSided(StochasticInterpolant.oneSidedTrigonometric(), CLUSTERS),
                MixtureInterpolant.mirror(StochasticInterpolant.mirror(2), CLUSTERS));
    }

    @Test
    void coefficientDerivativesMatchFiniteDifferences() {
        for (StochasticInterpolant ip : List.of(StochasticInterpolant.linear(2), StochasticInterpolant.trigonometric(0.5), StochasticInterpolant.oneSidedLinear(),
                StochasticInterpolant.oneSidedTrigonometric(), StochasticInterpolant.mirror(3))) {
            for (double t : new double[] {0.1, 0.37, 0.5, 0.9}) {
                double h = 1e-6;
                for (StochasticInterpolant.Coefficient c : List.of(ip.alpha(), ip.beta(), ip.gammaSquared()))
                    assertEquals((c.at(t + h) - c.at(t - h)) / (2 * h), c.rate(t), 1e-8, ip + " at t=" + t);
            }
            assertEquals(1, ip.beta().at(1), 1e-15);
            assertEquals(0, ip.alpha().at(1), 1e-15);
        }
        assertEquals(Math.sqrt(2 * 0.25 * 0.75), StochasticInterpolant.linear(2).gamma(0.25), 1e-15);
    }

    @Test
    void badCoefficientsAreRejected() {
        var id = new StochasticInterpolant.Coefficient(t -> t, t -> 1);
        var one = StochasticInterpolant.Coefficient.constant(1);
        assertThrows(IllegalArgumentException.class, () -> new StochasticInterpolant("no end", one, id, StochasticInterpolant.Coefficient.constant(0)));
        assertThrows(IllegalArgumentException.class, () -> new StochasticInterpolant("noisy end", new StochasticInterpolant.Coefficient(t -> 1 - t, t -> -1), id, one));
        assertThrows(IllegalArgumentException.class, () -> StochasticInterpolant.linear(-1));
        assertThrows(IllegalArgumentException.class, () -> new InterpolantSampler(-0.5));
        var mi = interpolants().getFirst();
        assertThrows(IllegalArgumentException.class, () -> mi.velocity(new Batch(1, 3, new double[3]), 0.5));
        assertThrows(IllegalArgumentException.class, () -> mi.score(new Batch(1, 2, new double[2]), 1.5));
        assertThrows(IllegalArgumentException.class, () -> InterpolantSampler.ode().path(mi, new Batch(1, 2, new double[2]), new double[] {1, 0.5}, 10, RngKey.of(0)));
    }

    /** log ρ_t at one point from the closed-form marginal, written out independently of the fields' code. */
    private static double logDensity(MixtureInterpolant mi, double t, double[] x) {
        GaussianMixture g = mi.marginal(t);
        double sum = 0;
        for (int k = 0; k < g.components(); k++) {
            double[][] c = g.covs()[k];
            double det = c[0][0] * c[1][1] - c[0][1] * c[1][0];
            double dx = x[0] - g.means()[k][0], dy = x[1] - g.means()[k][1];
            double q = (c[1][1] * dx * dx - 2 * c[0][1] * dx * dy + c[0][0] * dy * dy) / det;
            sum += g.weights()[k] * Math.exp(-0.5 * q) / (2 * Math.PI * Math.sqrt(det));
        }
        return Math.log(sum);
    }

    private static double[] at(double[] f, int i) {
        return new double[] {f[2 * i], f[2 * i + 1]};
    }

    @Test
    void scoreIsTheGradientOfTheLogDensity() {
        Batch x = Batch.normal(6, 2, 3);
        for (MixtureInterpolant mi : interpolants()) {
            for (double t : new double[] {0, 0.2, 0.5, 0.8, 1}) {
                double[] s = mi.score(x, t), eta = mi.denoiser(x, t);
                for (int i = 0; i < x.n(); i++) {
                    double h = 1e-5;
                    for (int j = 0; j < 2; j++) {
                        double[] p = at(x.data(), i), q = p.clone();
                        p[j] += h;
                        q[j] -= h;
                        assertEquals((logDensity(mi, t, p) - logDensity(mi, t, q)) / (2 * h), s[2 * i + j], 1e-6, mi + " t=" + t);
                        double g = mi.toString().contains("one-sided coupling") ? mi.interpolant().alpha().at(t) : mi.interpolant().gamma(t);
                        assertEquals(-g * s[2 * i + j], eta[2 * i + j], 1e-15);
                    }
                }
            }
        }
    }

    /**
     * One-sided with ρ₁ = N(μ, σ²I): (x₀, x_t) are jointly Gaussian, so the denoiser is the regression
     * {@code E[x₀ | x_t = x] = α(x − βμ)/(α² + β²σ²)}, and the velocity is {@code α̇E[x₀|x] + β̇E[x₁|x]} with
     * {@code E[x₁ | x] = μ + βσ²(x − βμ)/(α² + β²σ²)}.
     */
    @Test
    void oneSidedDenoiserAndVelocityAreTheGaussianRegressions() {
        double[] mu = {0.7, -1.2};
        double var = 0.3;
        var rho = new GaussianMixture(new double[] {1}, new double[][] {mu}, new double[][][] {{{var, 0}, {0, var}}});
        StochasticInterpolant ip = StochasticInterpolant.oneSidedTrigonometric();
        var mi = MixtureInterpolant.oneSided(ip, rho);
        Batch x = Batch.normal(5, 2, 8);
        for (double t : new double[] {0.1, 0.5, 0.9}) {
            double a = ip.alpha().at(t), b = ip.beta().at(t), c = a * a + b * b * var;
            double[] eta = mi.denoiser(x, t), v = mi.velocity(x, t);
            for (int i = 0; i < x.n(); i++)
                for (int j = 0; j < 2; j++) {
                    double r = x.get(i, j) - b * mu[j];
                    assertEquals(a * r / c, eta[2 * i + j], 1e-12);
                    assertEquals(ip.alpha().rate(t) * a * r / c + ip.beta().rate(t) * (mu[j] + b * var * r / c), v[2 * i + j], 1e-12);
                }
        }
    }

    /**
     * The velocity solves the transport equation ∂_t ρ + ∇·(bρ) = 0 (the paper's Thm. 2.6), i.e.
     * {@code ∂_t log ρ = −∇·b − b·∇log ρ}: checked at points and times by central differences of the closed-form
     * density and of b itself.
     */
    @Test
    void velocitySolvesTheTransportEquation() {
        Batch x = Batch.normal(6, 2, 4);
        for (MixtureInterpolant mi : interpolants()) {
            for (double t : new double[] {0.05, 0.3, 0.5, 0.7, 0.95}) {
                double[] b = mi.velocity(x, t), s = mi.score(x, t);
                double h = 1e-5;
                for (int i = 0; i < x.n(); i++) {
                    double[] p = at(x.data(), i);
                    double dt = (logDensity(mi, t + h, p) - logDensity(mi, t - h, p)) / (2 * h);
                    double div = 0;
                    for (int j = 0; j < 2; j++) {
                        double[] up = p.clone(), dn = p.clone();
                        up[j] += h;
                        dn[j] -= h;
                        div += (mi.velocity(Batch.of(new double[][] {up}), t)[j] - mi.velocity(Batch.of(new double[][] {dn}), t)[j]) / (2 * h);
                    }
                    double transport = dt + div + b[2 * i] * s[2 * i] + b[2 * i + 1] * s[2 * i + 1];
                    assertEquals(0, transport, 1e-5 * (1 + Math.abs(dt)), mi + " t=" + t + " point " + i);
                }
            }
        }
    }

    /** The closed-form moments of x_t against Monte Carlo of α x₀ + β x₁ + γ z with x₀, x₁, z drawn on their own. */
    @Test
    void marginalMomentsMatchMonteCarloOfTheDefinition() {
        int n = 200_000;
        StochasticInterpolant ip = StochasticInterpolant.linear(2);
        var mi = MixtureInterpolant.independent(ip, CLUSTERS, RING);
        Batch x0 = CLUSTERS.sample(n, RngKey.of(1)), x1 = RING.sample(n, RngKey.of(2)), z = Batch.normal(n, 2, 3);
        for (double t : new double[] {0, 0.3, 0.6, 1}) {
            double a = ip.alpha().at(t), bt = ip.beta().at(t), g = ip.gamma(t);
            double[] xt = new double[2 * n];
            for (int i = 0; i < xt.length; i++) xt[i] = a * x0.data()[i] + bt * x1.data()[i] + g * z.data()[i];
            double[] m = mi.mean(t);
            double[][] c = mi.covariance(t);
            double[] em = new double[2];
            double[][] ec = new double[2][2];
            for (int i = 0; i < n; i++) for (int j = 0; j < 2; j++) em[j] += xt[2 * i + j] / n;
            for (int i = 0; i < n; i++)
                for (int j = 0; j < 2; j++)
                    for (int k = 0; k < 2; k++) ec[j][k] += (xt[2 * i + j] - em[j]) * (xt[2 * i + k] - em[k]) / n;
            for (int j = 0; j < 2; j++) {
                assertEquals(m[j], em[j], 5e-3, "mean at t=" + t);
                for (int k = 0; k < 2; k++) assertEquals(c[j][k], ec[j][k], 6e-3, "covariance at t=" + t);
            }
        }
        // mirror: x_t = x₁ + γz, so Cov = Cov(ρ) + γ²I exactly
        var mirror = MixtureInterpolant.mirror(StochasticInterpolant.mirror(2), CLUSTERS);
        double[][] c0 = mirror.covariance(0), ch = mirror.covariance(0.5);
        assertEquals(c0[0][0] + 0.5, ch[0][0], 1e-12);
        assertEquals(c0[0][1], ch[0][1], 1e-12);
    }

    /** {@code n} points whose empirical mean is exactly {@code mu} and empirical covariance exactly {@code cov}. */
    private static Batch exactMoments(int n, double[] mu, double[][] cov, long seed) {
        double[] z = new double[2 * n];
        Philox.fill(RngKey.of(seed), true, 0, z, 0, z.length);
        double[] m = new double[2];
        for (int i = 0; i < n; i++) for (int j = 0; j < 2; j++) m[j] += z[2 * i + j] / n;
        double[][] c = new double[2][2];
        for (int i = 0; i < n; i++) for (int j = 0; j < 2; j++) for (int k = 0; k < 2; k++) c[j][k] += (z[2 * i + j] - m[j]) * (z[2 * i + k] - m[k]) / n;
        double[][] lc = GaussianMixture.cholesky(c), lt = GaussianMixture.cholesky(cov);
        double[] out = new double[2 * n];
        for (int i = 0; i < n; i++) {
            double w0 = (z[2 * i] - m[0]) / lc[0][0];
            double w1 = (z[2 * i + 1] - m[1] - lc[1][0] * w0) / lc[1][1];
            out[2 * i] = mu[0] + lt[0][0] * w0;
            out[2 * i + 1] = mu[1] + lt[1][0] * w0 + lt[1][1] * w1;
        }
        return new Batch(n, 2, out);
    }

    private static double[][] moments(Batch x) {
        int n = x.n();
        double[] m = new double[2];
        for (int i = 0; i < n; i++) for (int j = 0; j < 2; j++) m[j] += x.get(i, j) / n;
        double[][] r = {m, new double[3]};
        for (int i = 0; i < n; i++) {
            double a = x.get(i, 0) - m[0], b = x.get(i, 1) - m[1];
            r[1][0] += a * a / n;
            r[1][1] += a * b / n;
            r[1][2] += b * b / n;
        }
        return r;
    }

    /**
     * Between Gaussians the flow of b is affine, so it maps points with exactly the moments of ρ₀ to points with
     * exactly the moments of ρ_t (up to RK4's error, 1e-7 at 100 steps): the ODE's marginal moments checked to 1e-6 in both directions.
     * The SDEs (ε = 0.5, 2, forward and backward) match them to Monte Carlo accuracy.
     */
    @Test
    void samplersKeepTheClosedFormMomentsBetweenGaussians() {
        double[] mu0 = {-1, 0.5}, mu1 = {2, -1};
        double[][] s0 = {{0.5, 0.2}, {0.2, 0.3}}, s1 = {{1.5, -0.4}, {-0.4, 0.6}};
        var rho0 = new GaussianMixture(new double[] {1}, new double[][] {mu0}, new double[][][] {s0});
        var rho1 = new GaussianMixture(new double[] {1}, new double[][] {mu1}, new double[][][] {s1});
        var mi = MixtureInterpolant.independent(StochasticInterpolant.linear(2), rho0, rho1);
        int n = 4000;
        Batch[] path = InterpolantSampler.ode().path(mi, exactMoments(n, mu0, s0, 5), new double[] {0, 0.5, 1}, 100, RngKey.of(0));
        Batch[] back = InterpolantSampler.ode().reversed().path(mi, exactMoments(n, mu1, s1, 6), new double[] {1, 0.5, 0}, 100, RngKey.of(0));
        for (double[] tt : new double[][] {{1, 0.5}, {2, 1}}) {
            int i = (int) tt[0];
            for (Batch[] p : List.of(path, back)) {
                double t = p == path ? tt[1] : 1 - tt[1];
                double[][] e = moments(p[i]);
                double[] m = mi.mean(t);
                double[][] c = mi.covariance(t);
                assertEquals(m[0], e[0][0], 1e-6);
                assertEquals(m[1], e[0][1], 1e-6);
                assertEquals(c[0][0], e[1][0], 1e-6);
                assertEquals(c[0][1], e[1][1], 1e-6);
                assertEquals(c[1][1], e[1][2], 1e-6);
            }
        }
        int big = 20_000;
        for (InterpolantSampler sde : List.of(new InterpolantSampler(0.5), new InterpolantSampler(2), new InterpolantSampler(0.5, true))) {
            Batch start = sde.reverse() ? exactMoments(big, mu1, s1, 7) : exactMoments(big, mu0, s0, 7);
            double[][] e = moments(sde.sample(mi, start, 200, RngKey.of(11)));
            double[] m = sde.reverse() ? mu0 : mu1;
            double[][] c = sde.reverse() ? s0 : s1;
            assertEquals(m[0], e[0][0], 0.03, sde + " mean");
            assertEquals(m[1], e[0][1], 0.03, sde + " mean");
            assertEquals(c[0][0], e[1][0], 0.05 * c[0][0], sde + " var");
            assertEquals(c[0][1], e[1][1], 0.03, sde + " cov");
            assertEquals(c[1][1], e[1][2], 0.05 * c[1][1], sde + " var");
        }
    }

    /** Same key, same samples; another key, other samples (the SDE's Brownian path is the key's). */
    @Test
    void sdeSamplesAreAFunctionOfTheKey() {
        var mi = interpolants().getFirst();
        Batch start = CLUSTERS.sample(50, RngKey.of(1));
        var sde = new InterpolantSampler(1);
        double[] a = sde.sample(mi, start, 20, RngKey.of(3)).data(), b = sde.sample(mi, start, 20, RngKey.of(3)).data();
        double[] c = sde.sample(mi, start, 20, RngKey.of(4)).data();
        assertTrue(java.util.Arrays.equals(a, b));
        assertTrue(!java.util.Arrays.equals(a, c));
        assertEquals(0, start.data()[0] - CLUSTERS.sample(50, RngKey.of(1)).data()[0], "start is not modified");
    }

    /**
     * Mixture to mixture: the ODE and the SDEs at ε = 0.5 and 2 all land on ρ₁ — their energy distance to exact
     * samples is at the level of two independent exact sample sets.
     */
    @Test
    void odeAndSdesReachTheTargetMixture() {
        var target = GaussianMixture.ring(8, 2, 0.2);
        var mi = MixtureInterpolant.independent(StochasticInterpolant.linear(2), CLUSTERS, target);
        int n = 1500;
        Batch start = mi.sample(0, n, RngKey.of(1)), exact = mi.sample(1, n, RngKey.of(2));
        double floor = Math.abs(Metrics.energyDistance(mi.sample(1, n, RngKey.of(3)), exact));
        for (InterpolantSampler s : List.of(InterpolantSampler.ode(), new InterpolantSampler(0.5), new InterpolantSampler(2))) {
            double e = Metrics.energyDistance(s.sample(mi, start, 100, RngKey.of(9)), exact);
            assertTrue(e < 5 * floor + 2e-3, s + ": energy distance " + e + " vs exact-sample floor " + floor);
        }
        // a wrong field (the score's sign flipped: drift b − εs forward) is caught
        InterpolantModel wrong = new InterpolantModel() {
            public int dim() { return 2; }
            public void eval(Batch x, double t, double[] v, double[] s) {
                mi.eval(x, t, v, s);
                if (s != null) for (int i = 0; i < s.length; i++) s[i] = -s[i];
            }
        };
        double e = Metrics.energyDistance(new InterpolantSampler(2).sample(wrong, start, 100, RngKey.of(9)), exact);
        assertTrue(e > 20 * floor + 2e-2, "flipped score still lands on the target: " + e + " vs " + floor);
    }
}
