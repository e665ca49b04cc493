package org.reprolab.diffusion;

/**
 * Options of one sampling run.
 *
 * @param grid   time grid, or null for the sampler's {@link Sampler#defaultGrid()}
 * @param tStart start time, NaN for the schedule's {@link NoiseSchedule#tStart()}
 * @param tEnd   end time, NaN for the schedule's {@link NoiseSchedule#tEnd()}
 * @param seed   seed of the Philox stream of stochastic samplers (step i draws from {@code key.foldIn(i)})
 */
public record SampleOptions(TimeGrid grid, double tStart, double tEnd, long seed) {

    public static SampleOptions defaults() {
        return new SampleOptions(null, Double.NaN, Double.NaN, 0);
    }

    public SampleOptions grid(TimeGrid g) { return new SampleOptions(g, tStart, tEnd, seed); }

    public SampleOptions tStart(double t) { return new SampleOptions(grid, t, tEnd, seed); }

    public SampleOptions tEnd(double t) { return new SampleOptions(grid, tStart, t, seed); }

    public SampleOptions seed(long s) { return new SampleOptions(grid, tStart, tEnd, s); }
}
