package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/**
 * Masked (absorbing-state) diffusion against exact probabilities (Zheng et al. 2024): the Markov chain's exact
 * denoiser and entropy against brute-force enumeration, the first-hitting time against independent per-token unmask
 * times, the first-hitting sampler's law against the chain, schedule invariance, the factorisation error of one
 * time step, and the truncation of low-precision Gumbel noise.
 */
class MaskedDiffusionTest {

    private static MarkovSequence randomChain(int v, int length, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        double[] init = normalised(r.doubles(v, 0.1, 1).toArray());
        double[][] t = new double[v][];
        for (int a = 0; a < v; a++) t[a] = normalised(r.doubles(v, 0.05, 1).toArray());
        return new MarkovSequence(init, t, length);
    }

    private static double[] normalised(double[] p) {
        double s = Arrays.stream(p).sum();
        return Arrays.stream(p).map(q -> q / s).toArray();
    }

    @Test
    void largestGumbelIsBitsTimesLog2() {
        // −log(−log(1 − 2^-b)) ≈ −log(2^-b) = b·ln 2, rounded to the precision
        assertEquals(24 * Math.log(2), SamplingPrecision.FLOAT32.largestGumbel(), 2e-6);
        assertEquals(11 * Math.log(2), SamplingPrecision.HALF.largestGumbel(), 4e-3);
        assertEquals(53 * Math.log(2), SamplingPrecision.FLOAT64.largestGumbel(), 1e-9);
        assertEquals(-Math.log(24 * Math.log(2)), SamplingPrecision.FLOAT32.smallestGumbel(), 1e-6);
    }

    @Test
    void float64GumbelMaxDrawsTheLaw() {
        double[] p = {0.5, 0.3, 0.15, 0.05};
        int n = 100_000;
        int[] counts = new int[p.length];
        SplittableRandom r = new SplittableRandom(1);
        for (int k = 0; k < n; k++) counts[Categorical.sample(p, SamplingPrecision.FLOAT64, r)]++;
        for (int c = 0; c < p.length; c++) {
            double sd = Math.sqrt(p[c] * (1 - p[c]) / n);
            assertEquals(p[c], counts[c] / (double) n, 4 * sd, "category " + c);
        }
        int[] unnormalised = new int[2];
        for (int k = 0; k < 20_000; k++) unnormalised[Categorical.sample(new double[] {3, 0, 1}, SamplingPrecision.FLOAT64, r) == 0 ? 0 : 1]++;
        assertEquals(0.75, unnormalised[0] / 20_000.0, 0.015);
    }

    @Test
    void lowPrecisionNoiseNeverDrawsACategoryFarBelowTheLeader() {
        // Category 1 (probability ε) wins only if g1 − g0 > log((1 − ε)/ε); the noise lies in [smallest, largest],
        // so below ε = exp(−(largest − smallest)) it is never drawn: 1e-9 for float32 (19.45 < 20.7), 1e-5 for half.
        for (var c : new Object[][] {{SamplingPrecision.FLOAT32, 1e-9}, {SamplingPrecision.HALF, 1e-5}}) {
            var precision = (SamplingPrecision) c[0];
            double eps = (Double) c[1];
            assertTrue(precision.largestGumbel() - precision.smallestGumbel() < Math.log((1 - eps) / eps));
            SplittableRandom r = new SplittableRandom(2);
            for (int k = 0; k < 200_000; k++) assertEquals(0, Categorical.sample(new double[] {1 - eps, eps}, precision, r), precision + " drew the tail");
        }
        // in float64 a 1e-4 category is drawn at its rate; in half precision it needs g1 − g0 > log 9999 = 9.21 of a
        // largest possible 9.65, so it is drawn at a small fraction of its rate
        int f64 = 0, half = 0, n = 200_000;
        SplittableRandom r = new SplittableRandom(3);
        for (int k = 0; k < n; k++) {
            f64 += Categorical.sample(new double[] {0.9999, 0.0001}, SamplingPrecision.FLOAT64, r);
            half += Categorical.sample(new double[] {0.9999, 0.0001}, SamplingPrecision.HALF, r);
        }
        assertEquals(1e-4, f64 / (double) n, 4 * Math.sqrt(1e-4 / n));
        assertTrue(half < 0.25 * f64, "half " + half + " vs float64 " + f64);
    }

