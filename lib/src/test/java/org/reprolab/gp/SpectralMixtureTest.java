package org.reprolab.gp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class SpectralMixtureTest {

    private static final SpectralMixture MIXTURE = SpectralMixture.of(
            new SpectralMixture.Component(1.0, 1.0, 0.5),
            new SpectralMixture.Component(0.3, 4.0, 0.8));

    /** Central second difference of a function of r. */
    private static double secondDifference(java.util.function.DoubleUnaryOperator f, double r, double h) {
        return (f.applyAsDouble(r + h) - 2 * f.applyAsDouble(r) + f.applyAsDouble(r - h)) / (h * h);
    }

    @Test
    void secondDerivativeMatchesFiniteDifferenceOfValue() {
        for (double r : new double[] {-0.37, 0.0, 0.05, 0.21, 0.6}) {
            double fd = secondDifference(MIXTURE::value, r, 1e-4);
            assertEquals(fd, MIXTURE.secondDerivative(r), 1e-5 * Math.max(1, Math.abs(fd)), "k'' at r = " + r);
        }
    }

    @Test
    void fourthDerivativeMatchesFiniteDifferenceOfSecond() {
        for (double r : new double[] {-0.37, 0.0, 0.05, 0.21, 0.6}) {
            double fd = secondDifference(MIXTURE::secondDerivative, r, 1e-4);
            assertEquals(fd, MIXTURE.fourthDerivative(r), 1e-5 * Math.max(1, Math.abs(fd)), "k'''' at r = " + r);
        }
    }

    @Test
    void rbfIsTheZeroFrequencyComponentWithClosedFormDerivatives() {
        double l = 0.3;
        SpectralMixture rbf = SpectralMixture.rbf(l);
        for (double r : new double[] {0.0, 0.1, -0.45}) {
            double e = Math.exp(-r * r / (2 * l * l));
            double s = r * r / (l * l);
            assertEquals(e, rbf.value(r), 1e-14);
            assertEquals((s - 1) / (l * l) * e, rbf.secondDerivative(r), 1e-12);
            assertEquals((s * s - 6 * s + 3) / (l * l * l * l) * e, rbf.fourthDerivative(r), 1e-9);
        }
    }

    @Test
    void componentAtFrequencyMuIsGaussianTimesCosine() {
        SpectralMixture one = SpectralMixture.of(new SpectralMixture.Component(2.0, 3.0, 0.4));
        double r = 0.17;
        assertEquals(2.0 * Math.exp(-2 * Math.PI * Math.PI * 0.16 * r * r) * Math.cos(2 * Math.PI * 3 * r),
                one.value(r), 1e-14);
    }

    @Test
    void badParametersAreNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> new SpectralMixture.Component(1, 2, 0));
        assertEquals("component width must be finite and > 0, got 0.0", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> SpectralMixture.rbf(-1));
        assertThrows(IllegalArgumentException.class, () -> new SpectralMixture(java.util.List.of()));
    }
}
