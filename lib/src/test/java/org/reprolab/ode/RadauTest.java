package org.reprolab.ode;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.JacobianFunction;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.Solvers;

/**
 * Radau IIA order 5 ({@code Solvers.radau5()}) against a closed form (a stiff linear system) and side by side with
 * scipy's {@code Radau}, of which it is a port, run now ({@code bench/ode_scipy.py stiff RTOL}) on Van der Pol
 * μ = 1000 and Robertson at rtol 1e-3, 1e-6 and 1e-9 (atol = rtol·1e-3).
 */
class RadauTest {

    /** y' = A y with A = Q diag(−1, −100, −10⁴) Qᵀ, Q a rotation: stiffness ratio 10⁴, closed form Q e^{Dt} Qᵀ y0. */
    static final double[] LAMBDA = {-1, -100, -1e4};
    static final double[][] Q = rotation();

    static double[][] rotation() {
        double a = 0.3, b = 1.1; // rotation about z by a, then about x by b
        double[][] rz = {{Math.cos(a), -Math.sin(a), 0}, {Math.sin(a), Math.cos(a), 0}, {0, 0, 1}};
        double[][] rx = {{1, 0, 0}, {0, Math.cos(b), -Math.sin(b)}, {0, Math.sin(b), Math.cos(b)}};
        double[][] q = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) q[i][j] += rx[i][k] * rz[k][j];
        return q;
    }

    static double[][] matrix() {
        double[][] a = new double[3][3];
        for (int i = 0; i < 3; i++) for (int j = 0; j < 3; j++) for (int k = 0; k < 3; k++) a[i][j] += Q[i][k] * LAMBDA[k] * Q[j][k];
        return a;
    }

    static double[] exact(double t, double[] y0) {
        double[] c = new double[3], y = new double[3];
        for (int k = 0; k < 3; k++) for (int i = 0; i < 3; i++) c[k] += Q[i][k] * y0[i];
        for (int i = 0; i < 3; i++) for (int k = 0; k < 3; k++) y[i] += Q[i][k] * Math.exp(LAMBDA[k] * t) * c[k];
        return y;
    }

    static final double[] Y0 = {1, 2, -1};

    static OdeProblem<double[]> linear(boolean analyticJacobian) {
        double[][] a = matrix();
        OdeSystem f = (t, y, d) -> { for (int i = 0; i < 3; i++) d[i] = a[i][0] * y[0] + a[i][1] * y[1] + a[i][2] * y[2]; };
        JacobianFunction jac = (t, y, j) -> { for (int i = 0; i < 3; i++) System.arraycopy(a[i], 0, j[i], 0, 3); };
        return OdeProblem.of(f, 0, 2, Y0).jacobian(analyticJacobian ? jac : null, true);
    }

    @Test
    void stiffLinearSystemAgainstItsClosedForm() {
        double[] exact = exact(2, Y0);
        double previous = Double.POSITIVE_INFINITY;
        for (double rtol : new double[]{1e-3, 1e-6, 1e-9}) {
            Solution<double[]> s = Ode.solve(linear(true), Solvers.radau5(), Controllers.pid(rtol, rtol * 1e-3),
                    OdeOptions.defaults().dense(true));
            double e = ScipyComparisonTest.relErr(s.yEnd(), exact);
            assertTrue(e < 10 * rtol, "rtol " + rtol + " error " + e);
            assertTrue(e < previous / 30, "error must fall with rtol: " + e + " after " + previous);
            previous = e;
            // the step is not bounded by the fast mode: an explicit method needs ≥ 2·10⁴/3.3 ≈ 6000 steps for stability alone
            assertTrue(s.stats().naccept() < (rtol > 1e-4 ? 60 : 1000), "steps at rtol " + rtol + ": " + s.stats());
            for (double t : new double[]{0.01, 0.37, 1.5}) // dense output between steps, on the smooth part
                assertEquals(0, ScipyComparisonTest.relErr(s.y(t), exact(t, Y0)), 100 * rtol, "dense y(" + t + ") at rtol " + rtol);
        }
        // forward-difference Jacobian: same solution, n extra evaluations per Jacobian
        Solution<double[]> a = Ode.solve(linear(true), Solvers.radau5(), Controllers.pid(1e-6, 1e-9));
        Solution<double[]> d = Ode.solve(linear(false), Solvers.radau5(), Controllers.pid(1e-6, 1e-9));
        assertEquals(0, ScipyComparisonTest.relErr(d.yEnd(), a.yEnd()), 1e-7);
        assertEquals(a.stats().njev(), d.stats().njev(), 2);
        assertTrue(d.stats().nfev() >= a.stats().nfev() + 3 * a.stats().njev() - 6, a.stats() + " vs " + d.stats());
    }

    @Test
    void fiveStepsOfOrderFiveOnTheNonStiffPart() {
        // fixed steps on y' = −y (h = 0.1): Radau IIA's stability function is the (2,3) Padé approximant, error O(h^5) per unit time
        OdeProblem<double[]> decay = OdeProblem.of((t, y, d) -> d[0] = -y[0], 0, 1, new double[]{1}).jacobian((t, y, j) -> j[0][0] = -1, true);
        double e1 = Math.abs(Ode.solve(decay, Solvers.radau5(), Controllers.constant(0.1, 1e-12, 1e-14)).yEnd()[0] - Math.exp(-1));
        double e2 = Math.abs(Ode.solve(decay, Solvers.radau5(), Controllers.constant(0.05, 1e-12, 1e-14)).yEnd()[0] - Math.exp(-1));
        assertEquals(5, Math.log(e1 / e2) / Math.log(2), 0.2, e1 + " " + e2);
    }

    @Test
    void sideBySideWithScipysRadau() throws Exception {
        Map<String, Object> refs = Scipy.references();
        StringBuilder t = new StringBuilder("problem | rtol | nfev ours / scipy Radau | njev ours / scipy | error ours / scipy\n");
        for (double rtol : new double[]{1e-3, 1e-6, 1e-9}) {
            Map<String, Object> sc = Json.obj(Json.parse(Scipy.run("stiff", String.valueOf(rtol))), "problems");
            for (OdeProblems.Problem p : new OdeProblems.Problem[]{OdeProblems.vanDerPol(1000), OdeProblems.robertson()}) {
                double[] ref = Json.arr(Json.obj(refs, p.name()), "ref");
                Map<String, Object> radau = Json.obj(sc, p.name(), "Radau");
                Solution<double[]> ours = Ode.solve(p.problem(), Solvers.radau5(), Controllers.pid(rtol, rtol * 1e-3));
                double ratio = ours.stats().nfev() / Json.num(radau, "nfev");
                double e = ScipyComparisonTest.relErr(ours.yEnd(), ref), eS = ScipyComparisonTest.relErr(Json.arr(radau, "y"), ref);
                t.append(String.format(Locale.ROOT, "%s | %.0e | %d / %.0f (%.2f) | %d / %.0f | %.2e / %.2e%n", p.name(), rtol,
                        ours.stats().nfev(), Json.num(radau, "nfev"), ratio, ours.stats().njev(), Json.num(radau, "njev"), e, eS));
                // the same algorithm up to the controller's Newton-dependent safety factor: nfev within 25%, error within an
                // order of magnitude (the committed references are good to ~4e-11 on Van der Pol, hence the floor)
                assertEquals(1, ratio, 0.25, p.name() + " nfev vs scipy Radau\n" + t);
                assertTrue(e < 10 * eS + 5e-11 && eS < 10 * e + 5e-11, p.name() + " error vs scipy Radau\n" + t);
            }
        }
        System.out.print(t);
    }

    @Test
    void nonAutonomousClosedFormAndAClearFailureAtABlowUp() {
        // y' = cos(t)·y: y = exp(sin t); the stage times c_i h enter f
        var q = OdeProblem.of((t, y, d) -> d[0] = Math.cos(t) * y[0], 0, 10, new double[]{1});
        assertEquals(Math.exp(Math.sin(10)), Ode.solve(q, Solvers.radau5(), Controllers.pid(1e-8, 1e-11)).yEnd()[0], 1e-9);
        // y' = y² blows up at t = 1: the step shrinks to the floor and the solve says so, at t ≈ 1
        var blowUp = OdeProblem.of((t, y, d) -> d[0] = y[0] * y[0], 0, 2, new double[]{1});
        var e = assertThrows(OdeException.class, () -> Ode.solve(blowUp, Solvers.radau5(), Controllers.pid(1e-6, 1e-9)));
        assertEquals(OdeException.Reason.STEP_UNDERFLOW, e.reason());
        assertTrue(e.getMessage().contains("Radau5 failed at t=1.0000"), e.getMessage());
    }

    @Test
    void otherStateTypesAreRefusedByName() {
        var ops = new GenericStateTest.VecOps();
        var p = OdeProblem.of((double t, GenericStateTest.Vec y, GenericStateTest.Vec d) -> d.v()[0] = -y.v()[0], ops, 0, 1,
                new GenericStateTest.Vec(new double[]{1}));
        var e = assertThrows(IllegalArgumentException.class, () -> Ode.solve(p, Solvers.radau5()));
        assertTrue(e.getMessage().contains("Radau5 runs over double[] states only"), e.getMessage());
    }
}