    @Test
    void exactDenoiserAndEntropyMatchEnumeration() {
        MarkovSequence chain = randomChain(3, 5, 7);
        double[] law = chain.law();
        assertEquals(1, Arrays.stream(law).sum(), 1e-12);
        double h = 0;
        for (double p : law) h -= p * Math.log(p);
        assertEquals(h, chain.entropy(), 1e-12);
        SplittableRandom r = new SplittableRandom(4);
        for (int trial = 0; trial < 30; trial++) {
            int[] x = chain.sample(1, trial)[0];
            for (int i = 0; i < x.length; i++) if (r.nextBoolean()) x[i] = MaskedDenoiser.MASK;
            double[][] post = chain.denoiser().predict(x, r.nextDouble());
            double[][] brute = new double[x.length][3];
            int[] y = new int[x.length];
            for (int k = 0; k < law.length; k++) {
                for (int i = x.length - 1, kk = k; i >= 0; i--, kk /= 3) y[i] = kk % 3;
                boolean consistent = true;
                for (int i = 0; i < x.length; i++) consistent &= x[i] == MaskedDenoiser.MASK || x[i] == y[i];
                if (consistent) for (int i = 0; i < x.length; i++) brute[i][y[i]] += law[k];
            }
            for (int i = 0; i < x.length; i++) assertArrayEquals(normalised(brute[i]), post[i], 1e-12, "position " + i);
        }
    }

    @Test
    void firstHitIsTheEarliestOfIndependentUnmaskTimes() {
        // each of n masked tokens unmasks at its own time τ with 1 − α_τ = (1 − α_t)·v; the first hit (going down
        // from t) is the largest τ. Compare the two laws by their Kolmogorov–Smirnov distance.
        for (MaskSchedule s : new MaskSchedule[] {MaskSchedule.linear(), MaskSchedule.cosine()}) {
            int n = 5, m = 20_000;
            double t = 0.8;
            double[] direct = new double[m], formula = new double[m];
            SplittableRandom r = new SplittableRandom(5);
            for (int k = 0; k < m; k++) {
                double latest = 0;
                for (int j = 0; j < n; j++) latest = Math.max(latest, s.time(1 - (1 - s.alpha(t)) * r.nextDouble()));
                direct[k] = latest;
                formula[k] = s.firstHit(t, n, r.nextDouble());
            }
            Arrays.sort(direct);
            Arrays.sort(formula);
            double ks = 0;
            for (int k = 0; k < m; k++) ks = Math.max(ks, Math.abs(direct[k] - formula[k]) < 1e-15 ? 0 : Math.abs(cdf(direct, formula[k]) - (k + 1.0) / m));
            assertTrue(ks < 0.02, s + " KS " + ks);
            assertEquals(0.3, s.alpha(s.time(0.3)), 1e-12);
            assertEquals(1, s.alpha(0), 0, "nothing is masked at t = 0, exactly");
            assertEquals(0, s.alpha(1), 0, "everything is masked at t = 1, exactly");
        }
        assertEquals(0.8 * Math.pow(0.25, 1 / 3.0), MaskSchedule.linear().firstHit(0.8, 3, 0.25), 1e-15);
    }

    private static double cdf(double[] sorted, double x) {
        int i = Arrays.binarySearch(sorted, x);
        return (i >= 0 ? i + 1 : -i - 1) / (double) sorted.length;
    }

