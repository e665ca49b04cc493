package org.reprolab.ode;

import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.solvers.VectorField;
import org.reprolab.ode.tensor.LocalEstimate;
import org.reprolab.ode.tensor.TensorField;
import org.reprolab.ode.tensor.TensorProblem;
import org.reprolab.ode.tensor.TensorState;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The solvers over tensors: the same steps as the {@code double[]} path, and gradients through the solve
 * (recorded, checkpointed, continuous adjoint) checked against closed forms and central finite differences
 * in f64.
 */
class TensorOdeTest {

    @Test
    void tensorStatesTakeTheSameStepsAsTheFastPath() {
        for (var p : new OdeProblems.Problem[]{OdeProblems.lotkaVolterra(), OdeProblems.arenstorf(), OdeProblems.vanDerPol(1)}) {
            for (Tableau tab : new Tableau[]{Tableau.DOPRI5, Tableau.TSIT5, Tableau.BS3}) {
                StepController c = Controllers.pid(1e-6, 1e-9);
                OdeOptions o = OdeOptions.defaults().dense(true);
                Solution<double[]> fast = Ode.solve(p.problem(), tab, c, o);
                int n = p.y0().length;
                VectorField<TensorState> f = (t, y, d) -> {
                    double[] dh = new double[n];
                    p.f().eval(t, y.value().toDoubleArray(), dh);
                    d.set(Tensor.of(dh));
                };
                Solution<TensorState> ten = Ode.solve(OdeProblem.of(f, TensorState.ops(Tensor.of(p.y0())), p.t0(), p.t1(),
                        TensorState.of(Tensor.of(p.y0()))), tab, c, o);
                String what = p.name() + " " + tab;
                assertEquals(fast.stats().nfev(), ten.stats().nfev(), what);
                assertEquals(fast.stats().naccept(), ten.stats().naccept(), what);
                assertEquals(fast.stats().nreject(), ten.stats().nreject(), what);
                double[] ta = fast.ts(), tb = ten.ts();
                for (int i = 0; i < ta.length; i++) assertEquals(ta[i], tb[i], 1e-12 * (1 + Math.abs(ta[i])), what + " t" + i);
                double[] a = fast.yEnd(), b = ten.yEnd().value().toDoubleArray();
                for (int i = 0; i < n; i++) assertEquals(a[i], b[i], 1e-11 * (1 + Math.abs(a[i])), what);
                double tm = 0.37 * p.t1();
                double[] da = fast.y(tm), db = ten.y(tm);
                for (int i = 0; i < n; i++) assertEquals(da[i], db[i], 1e-10 * (1 + Math.abs(da[i])), what + " dense");
            }
        }
    }

    // ------------------------------------------------------------------ dy/dt = θ·y

    static final double[] TS = {0, 0.5, 1.0};

    /** L = Σ_i Σ y(t_i) for dy/dt = θ y, y(0) = y0: dL/dθ = Σ_i t_i·e^{θ t_i}·Σy0, dL/dy0_k = Σ_i e^{θ t_i}. */
    static Tensor decayLoss(Tensor theta, Tensor y0, Sensitivity s) {
        TensorField f = (t, y) -> y.mul(theta);
        Solution<Tensor> sol = Ode.solve(TensorProblem.of(f, TS[0], TS[TS.length - 1], y0).params(List.of(theta)), Solvers.tsit5(),
                Controllers.pid(1e-10, 1e-12), OdeOptions.defaults().saveAt(TS).sensitivity(s));
        return stacked(sol).sum();
    }

    @Test
    void linearDecayGradientsMatchTheClosedFormAndFiniteDifferences() {
        double th = -0.7;
        double[] y0v = {1.3, -0.4};
        double sumY0 = y0v[0] + y0v[1], dTheta = 0, dY0 = 0;
        for (double t : TS) {
            dTheta += t * Math.exp(th * t) * sumY0;
            dY0 += Math.exp(th * t);
        }
        double fd = central(x -> decayLoss(Tensor.of(x), Tensor.of(y0v), Sensitivity.direct()).item(), th, 1e-5);
        assertEquals(dTheta, fd, 1e-7 * Math.abs(dTheta));
        for (Sensitivity s : new Sensitivity[]{Sensitivity.direct(), Sensitivity.checkpointed(3), Sensitivity.backsolve()}) {
            Tensor theta = Tensor.of(th).requiresGrad(true), y0 = Tensor.of(y0v).requiresGrad(true);
            decayLoss(theta, y0, s).backward();
            assertEquals(dTheta, theta.grad().item(), 1e-7 * Math.abs(dTheta), s.toString());
            assertEquals(dY0, y0.grad().get(0), 1e-7 * dY0, s.toString());
            assertEquals(dY0, y0.grad().get(1), 1e-7 * dY0, s.toString());
        }
    }

