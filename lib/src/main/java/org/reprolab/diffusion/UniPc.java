package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * UniPC, a transcription of {@code wl-zhao/UniPC uni_pc.py} ({@code multistep_uni_pc_bh_update}, both its data and
 * its noise branch, and the multistep loop of {@code sample}), run from a per-step plan of choices (prediction,
 * order, corrector, B(h)): UniPC's own plan, or any {@link Sampler.SolverSchedule} (USF), with DC-Solver's dynamic
 * compensation ({@code wl-zhao/DC-Solver dc_solver.py dynamic_compensation}): before step k, when the history
 * holds 3 outputs and {@code ratios[k−1] ≠ 1}, the newest output is replaced (for good, as upstream) by the
 * quadratic Lagrange interpolant in t through the last three, evaluated at {@code ρ t_{k−1} + (1−ρ) t_{k−2}}.
 */
final class UniPc {
    private UniPc() {}

    static double[] run(Run r, double[] x, double[] ts, int order, Sampler.UniPC.Variant variant, boolean lowerOrderFinal) {
        return run(r, x, ts, order, variant, lowerOrderFinal, null, ts.length - 1);
    }

    /** UniPC with compensation ratios per step ({@code null}: none), returning the state after step {@code stopAfter}. */
    static double[] run(Run r, double[] x, double[] ts, int order, Sampler.UniPC.Variant variant, boolean lowerOrderFinal,
                        double[] ratios, int stopAfter) {
        return run(r, x, ts, steps(Prediction.DATA, order, true, variant, lowerOrderFinal, ts.length - 1), ratios, stopAfter);
    }

    /**
     * UniPC's per-step choices for {@code steps} steps: warm-up orders {@code min(order, k)}, lower order final,
     * the corrector on every step but the last (whose corrector would cost an evaluation).
     */
    static List<Sampler.SolverSchedule.Step> steps(Prediction prediction, int order, boolean corrector, Sampler.UniPC.Variant variant,
                                                    boolean lowerOrderFinal, int steps) {
        order = Math.min(order, steps);
        List<Sampler.SolverSchedule.Step> out = new ArrayList<>();
        for (int k = 1; k <= steps; k++) {
            int o = k < order ? k : (lowerOrderFinal ? Math.min(order, steps + 1 - k) : order);
            out.add(new Sampler.SolverSchedule.Step(prediction, o, corrector && k < steps, variant));
        }
        return out;
    }

    /**
     * The unified multistep B(h) update with a choice per step (Liu et al. 2024, USF: prediction type, order,
     * corrector): step k extrapolates the data (x̂₀) or noise (ε̂) prediction in λ through its {@code order} newest
     * outputs (UniP), then, with the corrector, re-solves with the output at the predicted point (UniC); that
     * output starts the next step, so the corrector is free except on the last step, where it costs one more
     * evaluation. Both predictions of every output are kept, so a step may switch parameterization.
     */
    static double[] run(Run r, double[] x, double[] ts, List<Sampler.SolverSchedule.Step> plan, double[] ratios, int stopAfter) {
        int steps = ts.length - 1;
        if (plan.size() != steps) throw new IllegalArgumentException("the solver schedule has " + plan.size() + " steps, the grid " + steps);
        List<double[]> ms = new ArrayList<>(), es = new ArrayList<>();   // data and noise predictions, newest last
        List<Double> lams = new ArrayList<>();
        List<Double> times = new ArrayList<>();
        evaluate(r, x, ts[0], ms, es);
        lams.add(r.lambda(ts[0]));
        times.add(ts[0]);
        for (int k = 1; k <= stopAfter; k++) {
            if (ratios != null && ratios[k - 1] != 1 && ms.size() >= DC_ORDER + 1) {
                ms.set(ms.size() - 1, compensate(ms, times, ratios[k - 1]));
                es.set(es.size() - 1, compensate(es, times, ratios[k - 1]));
            }
            var step = plan.get(k - 1);
            boolean data = step.prediction() == Prediction.DATA;
            List<double[]> outs = data ? ms : es;
            int o = step.order();
            double t = ts[k], s = ts[k - 1];
            double lt = r.lambda(t), l0 = lams.getLast(), h = lt - l0;
            double[] m0 = outs.getLast();
            // data: x_t = (σ_t/σ_s)x − α_t(e^{−h}−1)x̂₀ − …; noise: x_t = (α_t/α_s)x − σ_t(e^{h}−1)ε̂ − … (uni_pc.py)
            double ct = data ? r.alpha(t) : r.sigma(t);
            double cx = data ? r.sigma(t) / r.sigma(s) : Math.exp(r.s.logAlpha(t) - r.s.logAlpha(s));
            int nd = o - 1;
            double[] rks = new double[o];
            double[][] d1s = new double[nd][];
            for (int i = 1; i < o; i++) {
                double rk = (lams.get(lams.size() - 1 - i) - l0) / h;
                rks[i - 1] = rk;
                d1s[i - 1] = Run.diff(outs.get(outs.size() - 1 - i), m0, rk);
            }
            rks[o - 1] = 1;
            double hh = data ? -h : h, hphi1 = Math.expm1(hh), hphik = hphi1 / hh - 1;
            double bh = step.variant() == Sampler.UniPC.Variant.BH1 ? hh : Math.expm1(hh);
            double[][] rm = new double[o][o];
            double[] b = new double[o];
            double fact = 1;
            for (int i = 1; i <= o; i++) {
                for (int j = 0; j < o; j++) rm[i - 1][j] = Math.pow(rks[j], i - 1);
                b[i - 1] = hphik * fact / bh;
                fact *= i + 1;
                hphik = hphik / hh - 1 / fact;
            }
            double[] xt0 = Run.lin(cx, x, -ct * hphi1, m0);
            double[] xt = xt0.clone();
            if (nd > 0) {
                double[] rhoP = o == 2 ? new double[] {0.5} : solve(sub(rm, nd), java.util.Arrays.copyOf(b, nd));
                for (int i = 0; i < nd; i++) Run.axpy(-ct * bh * rhoP[i], d1s[i], xt);
            }
            if (k < steps || step.corrector()) {
                evaluate(r, xt, t, ms, es);
                lams.add(lt);
                times.add(t);
                if (step.corrector()) {
                    double[] mt = outs.getLast();
                    double[] rhoC = o == 1 ? new double[] {0.5} : solve(rm, b);
                    double[] xc = xt0.clone();
                    for (int i = 0; i < nd; i++) Run.axpy(-ct * bh * rhoC[i], d1s[i], xc);
                    double c = -ct * bh * rhoC[o - 1];
                    for (int i = 0; i < xc.length; i++) xc[i] += c * (mt[i] - m0[i]);
                    xt = xc;
                }
                if (ms.size() > HISTORY) { ms.removeFirst(); es.removeFirst(); lams.removeFirst(); times.removeFirst(); }
            }
            x = xt;
        }
        return x;
    }

