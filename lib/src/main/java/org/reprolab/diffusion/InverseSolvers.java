package org.reprolab.diffusion;

import java.util.Map;
import org.reprolab.implicit.SolverTrace;
import org.reprolab.optim.Optimizer;
import org.reprolab.tensor.Tensor;

/** The loops of the {@link InverseSolver}s: DPS, RED-diff and DDS on an {@link InverseProblem}. */
final class InverseSolvers {
    private InverseSolvers() {}

    /** Per-step errors and times, and the counts, of one solve. */
    private static final class Trace {
        final InverseProblem problem;
        final double[] errors, seconds;
        final long start = System.nanoTime();
        int vjp;

        Trace(InverseProblem problem, int steps) {
            this.problem = problem;
            errors = new double[steps];
            seconds = new double[steps];
        }

        void record(int step, double[] estimate) {
            errors[step] = problem.error(new Batch(problem.n(), problem.dim(), estimate));
            seconds[step] = (System.nanoTime() - start) * 1e-9;
        }

        SolverTrace finish(Run r, double[] x) {
            Batch out = new Batch(problem.n(), problem.dim(), x);
            var scalars = new java.util.LinkedHashMap<String, Double>();
            scalars.put("nfe", (double) r.nfe);
            scalars.put("vjp", (double) vjp);
            scalars.putAll(problem.scalars(out));
            return new SolverTrace(errors, seconds, true, Map.copyOf(scalars), x);
        }
    }

    /** The {@code steps} evaluation times, uniform in t from tStart to tEnd. */
    private static double[] times(NoiseSchedule s, int steps) {
        return TimeGrid.timeUniform().times(s, s.tStart(), s.tEnd(), steps - 1);
    }

    private static double alphaAfter(Run r, double[] ts, int i) {
        return i + 1 < ts.length ? r.alpha(ts[i + 1]) : 1;
    }

    private static double sigmaAfter(Run r, double[] ts, int i) {
        return i + 1 < ts.length ? r.sigma(ts[i + 1]) : 0;
    }

    static SolverTrace dps(InverseSolver.Dps m, InverseProblem p) {
        if (!(p.model() instanceof DifferentiableModel model))
            throw new IllegalArgumentException("DPS differentiates through the denoiser: the problem's model must be a DifferentiableModel (e.g. GaussianMixture.model), got " + p.model().getClass().getSimpleName());
        Run r = new Run(model, p.n(), p.dim(), p.key().foldIn(1));
        LinearMeasurement op = p.measurement();
        double[] ts = times(r.s, m.steps()), x = Batch.normal(p.n(), p.dim(), p.key().foldIn(0)).data();
        for (int i = 0; i < x.length; i++) x[i] *= r.s.priorStd();
        Trace tr = new Trace(p, m.steps());
        int d = p.dim(), mRows = op.rows();
        for (int i = 0; i < ts.length; i++) {
            double t = ts[i], at = r.alpha(t), st = r.sigma(t), as = alphaAfter(r, ts, i), ss = sigmaAfter(r, ts, i);
            double[] e = r.eps(x, t), x0 = Run.lin(1 / at, x, -st / at, e);
            double[] res = op.times(x0, p.n(), false);
            for (int k = 0; k < res.length; k++) res[k] = p.y().data()[k] - res[k];
            for (int row = 0; row < p.n(); row++) {
                double norm = 0;
                for (int k = row * mRows; k < (row + 1) * mRows; k++) norm += res[k] * res[k];
                norm = Math.sqrt(norm);
                for (int k = row * mRows; k < (row + 1) * mRows; k++) res[k] = norm > 0 ? -res[k] / norm : 0;
            }
            double[] v = op.times(res, p.n(), true), g = new double[x.length];   // ∂‖y − A x̂₀‖/∂x̂₀ = −Aᵀ(y − A x̂₀)/‖·‖
            model.denoiserVjp(new Batch(p.n(), d, x), t, v, g);
            tr.vjp++;
            double q = at / as, c2 = ss == 0 ? 0 : Math.max(0, ss * ss * (st * st - q * q * ss * ss) / (st * st)), c = Math.sqrt(c2);
            double[] z = r.normal(i);
            x = Run.lin(as, x0, Math.sqrt(Math.max(0, ss * ss - c2)), e, c, z);
            Run.axpy(-m.zeta(), g, x);
            tr.record(i, ss == 0 ? x : x0);
        }
        return tr.finish(r, x);
    }

