package org.reprolab.diffusion;

import static org.reprolab.tornado.expr.Expr.c;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import java.util.List;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * Multistep exponential integrators with data prediction (Lu et al. 2022b, "DPM-Solver++",
 * {@code LuChengTHU/dpm-solver dpm_solver_pytorch.py multistep_dpm_solver_*_update}): 1st, 2M, 3M, the SDE
 * variant of 2M (diffusers {@code sde-dpmsolver++}) and 2M with heavy-ball momentum. The history holds the
 * newest model outputs m₀, m₁, m₂ and their λ.
 */
final class Multistep {
    private Multistep() {}

    enum Kind { ODE, SDE, HEAVY_BALL }

    /** 2M: {@code p0·x + p1·m0 + p2·((m0 − m1)·p3)}, the host's {@code lin(cx, x, cm, m0, cd, diff(m0, m1, r0))} as one kernel. */
    private static final ElementwiseKernel DPM_2M = ElementwiseKernel.of("dpmpp_2m", 3, 4,
            param(0).mul(in(0)).add(param(1).mul(in(1))).add(param(2).mul(in(1).sub(in(2)).mul(param(3)))));
    /** 3M over {@code x, m0, m1, m2}, in the host loop's order. */
    private static final ElementwiseKernel DPM_3M;
    /** SDE-DPM-Solver++ first and second order over {@code x, m0[, m1], z}. */
    private static final ElementwiseKernel SDE_1 = ElementwiseKernel.of("sde_dpmpp_1", 3, 3,
            param(0).mul(in(0)).add(param(1).mul(in(1).add(c(0)))).add(param(2).mul(in(2))));
    private static final ElementwiseKernel SDE_2 = ElementwiseKernel.of("sde_dpmpp_2m", 4, 4,
            param(0).mul(in(0)).add(param(1).mul(DeviceRun.secondOrder(in(1), in(2), param(3)))).add(param(2).mul(in(3))));

    /** Heavy ball over {@code x, m0, m1[, vel]}: outputs x and the velocity; the first momentum step sets vel to the 2M direction. */
    private static final ElementwiseKernel HEAVY_FIRST, HEAVY;

    static {
        Expr direction = c(1).mul(in(1)).add(c(0.5).mul(in(1).sub(in(2)).mul(param(2))));
        HEAVY_FIRST = ElementwiseKernel.of("dpmpp_2m_heavy_ball_first", 3, 3, param(0).mul(in(0)).add(param(1).mul(direction)), direction);
        Expr vel = param(3).mul(in(3)).add(param(4).mul(direction));
        HEAVY = ElementwiseKernel.of("dpmpp_2m_heavy_ball", 4, 5, param(0).mul(in(0)).add(param(1).mul(vel)), vel);
        Expr d10 = in(1).sub(in(2)).mul(param(3)), d11 = in(2).sub(in(3)).mul(param(4)), dd = d10.sub(d11);
        Expr d1 = d10.add(param(5).mul(dd)), d2 = param(6).mul(dd);
        DPM_3M = ElementwiseKernel.of("dpmpp_3m", 4, 8,
                param(0).mul(in(0)).add(param(1).mul(in(1))).add(param(2).mul(d1)).sub(param(7).mul(d2)));
    }

    /** The order of step {@code k} of {@code steps}: warm-up, and lower order final below 10 steps. */
    private static int order(int order, boolean lowerOrderFinal, int k, int steps) {
        int o = Math.min(order, k);
        return lowerOrderFinal && steps < 10 ? Math.min(o, steps + 1 - k) : o;
    }

    /**
     * The ODE step's coefficients from s to t with history λ: order 1 {@code {σ_t/σ_s, −α_tφ₁}}; order 2 adds
     * {@code −½α_tφ₁, 1/r₀}; order 3 {@code {σ_t/σ_s, −α_tφ₁, α_tφ₂, 1/r₀, 1/r₁, r₀/(r₀+r₁), 1/(r₀+r₁), α_tφ₃}}.
     */
    private static double[] ode(Run r, double s, double t, int o, double[] lam) {
        double h = r.lambda(t) - lam[0];
        double at = r.alpha(t), st = r.sigma(t), ss = r.sigma(s);
        double phi1 = Math.expm1(-h);
        if (o == 1) return new double[] {st / ss, -at * phi1};
        double r0 = (lam[0] - lam[1]) / h;
        if (o == 2) return new double[] {st / ss, -at * phi1, -0.5 * at * phi1, 1 / r0};
        double r1 = (lam[1] - lam[2]) / h;
        double phi2 = phi1 / h + 1, phi3 = phi2 / h - 0.5;
        return new double[] {st / ss, -at * phi1, at * phi2, 1 / r0, 1 / r1, r0 / (r0 + r1), 1 / (r0 + r1), at * phi3};
    }

    /** The SDE step's {@code {(σ_t/σ_s)e^{−h}, α_t(1−e^{−2h}), σ_t√(1−e^{−2h}), 1/r₀}}. */
    private static double[] sde(Run r, double s, double t, double[] lam) {
        double h = r.lambda(t) - lam[0];
        double at = r.alpha(t), st = r.sigma(t), ss = r.sigma(s);
        double e2h = -Math.expm1(-2 * h);
        return new double[] {st / ss * Math.exp(-h), at * e2h, st * Math.sqrt(e2h), 1 / ((lam[0] - lam[1]) / h)};
    }