    /** Outputs kept: the highest order (4) and DC-Solver's interpolant (3 points) both fit. */
    private static final int HISTORY = 4;

    /** One counted evaluation at (x, t), appended as both its data and its noise prediction. */
    private static void evaluate(Run r, double[] x, double t, List<double[]> ms, List<double[]> es) {
        double[] raw = r.raw(x, t), m = new double[raw.length], e = new double[raw.length];
        double a = r.alpha(t), sg = r.sigma(t);
        r.model.prediction().toData(x, raw, a, sg, m);
        r.model.prediction().toNoise(x, raw, a, sg, e);
        ms.add(m);
        es.add(e);
    }

    /** Degree of DC-Solver's Lagrange interpolant ({@code dc_order = 2} upstream). */
    static final int DC_ORDER = 2;

    /** The Lagrange interpolant through the newest {@code DC_ORDER + 1} outputs at {@code ρ t₀ + (1−ρ) t₁} (t₀ newest). */
    static double[] compensate(List<double[]> ms, List<Double> ts, double ratio) {
        int last = ms.size() - 1;
        double target = ts.get(last) * ratio + ts.get(last - 1) * (1 - ratio);
        double[] out = new double[ms.get(last).length];
        for (int i = 0; i <= DC_ORDER; i++) {
            double c = 1, ti = ts.get(last - i);
            for (int j = 0; j <= DC_ORDER; j++) if (j != i) c *= (target - ts.get(last - j)) / (ti - ts.get(last - j));
            Run.axpy(c, ms.get(last - i), out);
        }
        return out;
    }

    private static double[][] sub(double[][] a, int k) {
        double[][] o = new double[k][k];
        for (int i = 0; i < k; i++) System.arraycopy(a[i], 0, o[i], 0, k);
        return o;
    }

    /** Gaussian elimination with partial pivoting (the systems are at most 4×4). */
    static double[] solve(double[][] a0, double[] b0) {
        int n = b0.length;
        double[][] a = new double[n][];
        for (int i = 0; i < n; i++) a[i] = a0[i].clone();
        double[] b = b0.clone();
        for (int c = 0; c < n; c++) {
            int p = c;
            for (int i = c + 1; i < n; i++) if (Math.abs(a[i][c]) > Math.abs(a[p][c])) p = i;
            double[] tr = a[c]; a[c] = a[p]; a[p] = tr;
            double tb = b[c]; b[c] = b[p]; b[p] = tb;
            for (int i = c + 1; i < n; i++) {
                double f = a[i][c] / a[c][c];
                for (int j = c; j < n; j++) a[i][j] -= f * a[c][j];
                b[i] -= f * b[c];
            }
        }
        double[] x = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double v = b[i];
            for (int j = i + 1; j < n; j++) v -= a[i][j] * x[j];
            x[i] = v / a[i][i];
        }
        return x;
    }
}