    static SolverTrace redDiff(InverseSolver.RedDiff m, InverseProblem p) {
        Run r = new Run(p.model(), p.n(), p.dim(), p.key().foldIn(1));
        LinearMeasurement op = p.measurement();
        double[] ts = times(r.s, m.steps()), y = p.y().data();
        int d = p.dim(), mRows = op.rows();
        double[] mu = minimumNorm(op, y, p.n());
        Trace tr = new Trace(p, m.steps());
        Tensor param = Tensor.of(mu.clone(), p.n(), d);
        try (Optimizer opt = Optimizer.of(Map.of("mu", param), m.optimizer())) {
            for (int i = 0; i < ts.length; i++) {
                double t = ts[i], at = r.alpha(t), st = r.sigma(t);
                double[] eps = r.normal(i), xt = Run.lin(at, mu, st, eps), e = r.eps(xt, t);
                double[] res = op.times(mu, p.n(), false);
                for (int k = 0; k < res.length; k++) res[k] -= y[k];
                double[] grad = op.times(res, p.n(), true);                       // ∇ mean‖Aμ − y‖²/2 = Aᵀ(Aμ − y)/m
                double wt = m.lambda() * st / at;
                for (int k = 0; k < grad.length; k++) grad[k] = grad[k] / mRows + wt * (e[k] - eps[k]) / d;
                param.setGrad(Tensor.of(grad, p.n(), d));
                opt.step();
                mu = param.toDoubleArray();
                tr.record(i, mu);
            }
        }
        return tr.finish(r, mu);
    }

    static SolverTrace dds(InverseSolver.Dds m, InverseProblem p) {
        Run r = new Run(p.model(), p.n(), p.dim(), p.key().foldIn(1));
        LinearMeasurement op = p.measurement();
        double[] ts = times(r.s, m.steps()), x = Batch.normal(p.n(), p.dim(), p.key().foldIn(0)).data();
        for (int i = 0; i < x.length; i++) x[i] *= r.s.priorStd();
        double[] aty = op.times(p.y().data(), p.n(), true);
        double gamma = m.gamma();
        Trace tr = new Trace(p, m.steps());
        for (int i = 0; i < ts.length; i++) {
            double t = ts[i], at = r.alpha(t), st = r.sigma(t), as = alphaAfter(r, ts, i), ss = sigmaAfter(r, ts, i);
            double[] e = r.eps(x, t), x0 = Run.lin(1 / at, x, -st / at, e);
            double[] rhs = Run.lin(1, aty, gamma, x0);
            double[] x0c = TruncatedCg.solve(v -> Run.lin(1, op.times(op.times(v, p.n(), false), p.n(), true), gamma, v), rhs, x0, p.dim(), m.cgSteps());
            double[] z = r.normal(i);
            x = Run.lin(as, x0c, ss * Math.sqrt(1 - m.eta() * m.eta()), e, ss * m.eta(), z);
            tr.record(i, x0c);
        }
        return tr.finish(r, x);
    }

    /** {@code A⁺y = Aᵀ(AAᵀ)⁻¹y} per row, by CG on the m × m system (exact after m steps; one step for a mask). */
    static double[] minimumNorm(LinearMeasurement op, double[] y, int n) {
        int mRows = op.rows();
        double[] w = TruncatedCg.solve(v -> op.times(op.times(v, n, true), n, false), y, new double[y.length], mRows, mRows);
        return op.times(w, n, true);
    }
}
