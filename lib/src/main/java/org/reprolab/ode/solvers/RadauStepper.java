package org.reprolab.ode.solvers;

/**
 * The three-stage Radau IIA step of order 5 over {@code double[]} (Hairer and Wanner, <i>Solving ODEs II</i>,
 * §IV.8; {@code radau5.f}), written after scipy's {@code _ivp/radau.py}, which the tests compare it with.
 *
 * <p>The collocation system for the stage increments {@code Z = (z_1, z_2, z_3)}, {@code z_i ≈ y(t + c_i h) − y},
 * is solved by simplified Newton iterations in the coordinates {@code W = T⁻¹Z} that diagonalise the Radau
 * matrix: one real n×n system with {@code μ_r/h·I − J} and one complex one with {@code μ_c/h·I − J} (solved here as
 * the equivalent real 2n×2n system). Newton starts from the last step's collocation polynomial, stops when the
 * contraction rate predicts convergence within the tolerance {@code max(10·eps/rtol, min(0.03, √rtol))}, and gives
 * up when it diverges or cannot converge in 6 iterations: the attempt then returns an infinite error so that the
 * driver shrinks the step, after first retrying once with a fresh Jacobian if the current one is stale.
 *
 * <p>Error estimate: {@code (μ_r/h·I − J)⁻¹ (f(t, y) + Σ e_i z_i / h)}, refined by one more evaluation of f when
 * the previous attempt from the same point was rejected (Hairer and Wanner, §IV.8, eq. (8.20)). The Jacobian is
 * kept between steps and recomputed after a step whose Newton iteration converged slowly (more than 2 iterations
 * and rate above 1e-3); the two LU factorisations are kept while h does not change. Dense output: the
 * collocation polynomial {@code y_0 + Σ_j q_j θ^j}, {@code θ = (t − t_0)/h}.
 *
 * <p>Step control is the driver's ({@code StepController.Predictive} by default, the predictive rule of
 * {@code radau5.f} and scipy); unlike scipy, the safety factor does not shrink with the Newton iteration count.
 */
final class RadauStepper implements Stepper<double[]> {
    private static final double S6 = Math.sqrt(6);
    private static final double[] C = {(4 - S6) / 10, (4 + S6) / 10, 1};
    private static final double[] E = {(-13 - 7 * S6) / 3, (-13 + 7 * S6) / 3, -1.0 / 3};
    private static final double MU_REAL = 3 + Math.cbrt(9) - Math.cbrt(3);
    private static final double MU_RE = 3 + 0.5 * (Math.cbrt(3) - Math.cbrt(9));
    private static final double MU_IM = -0.5 * (Math.pow(3, 5.0 / 6) + Math.pow(3, 7.0 / 6));
    /** Eigenvectors of the Radau matrix, A = T·diag(μ)·T⁻¹ (scipy's values). */
    private static final double[][] T = {
            {0.09443876248897524, -0.14125529502095421, 0.03002919410514742},
            {0.25021312296533332, 0.20412935229379994, -0.38294211275726192},
            {1, 1, 0}};
    private static final double[][] TI = {
            {4.17871859155190428, 0.32768282076106237, 0.52337644549944951},
            {-4.17871859155190428, -0.32768282076106237, 0.47662355450055044},
            {0.50287263494578682, -2.57192694985560522, 0.59603920482822492}};
    /** Z·P gives the coefficients of θ, θ², θ³ of the collocation polynomial. */
    private static final double[][] P = {
            {13.0 / 3 + 7 * S6 / 3, -23.0 / 3 - 22 * S6 / 3, 10.0 / 3 + 5 * S6},
            {13.0 / 3 - 7 * S6 / 3, -23.0 / 3 + 22 * S6 / 3, 10.0 / 3 - 5 * S6},
            {1.0 / 3, -8.0 / 3, 10.0 / 3}};
    private static final int NEWTON_MAXITER = 6;

    private final RadauIIA method;
    private final VectorField<double[]> f;
    private final Jacobian jac;
    private final Counters count;
    private final double rtol, atol, newtonTol;
    private final int n;
    private final Lu luReal, luComplex;
    private final double[][] z = new double[3][], w = new double[3][], fz = new double[3][], q = new double[3][];
    private final double[] f0, u, scale, rhsReal, rhsComplex, err, ze, yStart, yOld;
    private double hLu = Double.NaN, tOld = Double.NaN, hOld = Double.NaN, tAttempt, hAttempt;
    private boolean jacEvaluated, jacCurrent, retry, lastRejected;
    private int iterations;
    private double rate;

