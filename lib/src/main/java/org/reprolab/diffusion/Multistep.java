package org.reprolab.diffusion;

/**
 * Multistep exponential integrators with data prediction (Lu et al. 2022b, "DPM-Solver++",
 * {@code LuChengTHU/dpm-solver dpm_solver_pytorch.py multistep_dpm_solver_*_update}): 1st, 2M, 3M, the SDE
 * variant of 2M (diffusers {@code sde-dpmsolver++}) and 2M with heavy-ball momentum. The history holds the
 * newest model outputs m₀, m₁, m₂ and their λ.
 */
final class Multistep {
    private Multistep() {}

    enum Kind { ODE, SDE, HEAVY_BALL }

    static double[] run(Run r, double[] x, double[] ts, int order, boolean lowerOrderFinal, Kind kind, double beta) {
        int steps = ts.length - 1;
        double[][] m = new double[3][];
        double[] lam = new double[3];
        m[0] = r.data(x, ts[0]);
        lam[0] = r.lambda(ts[0]);
        double[] vel = null;
        for (int k = 1; k <= steps; k++) {
            int o = Math.min(order, k);
            if (lowerOrderFinal && steps < 10) o = Math.min(o, steps + 1 - k);
            double s = ts[k - 1], t = ts[k];
            double lt = r.lambda(t), h = lt - lam[0];
            double at = r.alpha(t), st = r.sigma(t), ss = r.sigma(s);
            double phi1 = Math.expm1(-h);
            switch (kind) {
                case ODE -> {
                    if (o == 1) x = Run.lin(st / ss, x, -at * phi1, m[0]);
                    else if (o == 2) {
                        double r0 = (lam[0] - lam[1]) / h;
                        double[] d1 = Run.diff(m[0], m[1], r0);
                        x = Run.lin(st / ss, x, -at * phi1, m[0], -0.5 * at * phi1, d1);
                    } else {
                        double r0 = (lam[0] - lam[1]) / h, r1 = (lam[1] - lam[2]) / h;
                        double[] d10 = Run.diff(m[0], m[1], r0), d11 = Run.diff(m[1], m[2], r1);
                        double phi2 = phi1 / h + 1, phi3 = phi2 / h - 0.5;
                        double c1 = r0 / (r0 + r1), c2 = 1 / (r0 + r1);
                        double[] o3 = new double[x.length];
                        double cx = st / ss, cm = -at * phi1;
                        for (int i = 0; i < o3.length; i++) {
                            double dd = d10[i] - d11[i];
                            double d1 = d10[i] + c1 * dd, d2 = c2 * dd;
                            o3[i] = cx * x[i] + cm * m[0][i] + at * phi2 * d1 - at * phi3 * d2;
                        }
                        x = o3;
                    }
                }
                case SDE -> {
                    double e2h = -Math.expm1(-2 * h);
                    double[] z = r.normal(k);
                    double cx = st / ss * Math.exp(-h), cm = at * e2h, cz = st * Math.sqrt(e2h);
                    double[] d1 = o >= 2 ? Run.diff(m[0], m[1], (lam[0] - lam[1]) / h) : null;
                    double[] o2 = new double[x.length];
                    for (int i = 0; i < o2.length; i++)
                        o2[i] = cx * x[i] + cm * (m[0][i] + (d1 == null ? 0 : 0.5 * d1[i])) + cz * z[i];
                    x = o2;
                }
                case HEAVY_BALL -> {
                    if (k == 1) x = Run.lin(st / ss, x, -at * phi1, m[0]);
                    else {
                        double[] d1 = Run.diff(m[0], m[1], (lam[0] - lam[1]) / h);
                        double[] diff = Run.lin(1, m[0], 0.5, d1);
                        vel = vel == null ? diff : Run.lin(1 - beta, vel, beta, diff);
                        x = Run.lin(st / ss, x, -at * phi1, vel);
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
}
