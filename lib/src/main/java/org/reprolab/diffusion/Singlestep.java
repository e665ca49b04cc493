package org.reprolab.diffusion;

import java.util.List;
import org.reprolab.ode.solvers.StateOps;

/**
 * Singlestep DPM-Solver (noise prediction, orders 1–3) and DPM-Solver++(2S) (data prediction), with the
 * official budget split ({@code LuChengTHU/dpm-solver dpm_solver_pytorch.py}:
 * {@code get_orders_and_timesteps_for_singlestep_solver}, {@code singlestep_dpm_solver_*_update}).
 */
final class Singlestep {
    private Singlestep() {}

    /** The orders of the K steps for a budget of {@code nfe} evaluations. */
    static int[] orders(int order, int nfe) {
        int[] o;
        if (order == 3) {
            int k = nfe / 3 + 1;
            if (nfe % 3 == 0) { o = fill(k, 3); o[k - 2] = 2; o[k - 1] = 1; }
            else if (nfe % 3 == 1) { o = fill(k, 3); o[k - 1] = 1; }
            else { o = fill(k, 3); o[k - 1] = 2; }
        } else if (order == 2) {
            if (nfe % 2 == 0) o = fill(nfe / 2, 2);
            else { int k = nfe / 2 + 1; o = fill(k, 2); o[k - 1] = 1; }
        } else o = fill(nfe, 1);
        return o;
    }

    private static int[] fill(int k, int v) {
        int[] o = new int[k];
        java.util.Arrays.fill(o, v);
        return o;
    }

    /** The K+1 step times: the grid of K steps for logSNR, else the N-step grid at the cumulative orders. */
    static double[] times(NoiseSchedule s, TimeGrid grid, double t0, double t1, int[] orders, int nfe) {
        if (grid instanceof TimeGrid.LogSnr) return grid.times(s, t0, t1, orders.length);
        double[] full = grid.times(s, t0, t1, nfe);
        double[] t = new double[orders.length + 1];
        int c = 0;
        t[0] = full[0];
        for (int i = 0; i < orders.length; i++) { c += orders[i]; t[i + 1] = full[c]; }
        return t;
    }

    static <S> S dpmSolver(Run r, Predictions<S> model, StateOps<S> ops, S x, double[] ts, int[] orders) {
        NoiseSchedule sc = r.s;
        for (int k = 0; k < orders.length; k++) {
            double s = ts[k], t = ts[k + 1];
            double ls = r.lambda(s), h = r.lambda(t) - ls;
            double las = sc.logAlpha(s), st = r.sigma(t);
            S e0 = model.eps(x, s), next;
            double phi1 = Math.expm1(h);
            double cx = Math.exp(sc.logAlpha(t) - las);
            switch (orders[k]) {
                case 1 -> next = ops.lin(cx, x, -st * phi1, e0);
                case 2 -> {
                    double r1 = 0.5, s1 = sc.tOfLambda(ls + r1 * h);
                    S u = ops.lin(Math.exp(sc.logAlpha(s1) - las), x, -r.sigma(s1) * Math.expm1(r1 * h), e0);
                    S e1 = model.eps(u, s1);
                    double c = -(0.5 / r1) * st * phi1;
                    next = ops.lin(cx, x, -st * phi1 - c, e0, c, e1);
                    ops.release(List.of(u, e1));
                }
                default -> {
                    double r1 = 1.0 / 3, r2 = 2.0 / 3;
                    double s1 = sc.tOfLambda(ls + r1 * h), s2 = sc.tOfLambda(ls + r2 * h);
                    S u1 = ops.lin(Math.exp(sc.logAlpha(s1) - las), x, -r.sigma(s1) * Math.expm1(r1 * h), e0);
                    S e1 = model.eps(u1, s1);
                    double ss2 = r.sigma(s2), phi12 = Math.expm1(r2 * h), phi22 = phi12 / (r2 * h) - 1;
                    double cu = -(r2 / r1) * ss2 * phi22;
                    S u2 = ops.lin(Math.exp(sc.logAlpha(s2) - las), x, -ss2 * phi12 - cu, e0, cu, e1);
                    S e2 = model.eps(u2, s2);
                    double phi2 = phi1 / h - 1, c = -(1 / r2) * st * phi2;
                    next = ops.lin(cx, x, -st * phi1 - c, e0, c, e2);
                    ops.release(List.of(u1, e1, u2, e2));
                }
            }
            ops.release(List.of(x, e0));
            x = next;
        }
        return x;
    }

    static <S> S dpmSolverPP2S(Run r, Predictions<S> model, StateOps<S> ops, S x, double[] ts, int[] orders) {
        NoiseSchedule sc = r.s;
        for (int k = 0; k < orders.length; k++) {
            double s = ts[k], t = ts[k + 1];
            double ls = r.lambda(s), h = r.lambda(t) - ls;
            double ss = r.sigma(s), at = r.alpha(t), st = r.sigma(t);
            S m0 = model.data(x, s), next;
            double phi1 = Math.expm1(-h);
            if (orders[k] == 1) next = ops.lin(st / ss, x, -at * phi1, m0);
            else {
                double r1 = 0.5, s1 = sc.tOfLambda(ls + r1 * h);
                S u = ops.lin(r.sigma(s1) / ss, x, -r.alpha(s1) * Math.expm1(-r1 * h), m0);
                S m1 = model.data(u, s1);
                double c = -(0.5 / r1) * at * phi1;
                next = ops.lin(st / ss, x, -at * phi1 - c, m0, c, m1);
                ops.release(List.of(u, m1));
            }
            ops.release(List.of(x, m0));
            x = next;
        }
        return x;
    }
}
