package org.reprolab.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class EvidenceFitTest {


    /**
     * Peer: the same Adam ascent written independently in numpy keeps the weights at 0 and 25.3 (the
     * solution's frequencies are 1 and 25) at 10^-0.7 and 10^-2.9, shrinks every other one below 10^-9,
     * and the learned kernel's collocation solve has relative L2 error 2.20e-4.
     */
    @Test
    void findsTheSolutionsFrequenciesAndSolvesTheMultiscaleProblem() {
        var fit = EvidenceFit.weights(SpectralMixture.spread(20, 30, 1.0), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 60, 300, 0.1);
        var weights = fit.kernel().components();
        assertEquals(-0.7, Math.log10(weights.get(0).weight()), 0.15);
        assertEquals(25.26, weights.get(16).frequency(), 0.01);
        assertEquals(-2.9, Math.log10(weights.get(16).weight()), 0.15);
        for (int c = 1; c < weights.size(); c++) {
            if (c != 16) {
                assertTrue(weights.get(c).weight() < 1e-8, "weight " + c + " = " + weights.get(c).weight());
            }
        }
        double error = PoissonCollocation.solve(fit.kernel(), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 60).relativeL2Error(MultiscalePoisson.SOLUTION, 2001);
        assertEquals(2.20e-4, error, 0.5e-4);
    }

    @Test
    void badSettingsAreNamed() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> EvidenceFit.weights(SpectralMixture.rbf(0.1), 0, 1, 0, 0, MultiscalePoisson.SOURCE, 10, 0, 0.1));
        assertEquals("need steps >= 1 and learningRate > 0, got 0, 0.1", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpectralMixture.spread(1, 10, 1));
    }
}
