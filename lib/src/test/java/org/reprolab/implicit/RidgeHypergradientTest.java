package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The ridge bar of the research notes (implicit.md §4): solution derivative against the closed form
 * {@code dw/dλ = −n_tr (XᵀX + n_tr λI)⁻¹ w}, the validation hypergradient against its 50-digit value,
 * second order against finite differences, forward and reverse mode, and loud failures.
 */
class RidgeHypergradientTest {

    private static final Fixtures.Ridge R = Fixtures.ridge();

    /** Any solver: here CG on the normal equations, as the JAXopt ridge example. */
    private static final InnerSolver CG_RIDGE = (w0, th) -> LinearSolver.cg().withRtol(1e-13)
            .solve(v -> R.matvec(v, th[0].item()), R.xTrain().t().matmul(R.yTrain()));

    private static final ImplicitRoot RIDGE = Implicit.root(R.condition(), CG_RIDGE).withLinearSolver(LinearSolver.cg());

    private static Tensor valLoss(Tensor lambda) {
        return R.validationLoss(RIDGE.apply(null, lambda));
    }

    @Test
    void solutionDerivativeMatchesClosedFormInEveryMode() {
        for (double lam : new double[] {0.01, 0.1, 1}) {
            double[] exact = R.solutionDerivative(lam);
            Tensor l = Tensor.scalar(lam);
            Tensor w = RIDGE.apply(null, l);
            assertArrayEquals(R.solution(lam), w.toDoubleArray(), 1e-10);
            // forward mode, direct rule
            Tensor jvp = RIDGE.jvp(w, new Tensor[] {l}, new Tensor[] {Tensor.scalar(1)});
            assertArrayEquals(exact, jvp.toDoubleArray(), 1e-9 * norm(exact), "direct JVP at λ = " + lam);
            // forward mode through the autodiff (double-vjp over the recorded rule)
            Tensor jvp2 = Autodiff.jvp(t -> RIDGE.apply(null, t), l, Tensor.scalar(1)).jvp();
            assertArrayEquals(exact, jvp2.toDoubleArray(), 1e-9 * norm(exact), "Autodiff.jvp at λ = " + lam);
            // reverse mode: the full Jacobian, one VJP per output
            Tensor jac = Autodiff.jacobian(t -> RIDGE.apply(null, t), l);
            assertArrayEquals(exact, jac.toDoubleArray(), 1e-9 * norm(exact), "jacobian at λ = " + lam);
            Tensor vjp = RIDGE.vjp(w, new Tensor[] {l}, Tensor.ones(8))[0];
            double sum = 0;
            for (double e : exact) {
                sum += e;
            }
            assertEquals(sum, vjp.item(), 1e-9 * norm(exact));
        }
    }

    @Test
    void validationHypergradientMatchesTheReference() {
        // dL/dλ(0.1) = −0.134384531492049 (50-digit mpmath value in the notes)
        double g = Autodiff.grad(RidgeHypergradientTest::valLoss, Tensor.scalar(0.1)).item();
        assertEquals(-0.134384531492049, g, 1e-12);
        // the optimum λ* = 0.163406486946858 is a zero of the hypergradient
        double gStar = Autodiff.grad(RidgeHypergradientTest::valLoss, Tensor.scalar(0.163406486946858)).item();
        assertEquals(0, gStar, 1e-10);
        assertEquals(0.386358953601807, valLoss(Tensor.scalar(0.163406486946858)).item(), 1e-12);
    }

    @Test
    void secondOrderMatchesFiniteDifferences() {
        Function<Tensor, Tensor> hyper = l -> Autodiff.grad(RidgeHypergradientTest::valLoss, l);
        double lam = 0.1;
        double h = 1e-5;
        double fd = (hyper.apply(Tensor.scalar(lam + h)).item() - hyper.apply(Tensor.scalar(lam - h)).item()) / (2 * h);
        double second = Autodiff.grad(l -> hyper.apply(l), Tensor.scalar(lam)).item();
        assertEquals(fd, second, 1e-7 * Math.abs(fd));
        // d²w/dλ² in closed form: 2 n_tr² (XᵀX + n_tr λI)⁻² w
        double[] w1 = R.solutionDerivative(lam);
        double[] exact = Dense.solve(R.shifted(lam), w1);
        for (int i = 0; i < exact.length; i++) {
            exact[i] *= -2 * R.nTrain();
        }
        Tensor d2 = Autodiff.jacobian(l -> Autodiff.jacobian(t -> RIDGE.apply(null, t), l), Tensor.scalar(lam));
        assertArrayEquals(exact, d2.toDoubleArray(), 1e-8 * norm(exact));
    }

    @Test
    void inexactForwardSolveIsReportedAndBackwardFailureIsLoud() {
        InnerSolver sloppy = (w0, th) -> LinearSolver.cg().withMaxIter(2)
                .trySolve(v -> R.matvec(v, th[0].item()), R.xTrain().t().matmul(R.yTrain()), null).x();
        ImplicitRoot loose = Implicit.root(R.condition(), sloppy).withLinearSolver(LinearSolver.cg())
                .withOnInexact(ImplicitRoot.OnInexact.IGNORE);
        ImplicitRoot.Solution s = loose.solve(null, Tensor.scalar(0.1));
        assertFalse(s.accurate());
        assertTrue(s.residual() > 1e-3, "residual " + s.residual());
        var e = assertThrows(NotConvergedException.class,
                () -> loose.withOnInexact(ImplicitRoot.OnInexact.THROW).apply(null, Tensor.scalar(0.1)));
        assertTrue(e.getMessage().contains("‖F(x̂, θ)‖∞"), e.getMessage());
        // a backward linear solve that cannot converge throws; no silent zero gradient
        ImplicitRoot capped = RIDGE.withLinearSolver(LinearSolver.cg().withMaxIter(1));
        var b = assertThrows(NotConvergedException.class,
                () -> Autodiff.grad(l -> R.validationLoss(capped.apply(null, l)), Tensor.scalar(0.1)));
        assertTrue(b.getMessage().contains("implicit backward (VJP)"), b.getMessage());
    }

    @Test
    void innerSolversAgree() {
        Tensor l = Tensor.scalar(0.1);
        Tensor w0 = Tensor.zeros(8);
        ParametricObjective obj = (w, th) -> R.xTrain().matmul(w).sub(R.yTrain()).square().sum().div(2)
                .add(w.square().sum().mul(th[0]).mul(R.nTrain() / 2.0));
        double[] exact = R.solution(0.1);
        double g = -0.134384531492049;
        for (Minimizer m : new Minimizer[] {Minimizer.lbfgs()}) {
            ImplicitRoot r = Implicit.argmin(obj, m);
            assertArrayEquals(exact, r.apply(w0, l).toDoubleArray(), 1e-8, m.name());
            assertEquals(g, Autodiff.grad(t -> R.validationLoss(r.apply(w0, t)), l).item(), 1e-8, m.name());
        }
        for (RootSolver rs : new RootSolver[] {RootSolver.newton(), RootSolver.newtonKrylov(LinearSolver.cg()),
                RootSolver.broyden()}) {
            ImplicitRoot r = Implicit.root(R.condition(), rs);
            assertArrayEquals(exact, r.apply(w0, l).toDoubleArray(), 1e-9, rs.name());
            assertEquals(g, Autodiff.grad(t -> R.validationLoss(r.apply(w0, t)), l).item(), 1e-9, rs.name());
        }
    }

    private static double norm(double[] v) {
        double s = 0;
        for (double e : v) {
            s += e * e;
        }
        return Math.sqrt(s);
    }
}
