package org.reprolab.diffusion;

import java.util.LinkedHashMap;
import java.util.Map;
import org.reprolab.random.RngKey;

/**
 * A linear inverse problem with a diffusion prior: recover {@code x} from {@code y = A x + σ_y n} given a model of
 * {@code p(x)}. Each row of {@code y} is one measurement and gets one reconstruction, so a batch of rows is either
 * many problems ({@link #of}: the restoration-benchmark setting of the RED-diff and DDS papers) or one measurement
 * repeated ({@link #observe}: many posterior samples of one {@code p(x | y)}). With a {@link GaussianMixture} prior
 * the posterior is a mixture in closed form ({@link GaussianMixture#posterior}), so the problem carries the exact
 * posterior mean of every row and one exact posterior sample per row: the independent references
 * {@link #scalars} measures a reconstruction against. It is the problem type the {@link InverseSolver}s solve
 * ({@code Lab.iterate(problem).compare(new InverseSolver.Dps(...), ...)}).
 *
 * @param name             shown in tables
 * @param model            the prior's diffusion model (a {@link DifferentiableModel} for DPS)
 * @param measurement      the forward operator and noise level
 * @param y                measurements, one per row ({@code n × m})
 * @param truth            the signals measured ({@code n × d}), or null when unknown
 * @param posteriorMean    the exact {@code E[x | y]} per row, or null when there is no closed form
 * @param posteriorSamples one exact sample of {@code p(x | y)} per row, or null
 * @param key              the random stream of the solvers (initial noise, injected noise)
 */
public record InverseProblem(String name, DiffusionModel model, LinearMeasurement measurement, Batch y, Batch truth,
                             Batch posteriorMean, Batch posteriorSamples, RngKey key) {

    public InverseProblem {
        int d = measurement.dim();
        if (y.dim() != measurement.rows()) throw new IllegalArgumentException("inverse problem: y has " + y.dim() + " values per row, the measurement " + measurement.rows());
        for (Batch b : new Batch[] {truth, posteriorMean, posteriorSamples})
            if (b != null && (b.n() != y.n() || b.dim() != d))
                throw new IllegalArgumentException("inverse problem: references must be " + y.n() + " x " + d + ", got " + b);
        if (key == null) throw new IllegalArgumentException("inverse problem needs a random key");
    }

    /**
     * {@code n} signals drawn from {@code prior}, measured with noise, with their exact posterior means and one
     * exact posterior sample each; the signals from {@code key.foldIn(0)}, the measurement noise from
     * {@code foldIn(1)}, the posterior samples from {@code foldIn(2)}, the solvers' randomness from {@code foldIn(3)}.
     */
    public static InverseProblem of(String name, GaussianMixture prior, NoiseSchedule schedule, LinearMeasurement measurement, int n, long seed) {
        return of(name, prior, schedule, measurement, prior.sample(n, RngKey.of(seed).foldIn(0)), seed);
    }

    /**
     * Given signals (e.g. real images, which the mixture only models) measured with noise from {@code seed}, with
     * the exact posterior means and samples under the mixture prior.
     */
    public static InverseProblem of(String name, GaussianMixture prior, NoiseSchedule schedule, LinearMeasurement measurement, Batch truth, long seed) {
        RngKey key = RngKey.of(seed);
        return exact(name, prior, schedule, measurement, measurement.measure(truth, key.foldIn(1)), truth, key);
    }

    /** One measurement {@code y} repeated over {@code n} rows: {@code n} posterior samples of {@code p(x | y)}, no truth. */
    public static InverseProblem observe(String name, GaussianMixture prior, NoiseSchedule schedule, LinearMeasurement measurement, double[] y, int n, long seed) {
        double[] ys = new double[n * y.length];
        for (int i = 0; i < n; i++) System.arraycopy(y, 0, ys, i * y.length, y.length);
        return exact(name, prior, schedule, measurement, new Batch(n, y.length, ys), null, RngKey.of(seed));
    }

    /** Signals {@code truth} measured with noise from {@code seed}, for a prior with no closed-form posterior (a trained network). */
    public static InverseProblem of(String name, DiffusionModel model, LinearMeasurement measurement, Batch truth, long seed) {
        RngKey key = RngKey.of(seed);
        return new InverseProblem(name, model, measurement, measurement.measure(truth, key.foldIn(1)), truth, null, null, key.foldIn(3));
    }

    private static InverseProblem exact(String name, GaussianMixture prior, NoiseSchedule schedule, LinearMeasurement measurement, Batch y, Batch truth, RngKey key) {
        var posteriors = prior.posteriors(measurement);
        int n = y.n(), d = prior.dim();
        double[] mean = new double[n * d], samples = new double[n * d];
        RngKey sampleKey = key.foldIn(2);
        GaussianMixture last = null;
        double[] lastY = null;
        for (int i = 0; i < n; i++) {
            Run.checkInterrupt("exact posteriors");
            double[] yi = java.util.Arrays.copyOfRange(y.data(), i * y.dim(), (i + 1) * y.dim());
            GaussianMixture post = java.util.Arrays.equals(yi, lastY) ? last : posteriors.given(yi);
            System.arraycopy(post.mean(), 0, mean, i * d, d);
            System.arraycopy(post.sample(1, sampleKey.foldIn(i)).data(), 0, samples, i * d, d);
            last = post;
            lastY = yi;
        }
        return new InverseProblem(name, prior.model(schedule), measurement, y, truth, new Batch(n, d, mean), new Batch(n, d, samples), key.foldIn(3));
    }

    /** Number of rows (measurements, or posterior samples of one measurement). */
    public int n() {
        return y.n();
    }

    public int dim() {
        return measurement.dim();
    }

    /**
     * The per-iteration error of a reconstruction: the mean squared distance per coordinate to the exact posterior
     * mean when it is known (an exact posterior sampler reaches the posterior variance, the MMSE estimator 0),
     * otherwise to the truth.
     */
    public double error(Batch x) {
        Batch ref = posteriorMean != null ? posteriorMean : truth;
        return ref == null ? Double.NaN : meanSquare(x, ref);
    }

    /**
     * What a reconstruction achieves: {@code mse} to the truth (per coordinate; the restoration error the papers
     * report as PSNR), {@code posterior_mean_error} to the exact posterior mean, {@code sw2} (sliced W2) to the exact
     * posterior samples, and {@code residual}, the RMS of {@code y − A x} in units of σ_y (≈ 1 for a consistent
     * reconstruction). Numbers without a reference are left out.
     */
    public Map<String, Double> scalars(Batch x) {
        Map<String, Double> s = new LinkedHashMap<>();
        if (truth != null) s.put("mse", meanSquare(x, truth));
        if (posteriorMean != null) s.put("posterior_mean_error", meanSquare(x, posteriorMean));
        if (posteriorSamples != null) s.put("sw2", Metrics.slicedWasserstein2(x, posteriorSamples));
        Batch ax = measurement.apply(x);
        double r = 0;
        for (int i = 0; i < ax.data().length; i++) r += Math.pow(y.data()[i] - ax.data()[i], 2);
        s.put("residual", Math.sqrt(r / ax.data().length) / measurement.noiseStd());
        return s;
    }

    private static double meanSquare(Batch a, Batch b) {
        return Metrics.endpointError(a, b).mean() / a.dim();
    }

    @Override
    public String toString() {
        return name;
    }
}
