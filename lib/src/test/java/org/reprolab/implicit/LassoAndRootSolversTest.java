package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The lasso support derivative through the proximal-gradient fixed point, mirror descent on the
 * simplex, and every root solver on the scalar DEQ of the notes (implicit.md §4).
 */
class LassoAndRootSolversTest {

    @Test
    void lassoSupportDerivative() {
        int n = 30;
        int d = 8;
        double[][] xs = Fixtures.design(n, d);
        double[] wTrue = {1.5, 0, -2, 0, 0.25, 0.8, 0, 0};
        double[] y = new double[n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                y[i] += xs[i][j] * wTrue[j];
            }
            y[i] += 0.2 * Fixtures.noise(i + 1);
        }
        Tensor x = Tensor.of(xs);
        Tensor yt = Tensor.of(y);
        ParametricObjective f = (w, th) -> x.matmul(w).sub(yt).square().sum().div(2.0 * n);
        double trace = 0;
        for (double[] row : xs) {
            for (double v : row) {
                trace += v * v;
            }
        }
        Minimizer.ProximalGradient fista = Minimizer.fista(Prox.lasso(0), n / trace);
        ImplicitRoot lasso = Implicit.argmin(f, fista);
        int[] expectedSupport = {5, 4, 3};
        double[] lambdas = {0.02, 0.05, 0.2};
        for (int c = 0; c < 3; c++) {
            Tensor lam = Tensor.scalar(lambdas[c]);
            Tensor w = lasso.apply(Tensor.zeros(d), lam);
            double[] wv = w.toDoubleArray();
            int[] s = java.util.stream.IntStream.range(0, d).filter(j -> Math.abs(wv[j]) > 1e-9).toArray();
            assertEquals(expectedSupport[c], s.length, "support size at λ = " + lambdas[c]);
            // closed form on the support: dw_S/dλ = −n (X_Sᵀ X_S)⁻¹ sign(w_S), zero elsewhere
            double[][] g = new double[s.length][s.length];
            double[] sg = new double[s.length];
            for (int a = 0; a < s.length; a++) {
                sg[a] = Math.signum(wv[s[a]]);
                for (int b = 0; b < s.length; b++) {
                    for (int i = 0; i < n; i++) {
                        g[a][b] += xs[i][s[a]] * xs[i][s[b]];
                    }
                }
            }
            double[] ds = Dense.solve(g, sg);
            double[] exact = new double[d];
            for (int a = 0; a < s.length; a++) {
                exact[s[a]] = -n * ds[a];
            }
            Tensor jac = Autodiff.jacobian(t -> lasso.apply(Tensor.zeros(d), t), lam);
            assertArrayEquals(exact, jac.toDoubleArray(), 1e-7, "dw/dλ at λ = " + lambdas[c]);
            Tensor jvp = lasso.jvp(w, new Tensor[] {lam}, new Tensor[] {Tensor.scalar(1)});
            assertArrayEquals(exact, jvp.toDoubleArray(), 1e-7);
        }
    }

    @Test
    void mirrorDescentOnTheSimplex() {
        // min ½‖p − c‖² on the simplex: the solution is the Euclidean projection of c
        Tensor c = Tensor.of(0.5, 0.2, -0.1, 0.4, 0.05, 0.3);
        ParametricObjective f = (p, th) -> p.sub(th[0]).square().sum().div(2);
        Minimizer md = Minimizer.mirrorDescent(1.0);
        Result r = md.minimize(f, Tensor.full(1 / 6.0, 6), c);
        assertTrue(r.converged(), r.convergence().describe());
        // entropic geometry keeps iterates interior: zeros of the projection are approached, not hit
        assertArrayEquals(new double[] {0.4, 0.1, 0, 0.3, 0, 0.2}, r.x().toDoubleArray(), 1e-6);
    }

    @Test
    void everyRootSolverOnTheScalarDeq() {
        // z = tanh(W z + U x + b), W = 0.5, U = 1.2, x = 0.8, b = −0.3: z* = 0.782241747951948,
        // dL/dW = 0.219319318256353 for L = (z* − 0.2)²/2
        FixedPointMap t = (z, th) -> z.mul(th[0]).add(1.2 * 0.8 - 0.3).tanh();
        Tensor w = Tensor.scalar(0.5);
        RootSolver[] solvers = {RootSolver.fixedPointIteration(), RootSolver.anderson(), RootSolver.newton(),
                RootSolver.newtonKrylov(LinearSolver.gmres()), RootSolver.broyden(), RootSolver.homotopy(10),
                RootSolver.homotopyKrylov(10, LinearSolver.gmres())};
        for (RootSolver s : solvers) {
            Result r = s.solve(t.asCondition(), Tensor.scalar(0), w);
            assertTrue(r.converged(), r.convergence().describe());
            assertEquals(0.782241747951948, r.x().item(), 1e-10, s.name()); // ‖F‖∞ ≤ 1e-10
            ImplicitRoot deq = Implicit.fixedPoint(t, s);
            double g = Autodiff.grad(ww -> deq.apply(Tensor.scalar(0), ww).sub(0.2).square().div(2), w).item();
            assertEquals(0.219319318256353, g, 1e-10, s.name());
        }
        // iteration counts: acceleration pays (plain iteration contracts at about 0.19 per step)
        int plain = RootSolver.fixedPointIteration().solve(t.asCondition(), Tensor.scalar(0), w).iterations();
        int newton = RootSolver.newton().solve(t.asCondition(), Tensor.scalar(0), w).iterations();
        assertTrue(newton < plain, newton + " vs " + plain);
    }
}
