package org.reprolab.ode.solvers;

import java.lang.reflect.Array;

/**
 * The one explicit Runge–Kutta step for every {@link Tableau}, written once against {@link StateOps}
 * (following scipy {@code _ivp/rk.py} {@code rk_step} and Hairer's {@code dopri5.f}/{@code dop853.f}):
 * stages, solution, the end-point evaluation (reused as the next step's first stage), the embedded error
 * norm (Hairer's blended 5th/3rd-order norm when the tableau has {@code e3}), Hairer's stiffness estimate
 * {@code hλ = |h|·‖k_s − k_{s−1}‖ / ‖y1 − g_{s−1}‖} (<i>Solving ODEs II</i>, §IV.2) and the dense output.
 */
final class ExplicitRk<S> implements Stepper<S> {
    private final Tableau tab;
    private final VectorField<S> f;
    private final StateOps<S> ops;
    private final Counters count;
    private final double rtol, atol;
    private final int s, n;
    private final S[] k;
    private final S stage, gLast;
    private final boolean stiffTest;
    private double hLambda = Double.NaN;
    private final double[] norms = new double[4];
    // DOP853 dense output buffers
    private final S[] fBuf;
    private final boolean dop853;

    ExplicitRk(Tableau tab, VectorField<S> f, StateOps<S> ops, S proto, Counters count, double rtol, double atol) {
        this.tab = tab;
        this.f = f;
        this.ops = ops;
        this.count = count;
        this.rtol = rtol;
        this.atol = atol;
        this.s = tab.stages();
        this.n = ops.size(proto);
        this.dop853 = tab.interpolation() instanceof Interpolation.Dop853;
        this.k = newArray(ops, proto, dop853 ? Dop853Coefficients.A.length : s + 1);
        this.stage = ops.like(proto);
        this.stiffTest = !Double.isNaN(tab.stiffnessBoundary()) && s >= 2 && tab.c()[s - 1] == 1.0;
        this.gLast = stiffTest ? ops.like(proto) : stage;
        this.fBuf = dop853 ? newArray(ops, proto, 7) : null;
    }

    @SuppressWarnings("unchecked")
    static <S> S[] newArray(StateOps<S> ops, S proto, int len) {
        S[] a = (S[]) Array.newInstance(proto.getClass(), len);
        for (int i = 0; i < len; i++) a[i] = ops.like(proto);
        return a;
    }

    @Override public Solver method() { return tab; }

    @Override
    public void start(double t0, S y0) {
        f.eval(t0, y0, k[0]);
        count.nfev++;
    }

    @Override public S f() { return k[0]; }

    @Override
    public double attempt(double t, S y, double h, S yNew) {
        double[] c = tab.c();
        double[][] a = tab.a();
        for (int i = 1; i < s; i++) {
            S g = i == s - 1 ? gLast : stage;
            ops.combine(g, y, h, a[i], k, i);
            f.eval(t + c[i] * h, g, k[i]);
        }
        ops.combine(yNew, y, h, tab.b(), k, s);
        f.eval(t + h, yNew, k[s]);
        count.nfev += s;
        double[] e = tab.e();
        if (!stiffTest && e == null) return 0;
        double[] r = norms;
        ops.attemptNorms(yNew, stiffTest ? gLast : null, k[s], k[s - 1], e, tab.e3(), k, s + 1, y, atol, rtol, r);
        if (stiffTest) hLambda = r[0] > 0 ? Math.abs(h) * r[1] / r[0] : 0;
        return e == null ? 0 : errorNorm(h, r[2], r[3], n);
    }

    /**
     * The embedded error norm from the scaled sums of squares: {@code |h|·√(s5/n)}, or with a second
     * estimate s3 (DOP853) Hairer's blend {@code |h|·s5/√((s5 + 0.01·s3)·n)}. {@code TensorOps} writes the
     * same formula over tensors for the differentiable estimate.
     */
    static double errorNorm(double h, double s5, double s3, int n) {
        if (Double.isNaN(s3)) return Math.abs(h) * Math.sqrt(s5 / n);
        if (s5 == 0 && s3 == 0) return 0;
        return Math.abs(h) * s5 / Math.sqrt((s5 + 0.01 * s3) * n);
    }

    @Override public double hLambda() { return hLambda; }

    @Override public double stiffnessBoundary() { return stiffTest ? tab.stiffnessBoundary() : Double.NaN; }

    @Override
    public void accept(double tNew, S yNew) {
        S tmp = k[0];
        k[0] = k[s];
        k[s] = tmp;
    }

    private S keep(S x, boolean keep) {
        if (!keep) return x;
        S c = ops.like(x);
        ops.copy(x, c);
        return c;
    }

