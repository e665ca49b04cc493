package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * Newton homotopy continuation (Ding et al., NeurIPS 2023): the end of the ODE path in {@code λ} is the
 * root, found by bisection or by Anderson independently, also where fixed-point iteration fails; the
 * implicit gradient at that root matches a closed form and central differences.
 */
class HomotopyTest {

    /** z = tanh(a z + c) with a = −3: one root (F′ = 1 + 3 sech² > 0), but |T′(z*)| ≈ 2.9, so Picard iteration cycles. */
    private static final FixedPointMap OSCILLATING = (z, th) -> z.mul(th[0]).add(th[1]).tanh();

    private static double bisectedRoot(double a, double c) {
        double lo = -1;
        double hi = 1; // z − tanh(a z + c) is increasing for a < 0, negative at −1 and positive at 1
        for (int i = 0; i < 200; i++) {
            double mid = (lo + hi) / 2;
            if (mid - Math.tanh(a * mid + c) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }

    @Test
    void pathEndIsTheRootWherePicardIterationCycles() {
        Tensor a = Tensor.scalar(-3.0);
        Tensor c = Tensor.scalar(0.5);
        double root = bisectedRoot(-3, 0.5);
        Condition f = OSCILLATING.asCondition();
        Result picard = new RootSolver.FixedPointIteration(1e-10, 200, 1.0).solve(f, Tensor.scalar(0), a, c);
        assertFalse(picard.converged(), "Picard iteration should cycle here: " + picard.convergence().describe());

        Result end = RootSolver.homotopy(20).withCorrector(0).solve(f, Tensor.scalar(0), a, c);
        assertEquals(root, end.x().item(), 1e-6, "RK4 path end, 20 steps, no correction");
        assertEquals(81, end.iterations(), "four Jacobian solves per RK4 step and one at the start (the ODE driver's nfev)");
        Result polished = RootSolver.homotopy(20).solve(f, Tensor.scalar(0), a, c);
        assertTrue(polished.converged(), polished.convergence().describe());
        assertEquals(root, polished.x().item(), 1e-10);
        // the path error falls like h⁴ (RK4): 10 steps is ~16 times worse than 20
        double coarse = Math.abs(RootSolver.homotopy(10).withCorrector(0).solve(f, Tensor.scalar(0), a, c).x().item() - root);
        double fine = Math.abs(end.x().item() - root);
        assertTrue(coarse > 6 * fine && fine > 0, coarse + " vs " + fine);
    }

    @Test
    void implicitGradientAtTheHomotopyRoot() {
        Tensor a = Tensor.scalar(-3.0);
        ImplicitRoot deq = Implicit.fixedPoint(OSCILLATING, RootSolver.homotopy(20));
        double root = bisectedRoot(-3, 0.5);
        // closed form: dz*/dc = s / (1 − a s), s = sech²(a z* + c) = 1 − z*²
        double s = 1 - root * root;
        double g = Autodiff.grad(cc -> deq.apply(Tensor.scalar(0), a, cc), Tensor.scalar(0.5)).item();
        assertEquals(s / (1 + 3 * s), g, 1e-9);
        double h = 1e-6;
        double fd = (bisectedRoot(-3 + h, 0.5) - bisectedRoot(-3 - h, 0.5)) / (2 * h);
        double ga = Autodiff.grad(aa -> deq.apply(Tensor.scalar(0), aa, Tensor.scalar(0.5)), a).item();
        assertEquals(fd, ga, 1e-7);
    }

    @Test
    void agreesWithAndersonOnAContractiveDeqCell() {
        int d = 32;
        Tensor w = Tensor.randn(DType.F64, 5, d, d);
        w = w.mul(0.9 / Math.sqrt(w.square().sum().item())); // Frobenius, hence spectral, norm 0.9
        Tensor ux = Tensor.randn(DType.F64, 6, d);
        FixedPointMap cell = (z, th) -> th[0].matmul(z).add(th[1]).tanh();
        Condition f = cell.asCondition();
        Result anderson = RootSolver.anderson().solve(f, Tensor.zeros(d), w, ux);
        assertTrue(anderson.converged(), anderson.convergence().describe());
        for (RootSolver.Homotopy s : new RootSolver.Homotopy[] {RootSolver.homotopy(20).withCorrector(0),
                RootSolver.homotopyKrylov(20, LinearSolver.gmres()).withCorrector(0)}) {
            Result end = s.solve(f, Tensor.zeros(d), w, ux);
            double gap = Dense.maxAbs(end.x().sub(anderson.x()));
            assertTrue(gap < 1e-6 && gap > 0, s.name() + ": path end vs Anderson " + gap);
        }
    }

    @Test
    void aPathThroughASingularJacobianIsReportedNotConverged() {
        // F(z) = z² + 1 has no real root; from z₀ = 1 the path z² = 2(1 − λ) − 1 reaches J = 2z = 0 at λ = 1/2
        Condition f = (z, th) -> z.square().add(1);
        Result r = RootSolver.homotopy(8).solve(f, Tensor.scalar(1));
        assertFalse(r.converged(), r.convergence().describe());
        assertTrue(r.convergence().reason().contains("left its branch"), r.convergence().reason());
        // a start on the singular point itself: J(0) = 0 at λ = 0
        Result atSingular = RootSolver.homotopy(8).solve(f, Tensor.scalar(0));
        assertFalse(atSingular.converged());
        assertTrue(atSingular.convergence().reason().contains("λ = 0.0"), atSingular.convergence().reason());
    }

    @Test
    void badSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new RootSolver.Homotopy(1e-10, 5, 0, null));
        assertTrue(e.getMessage().contains("steps >= 1"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RootSolver.homotopy(10).withCorrector(-1));
    }
}