    @Test
    void firstHittingSamplesTheChainAndOneTimeStepDoesNot() {
        MarkovSequence chain = MarkovSequence.sticky(2, 4, 0.9);
        MaskedDiffusion model = MaskedDiffusion.of(chain);
        int n = 20_000;
        double floor = chain.totalVariation(chain.sample(n, 9));
        MaskedSamples fhs = model.sample(new MaskedSampler.FirstHitting(), n, 9);
        MaskedSamples many = model.sample(new MaskedSampler.TimeStepped(200), n, 9);
        MaskedSamples one = model.sample(new MaskedSampler.TimeStepped(1), n, 9);
        assertTrue(floor < 0.02 && chain.totalVariation(fhs.tokens()) < 0.02 && chain.totalVariation(many.tokens()) < 0.02,
                "floor " + floor + ", FHS " + chain.totalVariation(fhs.tokens()) + ", 200 steps " + chain.totalVariation(many.tokens()));
        // one step draws the four tokens independently from their marginals (uniform): TV to the sticky chain is
        // ½ Σ |1/16 − p(x)| = 0.5838 exactly
        double independent = 0;
        for (double p : chain.law()) independent += Math.abs(1 / 16.0 - p) / 2;
        assertEquals(independent, chain.totalVariation(one.tokens()), 0.02);
        assertTrue(independent > 0.5);
        assertEquals(4, fhs.nfe());
        assertEquals(4, fhs.draws());
        assertEquals(1, one.nfe());
        assertTrue(many.nfe() <= 200 && many.draws() > 4 * 20, "time-stepped draws " + many.draws());
    }

    @Test
    void exactLawsOfTheSamplers() {
        MarkovSequence chain = randomChain(3, 4, 21);
        MaskedDiffusion model = MaskedDiffusion.of(chain);
        double[] target = chain.law();
        assertArrayEquals(target, model.law(new MaskedSampler.FirstHitting()), 1e-14);
        assertArrayEquals(target, model.schedule(MaskSchedule.cosine()).law(new MaskedSampler.FirstHitting()), 1e-14);
        // one step draws every token independently from its marginal, computed here from the enumerated law
        double[][] marginal = new double[4][3];
        for (int k = 0; k < target.length; k++) for (int i = 3, kk = k; i >= 0; i--, kk /= 3) marginal[i][kk % 3] += target[k];
        double[] product = new double[target.length];
        for (int k = 0; k < target.length; k++) {
            product[k] = 1;
            for (int i = 3, kk = k; i >= 0; i--, kk /= 3) product[k] *= marginal[i][kk % 3];
        }
        assertArrayEquals(product, model.law(new MaskedSampler.TimeStepped(1)), 1e-14);
        // the factorisation error of N steps falls like 1/N
        double tv64 = chain.totalVariation(model.law(new MaskedSampler.TimeStepped(64)));
        double tv256 = chain.totalVariation(model.law(new MaskedSampler.TimeStepped(256)));
        assertTrue(tv64 / tv256 > 3.5 && tv64 / tv256 < 4.5, tv64 + " / " + tv256);
        assertEquals(1, Arrays.stream(model.law(new MaskedSampler.TimeStepped(7))).sum(), 1e-13);
        assertEquals(1, Arrays.stream(model.schedule(MaskSchedule.cosine()).law(new MaskedSampler.TimeStepped(7))).sum(), 1e-13);
        assertThrows(IllegalArgumentException.class, () -> model.law(new MaskedSampler.FirstHitting(SamplingPrecision.FLOAT32)));
    }