    @Override
    public Interpolant<S> interpolant(double t, S y, double tNew, S yNew, boolean keep) {
        double h = tNew - t;
        return switch (tab.interpolation()) {
            case Interpolation.Hermite ignored -> hermite(t, h, keep(y, keep), keep(yNew, keep), keep(k[0], keep), keep(k[s], keep));
            case Interpolation.StageWeights sw -> stageWeights(t, h, keep(y, keep), sw.p(), keepAll(keep));
            case Interpolation.Dop853 ignored -> dop853(t, h, y, yNew, keep);
        };
    }

    private S[] keepAll(boolean keep) {
        if (!keep) return k;
        S[] c = newArray(ops, k[0], s + 1);
        for (int i = 0; i <= s; i++) ops.copy(k[i], c[i]);
        return c;
    }

    private Interpolant<S> hermite(double t0, double h, S y0, S y1, S f0, S f1) {
        StateOps<S> o = ops;
        S[] v = newArray0(y0, 4);
        v[0] = y0; v[1] = f0; v[2] = y1; v[3] = f1;
        return new Interpolant<>() {
            public double t0() { return t0; }
            public double t1() { return t0 + h; }
            public void eval(double t, S out) {
                double th = (t - t0) / h, u = 1 - th;
                double[] w = {(1 + 2 * th) * u * u, h * th * u * u, th * th * (3 - 2 * th), h * th * th * (th - 1)};
                o.lincomb(out, w, v, 4);
            }
        };
    }

    private Interpolant<S> stageWeights(double t0, double h, S y0, double[][] p, S[] ks) {
        StateOps<S> o = ops;
        int m = p.length;
        return new Interpolant<>() {
            public double t0() { return t0; }
            public double t1() { return t0 + h; }
            public void eval(double t, S out) {
                double th = (t - t0) / h;
                double[] w = new double[m];
                for (int j = 0; j < m; j++) {
                    double acc = 0, pw = th;
                    for (double pq : p[j]) {
                        acc += pq * pw;
                        pw *= th;
                    }
                    w[j] = acc;
                }
                o.combine(out, y0, h, w, ks, m);
            }
        };
    }

    /** Hairer's DOP853 dense output, as scipy {@code DOP853._dense_output_impl} and {@code Dop853DenseOutput}. */
    private Interpolant<S> dop853(double t0, double h, S y0, S y1, boolean keep) {
        double[] cx = Dop853Coefficients.C;
        double[][] ax = Dop853Coefficients.A;
        for (int i = s + 1; i < k.length; i++) {
            ops.combine(stage, y0, h, ax[i], k, i);
            f.eval(t0 + cx[i] * h, stage, k[i]);
            count.nfev++;
        }
        S[] fb = keep ? newArray(ops, y0, 7) : fBuf;
        ops.lincomb(fb[0], new double[]{1, -1}, pair(y1, y0), 2);
        S[] v3 = newArray0(y0, 3);
        v3[0] = k[0]; v3[1] = y1; v3[2] = y0;
        ops.lincomb(fb[1], new double[]{h, -1, 1}, v3, 3);
        S[] v4 = newArray0(y0, 4);
        v4[0] = y1; v4[1] = y0; v4[2] = k[s]; v4[3] = k[0];
        ops.lincomb(fb[2], new double[]{2, -2, -h, -h}, v4, 4);
        double[][] d = Dop853Coefficients.D;
        for (int q = 0; q < d.length; q++) {
            double[] w = new double[k.length];
            for (int j = 0; j < w.length; j++) w[j] = h * d[q][j];
            ops.lincomb(fb[3 + q], w, k, k.length);
        }
        S base = keep(y0, keep);
        StateOps<S> o = ops;
        return new Interpolant<>() {
            public double t0() { return t0; }
            public double t1() { return t0 + h; }
            public void eval(double t, S out) {
                double x = (t - t0) / h;
                // scipy: for i, f in enumerate(reversed(F)): y += f; y *= x if i even else (1 - x)
                double[] w = new double[7];
                double prod = 1;
                for (int i = 6; i >= 0; i--) {
                    prod *= (i % 2 == 0) ? x : 1 - x;
                    w[6 - i] = prod;
                }
                o.combine(out, base, 1.0, w, fb, 7);
            }
        };
    }

    private S[] pair(S a, S b) {
        S[] v = newArray0(a, 2);
        v[0] = a;
        v[1] = b;
        return v;
    }

    @SuppressWarnings("unchecked")
    static <S> S[] newArray0(S proto, int len) {
        return (S[]) Array.newInstance(proto.getClass(), len);
    }
}
