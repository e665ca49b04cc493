package org.reprolab.diffusion;

import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.OdeProblem;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.Tableau;

/**
 * The probability-flow ODE (Song et al. 2021, eq. 13) in the variables of the exponential integrators:
 * {@code y = x/α}, {@code u = log σ̃ = −λ}, {@code dy/du = σ̃ ε̂(α y, t(u))}, which is non-stiff in u
 * (the DPM-Solver paper's change of variables). Solved with the ode package, the whole batch as one
 * {@code double[]} state.
 */
public final class ProbabilityFlowOde {
    private ProbabilityFlowOde() {}

    /**
     * An accurate reference solve of the PF-ODE from {@code xT} at {@code tStart} to {@code tEnd} with an
     * adaptive tableau (DOP853 at {@code rtol = atol = 1e-11} reproduces the reference bars' ODE endpoints).
     */
    public static SampleResult solve(DiffusionModel model, Batch xT, double tStart, double tEnd, Tableau tableau, double rtol, double atol) {
        Run r = new Run(model, xT.n(), xT.dim(), 0);
        double[] x = adaptive(r, xT.data(), tStart, tEnd, tableau, rtol, atol);
        return new SampleResult(xT.with(x), r.nfe, new double[] {tStart, tEnd});
    }

    /** {@link #solve} with DOP853 at rtol = atol = 1e-11 over the schedule's default interval, from noise {@code z} (x_T = priorStd·z). */
    public static SampleResult reference(DiffusionModel model, Batch z) {
        NoiseSchedule s = model.schedule();
        double[] x = z.data().clone();
        for (int i = 0; i < x.length; i++) x[i] *= s.priorStd();
        return solve(model, z.with(x), s.tStart(), s.tEnd(), Tableau.DOP853, 1e-11, 1e-11);
    }

    private static OdeSystem field(Run r) {
        NoiseSchedule s = r.s;
        return (u, y, dy) -> {
            double st = Math.exp(u), t = s.tOfSigmaTilde(st), a = s.alpha(t);
            double[] x = new double[y.length];
            for (int i = 0; i < x.length; i++) x[i] = a * y[i];
            double[] e = r.eps(x, t);
            for (int i = 0; i < e.length; i++) dy[i] = st * e[i];
        };
    }

    static double[] adaptive(Run r, double[] x, double tStart, double tEnd, Tableau tableau, double rtol, double atol) {
        NoiseSchedule s = r.s;
        double a0 = s.alpha(tStart);
        double[] y = new double[x.length];
        for (int i = 0; i < y.length; i++) y[i] = x[i] / a0;
        double u0 = -s.lambda(tStart), u1 = -s.lambda(tEnd);
        OdeOptions o = OdeOptions.defaults().failOnStiffness(false).maxSteps(1_000_000);
        double[] yEnd = Ode.solve(OdeProblem.of(field(r), u0, u1, y), tableau, Controllers.pid(rtol, atol), o).yEnd();
        double a1 = s.alpha(tEnd);
        for (int i = 0; i < yEnd.length; i++) yEnd[i] *= a1;
        return yEnd;
    }

    /** Fixed steps of an explicit tableau on the grid (uniform in u for a logSNR grid). */
    static double[] fixed(Run r, double[] x, double[] ts, Tableau tab) {
        NoiseSchedule s = r.s;
        OdeSystem f = field(r);
        int st = tab.stages(), m = x.length;
        double[] y = Run.lin(1 / s.alpha(ts[0]), x, 0, x);
        double[][] k = new double[st][m];
        for (int i = 0; i + 1 < ts.length; i++) {
            double u = -s.lambda(ts[i]), h = -s.lambda(ts[i + 1]) - u;
            for (int j = 0; j < st; j++) {
                double[] yj = y.clone();
                for (int l = 0; l < j; l++) if (tab.a()[j][l] != 0) Run.axpy(h * tab.a()[j][l], k[l], yj);
                f.eval(u + tab.c()[j] * h, yj, k[j]);
            }
            for (int j = 0; j < st; j++) if (tab.b()[j] != 0) Run.axpy(h * tab.b()[j], k[j], y);
        }
        return Run.lin(s.alpha(ts[ts.length - 1]), y, 0, y);
    }
}