    static double[] run(Run r, double[] x, double[] ts, int order, boolean lowerOrderFinal, Kind kind, double beta) {
        int steps = ts.length - 1;
        double[][] m = new double[3][];
        double[] lam = new double[3];
        m[0] = r.data(x, ts[0]);
        lam[0] = r.lambda(ts[0]);
        double[] vel = null;
        for (int k = 1; k <= steps; k++) {
            int o = order(order, lowerOrderFinal, k, steps);
            double s = ts[k - 1], t = ts[k];
            double lt = r.lambda(t), h = lt - lam[0];
            switch (kind) {
                case ODE -> {
                    double[] c = ode(r, s, t, o, lam);
                    if (o == 1) x = Run.lin(c[0], x, c[1], m[0]);
                    else if (o == 2) x = Run.lin(c[0], x, c[1], m[0], c[2], Run.diff(m[0], m[1], (lam[0] - lam[1]) / h));
                    else {
                        double[] d10 = Run.diff(m[0], m[1], (lam[0] - lam[1]) / h), d11 = Run.diff(m[1], m[2], (lam[1] - lam[2]) / h);
                        double[] o3 = new double[x.length];
                        for (int i = 0; i < o3.length; i++) {
                            double dd = d10[i] - d11[i];
                            double d1 = d10[i] + c[5] * dd, d2 = c[6] * dd;
                            o3[i] = c[0] * x[i] + c[1] * m[0][i] + c[2] * d1 - c[7] * d2;
                        }
                        x = o3;
                    }
                }
                case SDE -> {
                    double[] c = sde(r, s, t, lam);
                    double[] z = r.normal(k);
                    double[] d1 = o >= 2 ? Run.diff(m[0], m[1], (lam[0] - lam[1]) / h) : null;
                    double[] o2 = new double[x.length];
                    for (int i = 0; i < o2.length; i++)
                        o2[i] = c[0] * x[i] + c[1] * (m[0][i] + (d1 == null ? 0 : 0.5 * d1[i])) + c[2] * z[i];
                    x = o2;
                }
                case HEAVY_BALL -> {
                    double[] c = ode(r, s, t, 1, lam);
                    if (k == 1) x = Run.lin(c[0], x, c[1], m[0]);
                    else {
                        double[] d1 = Run.diff(m[0], m[1], (lam[0] - lam[1]) / h);
                        double[] diff = Run.lin(1, m[0], 0.5, d1);
                        vel = vel == null ? diff : Run.lin(1 - beta, vel, beta, diff);
                        x = Run.lin(c[0], x, c[1], vel);
                    }
                }
            }
            if (k < steps) {
                m[2] = m[1];
                m[1] = m[0];
                lam[2] = lam[1];
                lam[1] = lam[0];
                m[0] = r.data(x, t);
                lam[0] = lt;
            }
        }
        return x;
    }

    /**
     * {@link #run} on a device: the state, the three newest outputs (and the heavy ball's velocity) stay in device
     * buffers, each step is one fused kernel ({@link #DPM_2M} etc.) written to the state in place,
     * each evaluation one model kernel into the oldest output's buffer. Same coefficients, same bits per step.
     */
    static double[] onDevice(DeviceRun d, double[] x0, double[] ts, int order, boolean lowerOrderFinal, Kind kind, double beta) {
        Run r = d.run;
        int steps = ts.length - 1;
        Buffer x = d.upload(x0);
        Buffer[] m = {d.allocate(), d.allocate(), order >= 3 ? d.allocate() : null};
        Buffer vel = kind == Kind.HEAVY_BALL ? d.allocate() : null;
        double[] lam = new double[3];
        d.predict(x, ts[0], m[0]);
        lam[0] = r.lambda(ts[0]);
        for (int k = 1; k <= steps; k++) {
            int o = order(order, lowerOrderFinal, k, steps);
            double s = ts[k - 1], t = ts[k];
            if (kind == Kind.HEAVY_BALL) {
                double[] c = ode(r, s, t, 1, lam);
                double ir = 1 / ((lam[0] - lam[1]) / (r.lambda(t) - lam[0]));
                if (k == 1) d.combine(DeviceRun.LIN2, x, c, x, m[0]);
                else if (k == 2) d.combine(HEAVY_FIRST, List.of(x, vel), new double[] {c[0], c[1], ir}, x, m[0], m[1]);
                else d.combine(HEAVY, List.of(x, vel), new double[] {c[0], c[1], ir, 1 - beta, beta}, x, m[0], m[1], vel);
            } else if (kind == Kind.ODE) {
                double[] c = ode(r, s, t, o, lam);
                switch (o) {
                    case 1 -> d.combine(DeviceRun.LIN2, x, c, x, m[0]);
                    case 2 -> d.combine(DPM_2M, x, c, x, m[0], m[1]);
                    default -> d.combine(DPM_3M, x, c, x, m[0], m[1], m[2]);
                }
            } else if (o >= 2) d.combineWithNoise(SDE_2, x, sde(r, s, t, lam), k, x, m[0], m[1]);
            else d.combineWithNoise(SDE_1, x, java.util.Arrays.copyOf(sde(r, s, t, lam), 3), k, x, m[0]);
            if (k < steps) {
                Buffer oldest = m[2] != null ? m[2] : m[1];
                m[2] = m[2] != null ? m[1] : null;
                m[1] = m[0];
                m[0] = oldest;
                lam[2] = lam[1];
                lam[1] = lam[0];
                d.predict(x, t, m[0]);
                lam[0] = r.lambda(t);
            }
        }
        return d.download(x);
    }
}