    // ------------------------------------------------------------------ Lotka–Volterra parameters

    static final double[] LV_TS = {0, 1, 2.5, 4};

    /** L = Σ_i ‖y(t_i)‖² for Lotka–Volterra with θ = (α, β, γ, δ). */
    /** The saved states as one tensor {@code [ts.length, *y0.shape]}. */
    static Tensor stacked(Solution<Tensor> sol) {
        return Tensor.stack(0, sol.ys().toArray(Tensor[]::new));
    }

    static Solution<Tensor> lotkaVolterra(Tensor theta, Tensor y0, Sensitivity s, double tol) {
        TensorField f = (t, y) -> {
            Tensor x = y.select(0, 0), z = y.select(0, 1);
            Tensor a = theta.select(0, 0), b = theta.select(0, 1), c = theta.select(0, 2), d = theta.select(0, 3);
            return Tensor.stack(0, a.mul(x).sub(b.mul(x).mul(z)), d.mul(x).mul(z).sub(c.mul(z)));
        };
        return Ode.solve(TensorProblem.of(f, LV_TS[0], LV_TS[LV_TS.length - 1], y0).params(List.of(theta)), Solvers.tsit5(),
                Controllers.pid(tol, tol * 1e-2), OdeOptions.defaults().saveAt(LV_TS).sensitivity(s));
    }

    static final double[] THETA = {1.5, 1.0, 3.0, 1.0}, LV_Y0 = {1.0, 1.2};

    static double lvLoss(double[] theta, double[] y0) {
        try (var _ = Autodiff.noGrad()) {
            return stacked(lotkaVolterra(Tensor.of(theta), Tensor.of(y0), Sensitivity.direct(), 1e-11)).square().sum().item();
        }
    }

    @Test
    void lotkaVolterraGradientsAgreeWithFiniteDifferencesForEverySensitivity() {
        double[] fdTheta = new double[4], fdY0 = new double[2];
        for (int i = 0; i < 4; i++) {
            int k = i;
            fdTheta[i] = central(x -> { double[] th = THETA.clone(); th[k] = x; return lvLoss(th, LV_Y0); }, THETA[i], 1e-5);
        }
        for (int i = 0; i < 2; i++) {
            int k = i;
            fdY0[i] = central(x -> { double[] y = LV_Y0.clone(); y[k] = x; return lvLoss(THETA, y); }, LV_Y0[i], 1e-5);
        }
        double[][] direct = null;
        for (Sensitivity s : new Sensitivity[]{Sensitivity.direct(), Sensitivity.checkpointed(5), Sensitivity.backsolve()}) {
            Tensor theta = Tensor.of(THETA).requiresGrad(true), y0 = Tensor.of(LV_Y0).requiresGrad(true);
            Solution<Tensor> sol = lotkaVolterra(theta, y0, s, 1e-10);
            stacked(sol).square().sum().backward();
            double[] gt = theta.grad().toDoubleArray(), gy = y0.grad().toDoubleArray();
            double relTol = s instanceof Sensitivity.Backsolve ? 1e-5 : 1e-6;
            for (int i = 0; i < 4; i++) assertEquals(fdTheta[i], gt[i], relTol * (1 + Math.abs(fdTheta[i])), s + " dθ" + i);
            for (int i = 0; i < 2; i++) assertEquals(fdY0[i], gy[i], relTol * (1 + Math.abs(fdY0[i])), s + " dy0" + i);
            if (s instanceof Sensitivity.Direct) direct = new double[][]{gt, gy};
            if (s instanceof Sensitivity.Checkpointed) { // recomputation reproduces the recorded graph exactly
                for (int i = 0; i < 4; i++) assertEquals(direct[0][i], gt[i], 1e-12 * (1 + Math.abs(gt[i])), "checkpointed = direct");
                for (int i = 0; i < 2; i++) assertEquals(direct[1][i], gy[i], 1e-12 * (1 + Math.abs(gy[i])), "checkpointed = direct");
                assertEquals(sol.stats().nfev() - 2 + sol.stats().naccept() / 5 + 1, sol.backwardNfev(), 7.0,
                        "one recomputation per accepted step's stages plus one restart per segment");
            }
            if (s instanceof Sensitivity.Backsolve) assertTrue(sol.backwardNfev() > 0);
        }
    }

