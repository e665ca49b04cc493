package org.reprolab.ode;

import java.util.List;
import org.reprolab.ode.solvers.JacobianFunction;
import org.reprolab.ode.solvers.OdeSystem;

/**
 * The standard test problems of the scipy baseline (the same definitions as {@code bench/ode_scipy.py}):
 * exponential decay and the harmonic oscillator (closed forms), Lotka–Volterra, Van der Pol (μ = 1 and the stiff
 * μ = 1000), Robertson's stiff chemical kinetics, the Brusselator, the Arenstorf orbit, Kepler (e = 0.5) and
 * the 7-body Pleiades problem (Hairer, Nørsett and Wanner, <i>Solving ODEs I</i>, §II.10; <i>II</i>, §IV.1).
 */
public final class OdeProblems {
    private OdeProblems() {}

    /** A test problem; {@code jac} is its analytic Jacobian (null if not given). All are autonomous. */
    public record Problem(String name, OdeSystem f, JacobianFunction jac, double t0, double t1, double[] y0, boolean stiff) {
        public double[] y0() {
            return y0.clone();
        }

        /** The problem to solve, with its Jacobian (for the Rosenbrock solvers) and declared autonomous. */
        public OdeProblem<double[]> problem() {
            return OdeProblem.of(f, t0, t1, y0).jacobian(jac, true);
        }
    }

    /**
     * The error measure of the scipy comparisons and benchmarks: max-norm error of y against ref, relative to
     * max |ref|.
     */
    public static double relativeError(double[] y, double[] ref) {
        double e = 0, m = 0;
        for (int i = 0; i < y.length; i++) {
            e = Math.max(e, Math.abs(y[i] - ref[i]));
            m = Math.max(m, Math.abs(ref[i]));
        }
        return e / m;
    }

