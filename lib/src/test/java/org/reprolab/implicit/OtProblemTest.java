package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

class OtProblemTest {

    @Test
    void randomAssignmentIsUniformWithUnitCosts() {
        OtProblem p = OtProblem.randomAssignment(5, 7);
        assertArrayEquals(new double[] {0.2, 0.2, 0.2, 0.2, 0.2}, p.a().toDoubleArray());
        assertArrayEquals(p.a().toDoubleArray(), p.b().toDoubleArray());
        assertArrayEquals(new int[] {5, 5}, p.cost().shape());
        double[] c = p.cost().toDoubleArray();
        assertTrue(Arrays.stream(c).allMatch(v -> v >= 0 && v < 1));
        assertEquals(new java.util.SplittableRandom(7).nextDouble(), c[0], "the seed's first draw");
        assertArrayEquals(c, OtProblem.randomAssignment(5, 7).cost().toDoubleArray(), "the same seed, the same costs");
    }

    @Test
    void smoothOneDimensionalTransportFollowsItsFormulas() {
        OtProblem p = OtProblem.smooth1d(4, 3);
        double[] a = p.a().toDoubleArray(), b = p.b().toDoubleArray(), c = p.cost().toDoubleArray();
        assertEquals(1.0, Arrays.stream(a).sum(), 1e-15);
        assertEquals(1.0, Arrays.stream(b).sum(), 1e-15);
        // x = 1/8: weight 1 + ½ sin(π/4) over the sum of 1 + ½ sin(2π x_i), which is 4 (the sines cancel)
        assertEquals((1 + 0.5 * Math.sin(Math.PI / 4)) / 4, a[0], 1e-15);
        // y_1 = u²(3 − 2u) at u = 1/2 is 1/2: C[0][1] = (1/8 − 1/2)²
        assertEquals(Math.pow(0.125 - 0.5, 2), c[1], 1e-15);
    }

    @Test
    void unbalancedOrNonPositiveWeightsAreRefused() {
        Tensor c = Tensor.zeros(2, 2);
        assertThrows(IllegalArgumentException.class, () -> OtProblem.of("bad", Tensor.of(0.5, 0.5), Tensor.of(0.7, 0.7), c));
        assertThrows(IllegalArgumentException.class, () -> OtProblem.of("bad", Tensor.of(1.0, 0.0), Tensor.of(0.5, 0.5), c));
        assertThrows(IllegalArgumentException.class, () -> OtProblem.randomAssignment(1, 0));
    }
}
