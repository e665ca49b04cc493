package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/**
 * Sinkhorn-Newton-Sparse (Tang et al., ICLR 2024) against Sinkhorn on the same problem: the same
 * optimum to tight tolerance, far fewer iterations on a small-ε problem.
 */
class SinkhornNewtonSparseTest {

    /** The smooth 1-D transport ({@link OtProblem#smooth1d}) as (a, b, C). */
    static Tensor[] problem(int n, int m) {
        OtProblem p = OtProblem.smooth1d(n, m);
        return new Tensor[] {p.a(), p.b(), p.cost()};
    }

    @Test
    void sameOptimumAsSinkhornInFarFewerIterations() {
        Tensor[] pr = problem(200, 150);
        double eps = 2e-3;
        SinkhornNewtonSparse sns = SinkhornNewtonSparse.of(eps).withTol(1e-11);
        SinkhornNewtonSparse.Run newton = sns.solve(pr[0], pr[1], pr[2]);
        SinkhornNewtonSparse.Run plain = sns.sinkhorn(pr[0], pr[1], pr[2], 100_000);
        assertTrue(newton.transport().convergence().converged(), newton.transport().convergence().describe());
        assertTrue(plain.transport().convergence().converged(), plain.transport().convergence().describe());
        System.out.printf("SNS: %d sweeps + %d Newton (%d CG products, kept %.4f), %.3f s; Sinkhorn: %d sweeps, %.3f s%n",
                newton.sinkhornIterations(), newton.newtonIterations(), newton.cgIterations(), newton.keptFraction(),
                newton.seconds(), plain.iterations(), plain.seconds());
        // the same plan and regularised cost; potentials equal up to the gauge (f + c, g − c)
        assertArrayEquals(plain.transport().plan().toDoubleArray(), newton.transport().plan().toDoubleArray(), 1e-11);
        assertEquals(plain.transport().cost(), newton.transport().cost(), 1e-12);
        double shift = newton.transport().g().get(0) - plain.transport().g().get(0);
        assertArrayEquals(plain.transport().f().add(-shift).toDoubleArray(), newton.transport().f().toDoubleArray(), 1e-8);
        assertTrue(newton.iterations() * 10 < plain.iterations(),
                "SNS " + newton.iterations() + " vs Sinkhorn " + plain.iterations() + " iterations");
        assertTrue(newton.keptFraction() < 0.25, "sparse Hessian: kept " + newton.keptFraction());
        // one error and one elapsed time per iteration, times increasing up to the total
        assertEquals(newton.iterations(), newton.errors().length);
        assertEquals(newton.errors().length, newton.times().length);
        for (int k = 1; k < newton.times().length; k++) {
            assertTrue(newton.times()[k] >= newton.times()[k - 1]);
        }
        assertTrue(newton.times()[newton.times().length - 1] <= newton.seconds());
    }

    @Test
    void hostSinkhornIsTheTensorSinkhorn() {
        Tensor[] pr = problem(30, 20);
        Sinkhorn s = new Sinkhorn(0.02, 1e-12, 100_000);
        Sinkhorn.Transport t = s.solve(pr[0], pr[1], pr[2]);
        SinkhornNewtonSparse.Run h = SinkhornNewtonSparse.of(0.02).withTol(1e-12).sinkhorn(pr[0], pr[1], pr[2], 100_000);
        assertArrayEquals(t.f().toDoubleArray(), h.transport().f().toDoubleArray(), 1e-12);
        assertArrayEquals(t.plan().toDoubleArray(), h.transport().plan().toDoubleArray(), 1e-14);
        assertEquals(t.cost(), h.transport().cost(), 1e-14);
        // and SNS reaches the implicit Sinkhorn potentials' optimum too (dense problem: perRow = m)
        SinkhornNewtonSparse.Run sns = SinkhornNewtonSparse.of(0.02).withTol(1e-12).withWarmup(5).withPerRow(20)
                .solve(pr[0], pr[1], pr[2]);
        assertTrue(sns.transport().convergence().converged(), sns.transport().convergence().describe());
        assertArrayEquals(t.plan().toDoubleArray(), sns.transport().plan().toDoubleArray(), 1e-12);
    }

    @Test
    void quickselect() {
        double[] v = {3, 1, 4, 1, 5, 9, 2, 6, 5, 3};
        assertEquals(9, SinkhornNewtonSparse.kthLargest(v.clone(), 1));
        assertEquals(5, SinkhornNewtonSparse.kthLargest(v.clone(), 3));
        assertEquals(1, SinkhornNewtonSparse.kthLargest(v.clone(), 10));
    }
}
