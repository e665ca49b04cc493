package org.reprolab.diffusion;

import org.reprolab.ode.solvers.Tableau;

/**
 * The search stage of DC-Solver ({@code wl-zhao/DC-Solver dc_solver.py search_dc}, {@code find_optim_ratio}):
 * for each step in turn, with the ratios of the earlier steps fixed, the ratio that brings the state after the
 * step closest (mean squared error) to the ground-truth trajectory from the same noise. Ground truth here is the
 * probability-flow ODE solved by DOP853 at rtol = atol = 10⁻¹⁰ between consecutive grid times. Golden-section
 * search on [0, 2] (the reference notes' bounded scalar search), and ρ = 1 is kept unless beaten, so the searched
 * sampler is never worse than its base on the search points.
 */
final class DynamicCompensation {
    private DynamicCompensation() {}

    static final double LO = 0, HI = 2;
    static final int ITERATIONS = 30;

    static double[] search(int order, Sampler.UniPC.Variant variant, DiffusionModel model, Batch points, int steps, SampleOptions options) {
        NoiseSchedule s = model.schedule();
        double t0 = Double.isNaN(options.tStart()) ? s.tStart() : options.tStart();
        double t1 = Double.isNaN(options.tEnd()) ? s.tEnd() : options.tEnd();
        TimeGrid grid = options.grid() != null ? options.grid() : TimeGrid.logSnr();
        double[] ts = grid.times(s, t0, t1, steps);
        double[] xT = points.data().clone();
        for (int i = 0; i < xT.length; i++) xT[i] *= s.priorStd();
        double[][] truth = new double[steps + 1][];
        truth[0] = xT;
        for (int k = 1; k <= steps; k++)
            truth[k] = ProbabilityFlowOde.solve(model, points.with(truth[k - 1]), ts[k - 1], ts[k], Tableau.DOP853, 1e-10, 1e-10).x().data();
        double[] ratios = new double[steps];
        java.util.Arrays.fill(ratios, 1);
        for (int k = 3; k <= steps; k++) {   // the first two steps have fewer than dc_order + 1 outputs
            int step = k;
            java.util.function.DoubleUnaryOperator loss = rho -> {
                double[] rs = ratios.clone();
                rs[step - 1] = rho;
                Run r = new Run(model, points.n(), points.dim(), 0);
                double[] x = UniPc.run(r, xT.clone(), ts, order, variant, true, rs, step);
                double e = 0;
                for (int i = 0; i < x.length; i++) { double v = x[i] - truth[step][i]; e += v * v; }
                return e / x.length;
            };
            double best = 1, bestLoss = loss.applyAsDouble(1);
            double g = (Math.sqrt(5) - 1) / 2, a = LO, b = HI;
            double c = b - g * (b - a), d = a + g * (b - a), fc = loss.applyAsDouble(c), fd = loss.applyAsDouble(d);
            for (int it = 0; it < ITERATIONS; it++) {
                if (fc < fd) { b = d; d = c; fd = fc; c = b - g * (b - a); fc = loss.applyAsDouble(c); }
                else { a = c; c = d; fc = fd; d = a + g * (b - a); fd = loss.applyAsDouble(d); }
            }
            double cand = fc < fd ? c : d, fCand = Math.min(fc, fd);
            if (fCand < bestLoss) { best = cand; bestLoss = fCand; }
            ratios[k - 1] = best;
        }
        return ratios;
    }
}