    @Test
    void elboIsTimeAgnosticAndTightForTheExactDenoiser() {
        MarkovSequence chain = randomChain(3, 5, 31);
        MaskedDiffusion model = MaskedDiffusion.of(chain);
        int[] x = chain.sample(1, 32)[0];
        // every unmasking order is a chain-rule factorisation of p(x): the bound is tight
        assertEquals(-Math.log(chain.probability(x)), model.nelbo(x), 1e-12);
        // a worse denoiser (uniform predictions) gives a larger bound: L·log V here
        var uniform = new MaskedDiffusion(new MaskedDenoiser() {
            public double[][] predict(int[] tokens, double t) {
                double[][] p = new double[tokens.length][3];
                for (double[] row : p) Arrays.fill(row, 1 / 3.0);
                return p;
            }
            public boolean timeAgnostic() {
                return true;
            }
        }, 3, 5, MaskSchedule.linear());
        assertEquals(5 * Math.log(3), uniform.nelbo(x), 1e-12);
        // the weights 1/(n·C(L, n)) against a Monte Carlo estimate of the continuous-time bound under the cosine
        // schedule, α_t = 1 − sin(πt/2), −α'_t = (π/2)·cos(πt/2)
        SplittableRandom r = new SplittableRandom(33);
        int m = 40_000;
        double sum = 0, sumSq = 0;
        MaskedDenoiser exact = chain.denoiser();
        for (int k = 0; k < m; k++) {
            double t = r.nextDouble(), a = 1 - Math.sin(Math.PI * t / 2), rate = Math.PI / 2 * Math.cos(Math.PI * t / 2);
            int[] y = x.clone();
            for (int i = 0; i < y.length; i++) if (r.nextDouble() >= a) y[i] = MaskedDenoiser.MASK;
            double[][] p = exact.predict(y, t);
            double loss = 0;
            for (int i = 0; i < y.length; i++) if (y[i] == MaskedDenoiser.MASK) loss -= Math.log(p[i][x[i]]);
            double v = rate / (1 - a) * loss;
            sum += v;
            sumSq += v * v;
        }
        double mean = sum / m, sd = Math.sqrt((sumSq / m - mean * mean) / m);
        assertEquals(model.nelbo(x), mean, 4 * sd, "Monte Carlo " + mean + " ± " + sd);
        assertThrows(IllegalArgumentException.class, () -> model.nelbo(new int[] {0, 1}));
    }

    @Test
    void firstHittingSamplerIsScheduleInvariant() {
        MarkovSequence chain = randomChain(3, 4, 11);
        var a = MaskedDiffusion.of(chain).sample(new MaskedSampler.FirstHitting(), 300, 12).tokens();
        var b = MaskedDiffusion.of(chain).schedule(MaskSchedule.cosine()).sample(new MaskedSampler.FirstHitting(), 300, 12).tokens();
        assertArrayEquals(a, b);
    }

    @Test
    void halfPrecisionTimeSteppingLowersTokenEntropy() {
        double[] zipf = Categorical.zipf(20, 1.1);
        MaskedDiffusion model = MaskedDiffusion.of(MarkovSequence.iid(zipf, 4));
        double h = Categorical.entropy(zipf);
        double f64 = Categorical.entropy(model.sample(new MaskedSampler.TimeStepped(200), 1500, 13).tokens(), 20);
        double half = Categorical.entropy(model.sample(new MaskedSampler.TimeStepped(200, SamplingPrecision.HALF), 1500, 13).tokens(), 20);
        assertEquals(h, f64, 0.05);
        assertTrue(half < h - 0.1, "half-precision entropy " + half + " vs " + h);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new MaskedSampler.TimeStepped(0));
        assertThrows(IllegalArgumentException.class, () -> new MarkovSequence(new double[] {0.5, 0.6}, new double[][] {{1, 0}, {0, 1}}, 3));
        assertThrows(IllegalArgumentException.class, () -> Categorical.sample(new double[] {0.5, -0.1}, SamplingPrecision.FLOAT64, new SplittableRandom(0)));
        assertThrows(IllegalArgumentException.class, () -> Categorical.sample(new double[] {0, 0}, SamplingPrecision.FLOAT64, new SplittableRandom(0)));
        var chain = MarkovSequence.sticky(2, 3, 0.5);
        assertThrows(IllegalArgumentException.class, () -> chain.denoiser().predict(new int[] {0, 5, -1}, 0.5));
        assertThrows(IllegalArgumentException.class, () -> chain.totalVariation(new int[][] {{0, 1}}));
        assertThrows(IllegalArgumentException.class, () -> MaskedDiffusion.of(chain).sample(new MaskedSampler.FirstHitting(), 0, 0));
        var e = assertThrows(IllegalArgumentException.class, () -> MarkovSequence.sticky(8, 9, 0.5).law());
        assertTrue(e.getMessage().contains("2^24"), e.getMessage());
    }

    @Test
    void samplingStopsOnInterrupt() {
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class,
                    () -> MaskedDiffusion.of(MarkovSequence.sticky(2, 3, 0.5)).sample(new MaskedSampler.FirstHitting(), 10, 0));
        } finally {
            Thread.interrupted();
        }
    }
}