    RadauStepper(RadauIIA method, VectorField<double[]> f, JacobianFunction jacobian, int n, Counters count, double rtol,
                 double atol) {
        this.method = method;
        this.f = f;
        this.count = count;
        this.rtol = rtol;
        this.atol = atol;
        this.n = n;
        this.newtonTol = Math.max(10 * Math.ulp(1.0) / rtol, Math.min(0.03, Math.sqrt(rtol)));
        this.jac = new Jacobian(f, jacobian, n, count);
        this.luReal = new Lu(n);
        this.luComplex = new Lu(2 * n);
        for (int i = 0; i < 3; i++) {
            z[i] = new double[n];
            w[i] = new double[n];
            fz[i] = new double[n];
            q[i] = new double[n];
        }
        f0 = new double[n];
        u = new double[n];
        scale = new double[n];
        rhsReal = new double[n];
        rhsComplex = new double[2 * n];
        err = new double[n];
        ze = new double[n];
        yStart = new double[n];
        yOld = new double[n];
    }

    @Override public Solver method() { return method; }

    @Override
    public void start(double t0, double[] y0) {
        f.eval(t0, y0, f0);
        count.nfev++;
        jacEvaluated = false;
        tOld = Double.NaN;
    }

    @Override public double[] f() { return f0; }

    @Override
    public double attempt(double t, double[] y, double h, double[] yNew) {
        retry = lastRejected; // a second attempt from the same point after an error rejection
        if (!jacEvaluated) {
            jac.eval(t, y, f0);
            jacEvaluated = jacCurrent = true;
            hLu = Double.NaN;
        }
        System.arraycopy(y, 0, yStart, 0, n);
        tAttempt = t;
        hAttempt = h;
        for (int i = 0; i < n; i++) scale[i] = atol + rtol * Math.abs(y[i]);
        boolean converged;
        while (true) {
            if (h != hLu && !factor(h)) {
                lastRejected = false;
                return Double.POSITIVE_INFINITY;
            }
            predict(t, h);
            converged = newton(t, y, h);
            if (converged || jacCurrent) break;
            jac.eval(t, y, f0);
            jacCurrent = true;
            hLu = Double.NaN;
        }
        if (!converged) {
            hLu = Double.NaN;
            lastRejected = false;
            return Double.POSITIVE_INFINITY;
        }
        for (int i = 0; i < n; i++) yNew[i] = y[i] + z[2][i];
        for (int i = 0; i < n; i++) {
            err[i] = f0[i] + (E[0] * z[0][i] + E[1] * z[1][i] + E[2] * z[2][i]) / h;
            scale[i] = atol + rtol * Math.max(Math.abs(y[i]), Math.abs(yNew[i]));
        }
        for (int i = 0; i < n; i++) ze[i] = err[i] - f0[i];
        luReal.solve(err);
        double norm = rms(err, scale);
        if (retry && norm > 1) {
            for (int i = 0; i < n; i++) u[i] = y[i] + err[i];
            f.eval(t, u, err);
            count.nfev++;
            for (int i = 0; i < n; i++) err[i] += ze[i];
            luReal.solve(err);
            norm = rms(err, scale);
        }
        lastRejected = norm > 1;
        return norm;
    }

    /** Factorises μ_r/h·I − J and the real form of μ_c/h·I − J; false if either is singular. */
    private boolean factor(double h) {
        double[][] J = jac.J;
        double gr = MU_REAL / h, ar = MU_RE / h, ai = MU_IM / h;
        double[] a = luReal.a, b = luComplex.a;
        int m = 2 * n;
        for (int i = 0; i < n; i++)
            for (int j = 0; j < n; j++) {
                double d = i == j ? 1 : 0;
                a[i * n + j] = d * gr - J[i][j];
                double re = d * ar - J[i][j];
                b[i * m + j] = re;                 // [ Re  −Im ] [x]   [r]
                b[i * m + n + j] = -d * ai;        // [ Im   Re ] [y] = [s]
                b[(n + i) * m + j] = d * ai;
                b[(n + i) * m + n + j] = re;
            }
        count.nlu += 2;
        boolean ok = luReal.factor() && luComplex.factor();
        hLu = ok ? h : Double.NaN;
        return ok;
    }

    /** The starting guess: the last step's collocation polynomial at the new stage times, or zero. */
    private void predict(double t, double h) {
        for (int s = 0; s < 3; s++) {
            if (Double.isNaN(tOld)) {
                java.util.Arrays.fill(z[s], 0);
                continue;
            }
            double x = (t + h * C[s] - tOld) / hOld;
            for (int i = 0; i < n; i++)
                z[s][i] = yOld[i] + x * (q[0][i] + x * (q[1][i] + x * q[2][i])) - yStart[i];
        }
        for (int s = 0; s < 3; s++)
            for (int i = 0; i < n; i++) w[s][i] = TI[s][0] * z[0][i] + TI[s][1] * z[1][i] + TI[s][2] * z[2][i];
    }