    @Test
    void noSensitivityGivesTheSameStatesUnrecorded() {
        Tensor theta = Tensor.of(THETA).requiresGrad(true);
        Solution<Tensor> none = lotkaVolterra(theta, Tensor.of(LV_Y0), Sensitivity.none(), 1e-8);
        Solution<Tensor> direct = lotkaVolterra(theta, Tensor.of(LV_Y0), Sensitivity.direct(), 1e-8);
        assertTrue(!stacked(none).requiresGrad() && stacked(direct).requiresGrad());
        assertArrayEquals(stacked(direct).toDoubleArray(), stacked(none).toDoubleArray(), 0);
        assertArrayEquals(LV_TS, none.ts());
        assertTrue(none.steps().isEmpty() && direct.steps().size() == direct.stats().naccept());
    }

    // ------------------------------------------------------------------ the solver's own estimates

    @Test
    void regularizersAreDifferentiableSumsOfTheSolversOwnEstimates() {
        // with a fixed step the step sequence does not depend on θ, so R(θ) is smooth and a finite difference applies
        double h = 0.05;
        StepController o = Controllers.constant(h, 1e-6, 1e-8);
        DoubleUnaryOperator rE = x -> regularizers(Tensor.of(THETA[0], THETA[1], x, THETA[3]), o)[0].item();
        DoubleUnaryOperator rS = x -> regularizers(Tensor.of(THETA[0], THETA[1], x, THETA[3]), o)[1].item();
        Tensor theta = Tensor.of(THETA).requiresGrad(true);
        Tensor[] r = regularizers(theta, o);
        double gE = Autodiff.grad(r[0], List.of(theta), null, false).getFirst().get(2);
        double gS = Autodiff.grad(r[1], List.of(theta), null, false).getFirst().get(2);
        assertEquals(central(rE, THETA[2], 1e-5), gE, 1e-6 * (1 + Math.abs(gE)));
        assertEquals(central(rS, THETA[2], 1e-5), gS, 1e-6 * (1 + Math.abs(gS)));
        assertTrue(r[0].item() > 0 && r[1].item() > 0);

        // adaptive: each accepted step's EEst is what the controller accepted (< 1), and the local one-step
        // estimate from y0 is the first step of the full solve (same Hairer initial step)
        StepController ad = Controllers.pid(1e-6, 1e-8);
        OdeOptions noStiffFail = OdeOptions.defaults().failOnStiffness(false);
        Solution<Tensor> sol = lotkaVolterra(Tensor.of(THETA), Tensor.of(LV_Y0), Sensitivity.direct(), 1e-6);
        assertEquals(sol.stats().naccept(), sol.steps().size());
        for (StepEstimate s : sol.steps()) assertTrue(s.error().item() < 1 && s.stiffness().item() >= 0);
        TensorField f = lvField(Tensor.of(THETA));
        var local = LocalEstimate.at(f, Solvers.tsit5(), ad, 0, Tensor.of(LV_Y0));
        Solution<Tensor> full = Ode.solve(TensorProblem.of(f, 0, 1, Tensor.of(LV_Y0)), Solvers.tsit5(), ad, noStiffFail);
        StepEstimate first = full.steps().getFirst();
        if (full.stats().nreject() == 0 || first.h() == local.step().h()) {
            assertEquals(first.h(), local.step().h(), 1e-15);
            assertEquals(first.error().item(), local.step().error().item(), 1e-12);
            assertEquals(first.stiffness().item(), local.step().stiffness().item(), 1e-12);
        }
        assertEquals(Tableau.TSIT5.stages() + 2, local.nfev());
    }

    static TensorField lvField(Tensor theta) {
        return (t, y) -> {
            Tensor x = y.select(0, 0), z = y.select(0, 1);
            Tensor a = theta.select(0, 0), b = theta.select(0, 1), c = theta.select(0, 2), d = theta.select(0, 3);
            return Tensor.stack(0, a.mul(x).sub(b.mul(x).mul(z)), d.mul(x).mul(z).sub(c.mul(z)));
        };
    }

    static Tensor[] regularizers(Tensor theta, StepController o) {
        Solution<Tensor> s = Ode.solve(TensorProblem.of(lvField(theta), 0, 2, Tensor.of(LV_Y0)), Solvers.tsit5(), o,
                OdeOptions.defaults().failOnStiffness(false));
        return new Tensor[]{s.errorRegularizer(), s.stiffnessRegularizer()};
    }

    static double central(DoubleUnaryOperator f, double x, double eps) {
        return (f.applyAsDouble(x + eps) - f.applyAsDouble(x - eps)) / (2 * eps);
    }
}