    public static Problem expDecay() {
        return new Problem("exp_decay", (t, y, d) -> { for (int i = 0; i < y.length; i++) d[i] = -0.5 * y[i]; },
                (t, y, j) -> { for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) j[i][k] = i == k ? -0.5 : 0; },
                0, 10, new double[]{2, 4, 8}, false);
    }

    public static Problem harmonic() {
        return new Problem("harmonic", (t, y, d) -> { d[0] = y[1]; d[1] = -y[0]; },
                (t, y, j) -> { j[0][0] = 0; j[0][1] = 1; j[1][0] = -1; j[1][1] = 0; },
                0, 10, new double[]{1, 0}, false);
    }

    public static Problem lotkaVolterra() {
        return new Problem("lotka_volterra", (t, y, d) -> {
            d[0] = 1.5 * y[0] - y[0] * y[1];
            d[1] = -3 * y[1] + y[0] * y[1];
        }, (t, y, j) -> {
            j[0][0] = 1.5 - y[1]; j[0][1] = -y[0];
            j[1][0] = y[1]; j[1][1] = -3 + y[0];
        }, 0, 15, new double[]{10, 5}, false);
    }

    public static Problem vanDerPol(double mu) {
        double t1 = mu == 1 ? 20 : 3000;
        return new Problem(mu == 1 ? "vdp_mu1" : "vdp_mu" + (long) mu, (t, y, d) -> {
            d[0] = y[1];
            d[1] = mu * (1 - y[0] * y[0]) * y[1] - y[0];
        }, (t, y, j) -> {
            j[0][0] = 0; j[0][1] = 1;
            j[1][0] = -2 * mu * y[0] * y[1] - 1; j[1][1] = mu * (1 - y[0] * y[0]);
        }, 0, t1, new double[]{2, 0}, mu > 100);
    }

    public static Problem robertson() {
        return new Problem("robertson", (t, y, d) -> {
            d[0] = -0.04 * y[0] + 1e4 * y[1] * y[2];
            d[1] = 0.04 * y[0] - 1e4 * y[1] * y[2] - 3e7 * y[1] * y[1];
            d[2] = 3e7 * y[1] * y[1];
        }, (t, y, j) -> {
            j[0][0] = -0.04; j[0][1] = 1e4 * y[2]; j[0][2] = 1e4 * y[1];
            j[1][0] = 0.04; j[1][1] = -1e4 * y[2] - 6e7 * y[1]; j[1][2] = -1e4 * y[1];
            j[2][0] = 0; j[2][1] = 6e7 * y[1]; j[2][2] = 0;
        }, 0, 1e5, new double[]{1, 0, 0}, true);
    }

    public static Problem brusselator() {
        return new Problem("brusselator", (t, y, d) -> {
            d[0] = 1 + y[0] * y[0] * y[1] - 4 * y[0];
            d[1] = 3 * y[0] - y[0] * y[0] * y[1];
        }, (t, y, j) -> {
            j[0][0] = 2 * y[0] * y[1] - 4; j[0][1] = y[0] * y[0];
            j[1][0] = 3 - 2 * y[0] * y[1]; j[1][1] = -y[0] * y[0];
        }, 0, 20, new double[]{1.5, 3}, false);
    }

    /** The Arenstorf orbit over one period (Hairer I, §II.0). */
    public static Problem arenstorf() {
        double mu = 0.012277471, mp = 1 - mu;
        return new Problem("arenstorf", (t, y, d) -> {
            double a = y[0] + mu, b = y[0] - mp;
            double d1 = Math.pow(a * a + y[1] * y[1], 1.5), d2 = Math.pow(b * b + y[1] * y[1], 1.5);
            d[0] = y[2];
            d[1] = y[3];
            d[2] = y[0] + 2 * y[3] - mp * a / d1 - mu * b / d2;
            d[3] = y[1] - 2 * y[2] - mp * y[1] / d1 - mu * y[1] / d2;
        }, null, 0, 17.0652165601579625588917206249, new double[]{0.994, 0, 0, -2.00158510637908252240537862224}, false);
    }

    public static Problem kepler() {
        double e = 0.5;
        return new Problem("kepler", (t, y, d) -> {
            double r2 = y[0] * y[0] + y[1] * y[1], r3 = r2 * Math.sqrt(r2);
            d[0] = y[2];
            d[1] = y[3];
            d[2] = -y[0] / r3;
            d[3] = -y[1] / r3;
        }, null, 0, 20, new double[]{1 - e, 0, 0, Math.sqrt((1 + e) / (1 - e))}, false);
    }

    /** Seven bodies with masses 1..7 (Hairer I, §II.10): state (x[7], y[7], vx[7], vy[7]). */
    public static Problem pleiades() {
        double[] y0 = {3, 3, -1, -3, 2, -2, 2, 3, -3, 2, 0, 0, -4, 4, 0, 0, 0, 0, 0, 1.75, -1.5, 0, 0, 0, -1.25, 1, 0, 0};
        return new Problem("pleiades", (t, y, d) -> {
            for (int i = 0; i < 7; i++) {
                d[i] = y[14 + i];
                d[7 + i] = y[21 + i];
                double ax = 0, ay = 0;
                for (int j = 0; j < 7; j++) {
                    if (j == i) continue;
                    double dx = y[j] - y[i], dy = y[7 + j] - y[7 + i];
                    double r2 = dx * dx + dy * dy, r3 = r2 * Math.sqrt(r2);
                    ax += (j + 1) * dx / r3;
                    ay += (j + 1) * dy / r3;
                }
                d[14 + i] = ax;
                d[21 + i] = ay;
            }
        }, null, 0, 3, y0, false);
    }

    /** The ten problems, in the order of the scipy baseline. */
    public static List<Problem> all() {
        return List.of(expDecay(), harmonic(), lotkaVolterra(), vanDerPol(1), vanDerPol(1000), robertson(),
                brusselator(), arenstorf(), kepler(), pleiades());
    }
}
