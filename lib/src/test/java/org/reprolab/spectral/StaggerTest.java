package org.reprolab.spectral;

import org.junit.jupiter.api.Test;
import org.reprolab.nn.Linear;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class StaggerTest {

    @Test
    void piecesAreTheStridedSubGridsAndAssembleIsTheirExactInverse() {
        // numpy: np.arange(12)[i::3] = [0,3,6,9], [1,4,7,10], [2,5,8,11]
        Tensor u = Tensor.linspace(0, 11, 12).reshape(1, 12);
        Stagger s = new Stagger(3);
        Tensor p = s.pieces(u);
        assertArrayEquals(new int[] {1, 3, 4}, p.shape());
        assertArrayEquals(new double[] {0, 3, 6, 9, 1, 4, 7, 10, 2, 5, 8, 11}, p.contiguous().toDoubleArray(), 0);
        Tensor v = Tensor.randn(4, 2, 5, 24);
        for (int factor : new int[] {1, 2, 4, 8, 24}) {
            Stagger f = new Stagger(factor);
            assertArrayEquals(v.toDoubleArray(), f.assemble(f.pieces(v)).contiguous().toDoubleArray(), 0, "factor " + factor);
            Tensor q = Tensor.randn(5, 3, factor, 24 / factor);
            assertArrayEquals(q.toDoubleArray(), f.pieces(f.assemble(q)).contiguous().toDoubleArray(), 0, "factor " + factor);
        }
    }

    @Test
    void gradientsFlowThroughThePermutation() {
        // d/du Σ w ⊙ pieces(u) is w assembled back: the adjoint of a permutation is its inverse
        Stagger s = new Stagger(4);
        Tensor w = Tensor.randn(2, 3, 4, 5);
        Tensor g = Autodiff.grad(u -> s.pieces(u).mul(w).sum(), Tensor.randn(3, 3, 20));
        assertArrayEquals(s.assemble(w).contiguous().toDoubleArray(), g.toDoubleArray(), 1e-15);
    }

    @Test
    void staggeredSolverAppliesCoarseSolverIToPieceI() {
        int n = 12, factor = 3;
        StaggeredSolver solver = new StaggeredSolver(factor, i -> new Linear(n / factor, n / factor, 10 + i));
        Tensor u = Tensor.randn(6, 2, n);
        double[] out = solver.forward(u).toDoubleArray(), in = u.toDoubleArray();
        for (int i = 0; i < factor; i++) {
            double[] w = solver.piece(i).parameters().get("weight").toDoubleArray(), b = solver.piece(i).parameters().get("bias").toDoubleArray();
            for (int row = 0; row < 2; row++) {
                for (int j = 0; j < n / factor; j++) {   // out[j·f + i] = Σ_k W[j,k] u[k·f + i] + b[j]
                    double expected = b[j];
                    for (int k = 0; k < n / factor; k++) {
                        expected += w[j * (n / factor) + k] * in[row * n + k * factor + i];
                    }
                    assertEquals(expected, out[row * n + j * factor + i], 1e-12, "piece " + i + ", point " + j);
                }
            }
        }
        assertEquals(factor * (16 + 4), solver.parameterCount());
    }

    @Test
    void factorOneIsThePlainSolver() {
        TransformOnce1d t1 = new TransformOnce1d(4, 8, 1, 5);
        StaggeredSolver solver = new StaggeredSolver(1, i -> t1);
        Tensor u = Spectral.randomField(2, 3, 16, 6, 1.0);
        assertArrayEquals(t1.forward(u).toDoubleArray(), solver.forward(u).toDoubleArray(), 0);
    }

    @Test
    void periodicDifferencesHaveTheClosedFormSymbols() {
        int n = 16;
        double h = 2 * Math.PI / n;
        Tensor x = Tensor.linspace(0, 2 * Math.PI * (n - 1) / n, n);
        for (int k : new int[] {1, 3, 7}) {
            Tensor u = x.mul(k).sin();
            double lap = -4 / (h * h) * Math.pow(Math.sin(k * h / 2), 2), grad = Math.sin(k * h) / h;
            assertArrayEquals(u.mul(lap).toDoubleArray(), PeriodicDifferences.laplacian(u, h).toDoubleArray(), 1e-10, "k=" + k);
            assertArrayEquals(x.mul(k).cos().mul(grad).toDoubleArray(), PeriodicDifferences.gradient(u, h).toDoubleArray(), 1e-10, "k=" + k);
        }
        // batched along leading axes, the periodic wrap included: [1, 0, 0, 2] -> ((0 - 2 + 2), (1 + 0), (2 + 0), (0 - 4 + 1))
        assertArrayEquals(new double[] {0, 1, 2, -3}, PeriodicDifferences.laplacian(Tensor.of(new double[] {1, 0, 0, 2}, 1, 4), 1).toDoubleArray(), 0);
    }

    @Test
    void badInputIsRejectedWithItsName() {
        assertThrows(IllegalArgumentException.class, () -> new Stagger(0));
        assertThrows(ShapeException.class, () -> new Stagger(3).pieces(Tensor.randn(1, 2, 8)));
        assertThrows(ShapeException.class, () -> new Stagger(3).assemble(Tensor.randn(1, 2, 4)));
        assertThrows(ShapeException.class, () -> new StaggeredSolver(2, i -> new Linear(4, 4, i)).forward(Tensor.randn(1, 8)));
        assertThrows(IndexOutOfBoundsException.class, () -> new StaggeredSolver(2, i -> new Linear(4, 4, i)).piece(2));
        assertThrows(IllegalArgumentException.class, () -> PeriodicDifferences.laplacian(Tensor.randn(1, 8), 0));
        assertThrows(ShapeException.class, () -> PeriodicDifferences.gradient(Tensor.randn(1, 2), 1));
    }
}
