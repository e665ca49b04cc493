package org.reprolab.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;

class PoissonCollocationTest {


    @Test
    void recoversALowFrequencySolution() {
        DoubleUnaryOperator exact = x -> Math.sin(Math.PI * x) + x;
        var solution = PoissonCollocation.solve(SpectralMixture.rbf(0.3), 0, 1, 0, 1,
                x -> -Math.PI * Math.PI * Math.sin(Math.PI * x), 30);
        assertEquals(0, solution.value(0), 1e-6);
        assertEquals(1, solution.value(1), 1e-6);
        assertTrue(solution.relativeL2Error(exact, 501) < 1e-5, "error " + solution.relativeL2Error(exact, 501));
    }

    /** Peer values from numpy (same Gram matrix, same relative jitter 1e-10, 2001-point error grid). */
    @Test
    void matchesNumpyOnTheMultiscaleProblem() {
        var rbf = PoissonCollocation.solve(SpectralMixture.rbf(0.03), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 100);
        assertEquals(7.5375e-4, rbf.relativeL2Error(MultiscalePoisson.SOLUTION, 2001), 2e-5);
        var wide = PoissonCollocation.solve(SpectralMixture.rbf(0.1), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 100);
        assertEquals(0.15824, wide.relativeL2Error(MultiscalePoisson.SOLUTION, 2001), 2e-3);
        var mixture = PoissonCollocation.solve(SpectralMixture.of(new SpectralMixture.Component(1, 1, 0.5),
                new SpectralMixture.Component(0.1, 25, 0.5)), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 100);
        assertEquals(4.6235e-3, mixture.relativeL2Error(MultiscalePoisson.SOLUTION, 2001), 1e-4);
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> PoissonCollocation.solve(SpectralMixture.rbf(0.1), 1, 0, 0, 0, x -> 0, 10));
        assertEquals("need finite left < right, got [1.0, 0.0]", e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> PoissonCollocation.solve(SpectralMixture.rbf(0.1), 0, 1, 0, 0, x -> 0, 0));
    }
}
