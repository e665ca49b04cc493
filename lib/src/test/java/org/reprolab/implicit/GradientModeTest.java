package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Implicit, unrolled and one-step gradients on the ridge bar (implicit.md §4): with a tight inner solve
 * the unrolled hypergradient is the implicit one (and the 50-digit reference); a one-step gradient
 * through a Newton step at the solution is exactly implicit, through a gradient step it is not.
 */
class GradientModeTest {

    private static final Fixtures.Ridge R = Fixtures.ridge();
    private static final double REFERENCE = -0.134384531492049; // dL/dλ(0.1)
    private static final ParametricObjective OBJ = (w, th) -> R.xTrain().matmul(w).sub(R.yTrain()).square().sum().div(2)
            .add(w.square().sum().mul(th[0]).mul(R.nTrain() / 2.0));

    /** 1/L with L bounded by Gershgorin on XᵀX + n λ I. */
    private static double step(double lambda) {
        double bound = 0;
        for (double[] row : R.xtx()) {
            double s = 0;
            for (double v : row) {
                s += Math.abs(v);
            }
            bound = Math.max(bound, s);
        }
        return 1 / (bound + R.nTrain() * lambda);
    }

    private static double hyper(ImplicitRoot root, double lambda) {
        return Autodiff.grad(l -> R.validationLoss(root.apply(Tensor.zeros(8), l)), Tensor.scalar(lambda)).item();
    }

    @Test
    void unrolledAgreesWithImplicitWhenTheInnerSolveIsTight() {
        Minimizer.GradientDescent gd = Minimizer.gradientDescent(step(0.1));
        ImplicitRoot implicit = Implicit.argmin(OBJ, gd);
        double gImplicit = hyper(implicit, 0.1);
        assertEquals(REFERENCE, gImplicit, 1e-9);
        // the same iteration written with the analytic gradient (gd.stepMap differentiates OBJ inside every step)
        double eta = step(0.1);
        FixedPointMap gdStep = (w, th) -> w.sub(R.condition().apply(w, th).mul(eta));
        Tensor w20 = GradientMode.unrolled(gd.stepMap(OBJ), 20).run(Tensor.zeros(8), new Tensor[] {Tensor.scalar(0.1)});
        Tensor v20 = GradientMode.unrolled(gdStep, 20).run(Tensor.zeros(8), new Tensor[] {Tensor.scalar(0.1)});
        assertEquals(0, w20.sub(v20).abs().max().item(), 1e-12);
        ImplicitRoot unrolled = implicit.withGradient(GradientMode.unrolled(gdStep, 3000));
        ImplicitRoot.Solution s = unrolled.solve(Tensor.zeros(8), Tensor.scalar(0.1));
        assertTrue(s.accurate(), "3000 gradient steps reach ‖∇f‖∞ = " + s.residual());
        double gUnrolled = hyper(unrolled, 0.1);
        assertEquals(gImplicit, gUnrolled, 1e-9);
        // a short unroll is a different (truncated) program with a different derivative
        double gShort = hyper(implicit.withGradient(GradientMode.unrolled(gdStep, 20))
                .withOnInexact(ImplicitRoot.OnInexact.IGNORE), 0.1);
        assertTrue(Math.abs(gShort - REFERENCE) > 1e-3, "20 steps: " + gShort);
        assertThrows(IllegalArgumentException.class, () -> unrolled.apply(null, Tensor.scalar(0.1)));
        assertThrows(IllegalArgumentException.class, () -> Minimizer.gradientDescent(0).stepMap(OBJ));
    }

    @Test
    void oneNewtonStepIsImplicitOneGradientStepIsNot() {
        double lam = 0.1;
        double[][] h = R.shifted(lam);
        int d = h.length;
        double[][] inv = new double[d][];
        for (int k = 0; k < d; k++) {
            double[] e = new double[d];
            e[k] = 1;
            inv[k] = Dense.solve(h, e); // columns of H⁻¹ (symmetric)
        }
        Tensor hinv = Tensor.of(inv);
        Condition grad = R.condition();
        FixedPointMap newton = (w, th) -> w.sub(hinv.matmul(grad.apply(w, th)));
        ImplicitRoot base = Implicit.argmin(OBJ, Minimizer.lbfgs());
        double gNewton = hyper(base.withGradient(GradientMode.oneStep(newton)), lam);
        assertEquals(REFERENCE, gNewton, 1e-10);
        double gJfb = hyper(base.withGradient(GradientMode.oneStep(Minimizer.gradientDescent(step(lam)).stepMap(OBJ))), lam);
        assertTrue(Math.abs(gJfb - REFERENCE) > 0.1 * Math.abs(REFERENCE), "Jacobian-free: " + gJfb);
        // fixed-point iteration's map: x + βF, the same object for a root condition
        FixedPointMap fp = RootSolver.fixedPointIteration().stepMap(grad);
        Tensor w = Tensor.of(R.solution(lam));
        assertEquals(0, fp.apply(w, Tensor.scalar(lam)).sub(w).abs().max().item(), 1e-12);
    }
}