    /** Simplified Newton on the transformed collocation system (scipy's {@code solve_collocation_system}). */
    private boolean newton(double t, double[] y, double h) {
        double gr = MU_REAL / h, ar = MU_RE / h, ai = MU_IM / h;
        double normOld = Double.NaN;
        rate = Double.NaN;
        for (int k = 0; k < NEWTON_MAXITER; k++) {
            iterations = k + 1;
            for (int s = 0; s < 3; s++) {
                for (int i = 0; i < n; i++) u[i] = y[i] + z[s][i];
                f.eval(t + C[s] * h, u, fz[s]);
                count.nfev++;
            }
            for (int i = 0; i < n; i++) {
                double f1 = fz[0][i], f2 = fz[1][i], f3 = fz[2][i];
                if (!Double.isFinite(f1) || !Double.isFinite(f2) || !Double.isFinite(f3)) return false;
                rhsReal[i] = TI[0][0] * f1 + TI[0][1] * f2 + TI[0][2] * f3 - gr * w[0][i];
                double re = TI[1][0] * f1 + TI[1][1] * f2 + TI[1][2] * f3, im = TI[2][0] * f1 + TI[2][1] * f2 + TI[2][2] * f3;
                rhsComplex[i] = re - (ar * w[1][i] - ai * w[2][i]);
                rhsComplex[n + i] = im - (ar * w[2][i] + ai * w[1][i]);
            }
            luReal.solve(rhsReal);
            luComplex.solve(rhsComplex);
            double sum = 0;
            for (int i = 0; i < n; i++) {
                double a = rhsReal[i] / scale[i], b = rhsComplex[i] / scale[i], c = rhsComplex[n + i] / scale[i];
                sum += a * a + b * b + c * c;
            }
            double norm = Math.sqrt(sum / (3 * n));
            if (!Double.isNaN(normOld)) rate = norm / normOld;
            if (!Double.isNaN(rate) && (rate >= 1 || Math.pow(rate, NEWTON_MAXITER - k) / (1 - rate) * norm > newtonTol))
                return false;
            for (int i = 0; i < n; i++) {
                w[0][i] += rhsReal[i];
                w[1][i] += rhsComplex[i];
                w[2][i] += rhsComplex[n + i];
            }
            for (int s = 0; s < 3; s++)
                for (int i = 0; i < n; i++) z[s][i] = T[s][0] * w[0][i] + T[s][1] * w[1][i] + T[s][2] * w[2][i];
            if (norm == 0 || (!Double.isNaN(rate) && rate / (1 - rate) * norm < newtonTol)) return true;
            normOld = norm;
        }
        return false;
    }

    private static double rms(double[] v, double[] scale) {
        double s = 0;
        for (int i = 0; i < v.length; i++) {
            double r = v[i] / scale[i];
            s += r * r;
        }
        return Math.sqrt(s / v.length);
    }

    @Override public double hLambda() { return Double.NaN; }

    @Override public double stiffnessBoundary() { return Double.NaN; }

    /** The collocation polynomial of the last attempt. */
    @Override
    public Interpolant<double[]> interpolant(double t0, double[] y0, double t1, double[] y1, boolean keep) {
        double[][] qq = new double[3][n];
        polynomial(qq);
        double[] a0 = y0.clone();
        double h = t1 - t0;
        return new Interpolant<>() {
            public double t0() { return t0; }
            public double t1() { return t1; }
            public void eval(double t, double[] out) {
                double x = (t - t0) / h;
                for (int i = 0; i < n; i++) out[i] = a0[i] + x * (qq[0][i] + x * (qq[1][i] + x * qq[2][i]));
            }
        };
    }

    private void polynomial(double[][] out) {
        for (int j = 0; j < 3; j++)
            for (int i = 0; i < n; i++) out[j][i] = z[0][i] * P[0][j] + z[1][i] * P[1][j] + z[2][i] * P[2][j];
    }

    @Override
    public void accept(double tNew, double[] yNew) {
        polynomial(q);
        System.arraycopy(yStart, 0, yOld, 0, n);
        tOld = tAttempt;
        hOld = hAttempt;
        f.eval(tNew, yNew, f0);
        count.nfev++;
        lastRejected = false;
        if (iterations > 2 && rate > 1e-3) {
            jac.eval(tNew, yNew, f0);
            jacCurrent = true;
            hLu = Double.NaN;
        } else {
            jacCurrent = false;
        }
    }
}
