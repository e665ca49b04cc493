package org.reprolab.ode.solvers;

/**
 * The Rosenbrock step over {@code double[]} (see {@link RosenbrockTableau} for the formulas). One Jacobian
 * per accepted point (reused when a step is rejected and retried from the same point), one LU per attempt,
 * s − 1 evaluations of f per attempt plus one at each accepted point. ∂f/∂t by a forward difference unless the
 * system is declared autonomous. A Jacobian from forward differences if none is given
 * (Hairer and Wanner, <i>Solving ODEs II</i>, §IV.7 and §IV.8).
 */
final class RosenbrockStepper implements Stepper<double[]> {
    private final RosenbrockTableau tab;
    private final VectorField<double[]> f;
    private final Jacobian jac;
    private final boolean autonomous;
    private final Counters count;
    private final double rtol, atol;
    private final int n, s;
    private final double[][] k;
    private final double[] f0, dT, u, rhs, tmp;
    private final Lu lu;
    private boolean jacFresh;

    RosenbrockStepper(RosenbrockTableau tab, VectorField<double[]> f, JacobianFunction jac, boolean autonomous, int n,
                      Counters count, double rtol, double atol) {
        this.tab = tab;
        this.f = f;
        this.jac = new Jacobian(f, jac, n, count);
        this.autonomous = autonomous;
        this.count = count;
        this.rtol = rtol;
        this.atol = atol;
        this.n = n;
        this.s = tab.stages();
        this.k = new double[s][n];
        this.f0 = new double[n];
        this.dT = new double[n];
        this.u = new double[n];
        this.rhs = new double[n];
        this.tmp = new double[n];
        this.lu = new Lu(n);
    }

    @Override public Solver method() { return tab; }

    @Override
    public void start(double t0, double[] y0) {
        f.eval(t0, y0, f0);
        count.nfev++;
        jacFresh = false;
    }

    @Override public double[] f() { return f0; }

    private void jacobian(double t, double[] y) {
        jac.eval(t, y, f0);
        if (autonomous) {
            java.util.Arrays.fill(dT, 0);
        } else {
            double d = Math.sqrt(Math.ulp(1.0)) * Math.max(1e-5, Math.abs(t));
            f.eval(t + d, y, tmp);
            count.nfev++;
            for (int i = 0; i < n; i++) dT[i] = (tmp[i] - f0[i]) / d;
        }
        jacFresh = true;
    }

    @Override
    public double attempt(double t, double[] y, double h, double[] yNew) {
        if (!jacFresh) jacobian(t, y);
        double g = 1 / (h * tab.gamma());
        double[] a = lu.a;
        double[][] J = jac.J;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) a[i * n + j] = (i == j ? g : 0) - J[i][j];
        count.nlu++;
        if (!lu.factor()) return Double.POSITIVE_INFINITY;
        double[] c = tab.c(), d = tab.d();
        double[][] A = tab.a(), C = tab.cc();
        for (int i = 0; i < n; i++) k[0][i] = f0[i] + h * d[0] * dT[i];
        lu.solve(k[0]);
        for (int st = 1; st < s; st++) {
            double[] ai = A[st], ci = C[st];
            for (int i = 0; i < n; i++) {
                double ui = y[i], ri = 0;
                for (int j = 0; j < st; j++) {
                    ui += ai[j] * k[j][i];
                    ri += ci[j] * k[j][i];
                }
                u[i] = ui;
                rhs[i] = ri / h + h * d[st] * dT[i];
            }
            f.eval(t + c[st] * h, u, k[st]);
            count.nfev++;
            double[] ks = k[st];
            for (int i = 0; i < n; i++) ks[i] += rhs[i];
            lu.solve(ks);
        }
        double err = 0;
        double[] kl = k[s - 1];
        for (int i = 0; i < n; i++) {
            yNew[i] = u[i] + kl[i];
            double sc = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
            double r = kl[i] / sc;
            err += r * r;
        }
        return Math.sqrt(err / n);
    }

    @Override public double hLambda() { return Double.NaN; }

    @Override public double stiffnessBoundary() { return Double.NaN; }

    @Override
    public Interpolant<double[]> interpolant(double t0, double[] y0, double t1, double[] y1, boolean keep) {
        double[][] hh = tab.h();
        double[] h1 = new double[n], h2 = new double[n];
        for (int j = 0; j < s; j++) {
            double w1 = hh[0][j], w2 = hh[1][j];
            for (int i = 0; i < n; i++) {
                h1[i] += w1 * k[j][i];
                h2[i] += w2 * k[j][i];
            }
        }
        double[] a0 = y0.clone(), a1 = y1.clone();
        return new Interpolant<>() {
            public double t0() { return t0; }
            public double t1() { return t1; }
            public void eval(double t, double[] out) {
                double th = (t - t0) / (t1 - t0), om = 1 - th;
                for (int i = 0; i < n; i++) out[i] = om * a0[i] + th * (a1[i] + om * (h1[i] + th * h2[i]));
            }
        };
    }

    @Override
    public void accept(double tNew, double[] yNew) {
        f.eval(tNew, yNew, f0);
        count.nfev++;
        jacFresh = false;
    }
}
