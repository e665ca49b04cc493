package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/** Matrix-free solvers against a direct LU solve on the host. */
class LinearSolverTest {

    private static final int N = 12;

    /** A[i][j] from the seed-free design formula; spd adds AᵀA + I. */
    private static double[][] matrix(boolean spd) {
        double[][] m = Fixtures.design(N, N);
        for (int i = 0; i < N; i++) {
            m[i][i] += 3; // comfortably non-singular
        }
        if (!spd) {
            return m;
        }
        double[][] s = new double[N][N];
        for (int i = 0; i < N; i++) {
            for (int j = 0; j < N; j++) {
                for (int k = 0; k < N; k++) {
                    s[i][j] += m[k][i] * m[k][j];
                }
            }
            s[i][i] += 1;
        }
        return s;
    }

    private static double[] rhs() {
        double[] b = new double[N];
        for (int i = 0; i < N; i++) {
            b[i] = Fixtures.noise(i + 1);
        }
        return b;
    }

    @Test
    void everySolverMatchesTheDirectSolve() {
        double[] b = rhs();
        for (boolean spd : new boolean[] {true, false}) {
            double[][] a = matrix(spd);
            Tensor at = Tensor.of(a);
            UnaryOperator<Tensor> op = at::matmul;
            double[] exact = Dense.solve(a, b);
            List<LinearSolver> solvers = spd
                    ? List.of(LinearSolver.cg(), LinearSolver.normalCg(), LinearSolver.gmres(5), LinearSolver.biCgStab(),
                            LinearSolver.direct())
                    : List.of(LinearSolver.normalCg(), LinearSolver.gmres(5), LinearSolver.gmres(), LinearSolver.biCgStab(),
                            LinearSolver.direct());
            for (LinearSolver s : solvers) {
                Result r = s.withRtol(1e-12).trySolve(op, Tensor.of(b), null);
                assertTrue(r.converged(), s + ": " + r.convergence().describe());
                assertArrayEquals(exact, r.x().toDoubleArray(), 1e-9, s.toString());
            }
        }
    }

    @Test
    void preconditioningAndRidgeAndShapes() {
        // badly scaled SPD diagonal-plus-low-rank: Jacobi preconditioning cuts CG's iterations
        int n = 40;
        double[] diag = new double[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            diag[i] = Math.pow(10, 4.0 * i / (n - 1));
            u[i] = Math.cos(i);
        }
        Tensor d = Tensor.of(diag);
        Tensor uu = Tensor.of(u);
        UnaryOperator<Tensor> op = v -> v.mul(d).add(uu.mul(uu.mul(v).sum()));
        Tensor b = Tensor.ones(n);
        Result plain = LinearSolver.cg().trySolve(op, b, null);
        Result pre = LinearSolver.cg().withPreconditioner(v -> v.div(d)).trySolve(op, b, null);
        assertTrue(plain.converged() && pre.converged());
        assertTrue(pre.iterations() * 3 < plain.iterations(), pre.iterations() + " vs " + plain.iterations());
        assertArrayEquals(plain.x().toDoubleArray(), pre.x().toDoubleArray(), 1e-10);
        Result gm = LinearSolver.gmres(10).withPreconditioner(v -> v.div(d)).trySolve(op, b, null);
        Result bi = LinearSolver.biCgStab().withPreconditioner(v -> v.div(d)).trySolve(op, b, null);
        assertArrayEquals(plain.x().toDoubleArray(), gm.x().toDoubleArray(), 1e-10);
        assertArrayEquals(plain.x().toDoubleArray(), bi.x().toDoubleArray(), 1e-10);
        // ridge: (A + ρI) x = b; operators act on any shape (here a 3x4 matrix unknown)
        Tensor m = Tensor.of(matrix(true)).slice(0, 0, 3).slice(1, 0, 3);
        Tensor bb = Tensor.of(new double[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12}, 3, 4);
        Tensor x = LinearSolver.cg().withRidge(0.5).solve(m::matmul, bb);
        assertTrue(m.matmul(x).add(x.mul(0.5)).allClose(bb, 1e-9, 1e-9));
    }

    @Test
    void nonConvergenceIsLoud() {
        Tensor a = Tensor.of(matrix(true));
        Tensor b = Tensor.of(rhs());
        Result r = LinearSolver.cg().withMaxIter(2).trySolve(a::matmul, b, null);
        assertFalse(r.converged());
        assertEquals(2, r.iterations());
        assertTrue(r.convergence().residual() > r.convergence().target());
        var e = assertThrows(NotConvergedException.class, () -> LinearSolver.cg().withMaxIter(2).solve(a::matmul, b));
        assertTrue(e.getMessage().contains("CG did not converge after 2 iterations"), e.getMessage());
        // CG on an indefinite operator names the problem
        Result ind = LinearSolver.cg().trySolve(v -> v.mul(Tensor.of(1, -1, 2)), Tensor.of(1, 1, 1), null);
        assertFalse(ind.converged());
        assertTrue(ind.convergence().reason().contains("not positive definite"), ind.convergence().describe());
        // singular: direct reports it; GMRES stagnates or hits its cap, never pretends
        UnaryOperator<Tensor> sing = v -> v.mul(Tensor.of(1, 0, 2));
        assertTrue(LinearSolver.direct().trySolve(sing, Tensor.of(1, 1, 1), null).convergence().reason().contains("singular"));
        assertFalse(LinearSolver.gmres(2).trySolve(sing, Tensor.of(1, 1, 1), null).converged());
        assertFalse(LinearSolver.biCgStab().trySolve(sing, Tensor.of(1, 1, 1), null).converged());
        // NaN is not convergence
        assertFalse(LinearSolver.gmres().trySolve(v -> v.mul(Double.NaN), Tensor.of(1, 1), null).converged());
        assertThrows(IllegalArgumentException.class, () -> LinearSolver.cg().withRtol(0));
    }
}
