package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

class AccuracyTest {

    @Test
    void theFractionOfRowsWhoseLargestScoreIsTheLabel() {
        Tensor scores = Tensor.of(new double[][] {{0.1, 0.9, 0}, {2, 1, 0}, {0, 0, 5}, {1, 3, 2}});
        assertEquals(0.75, Losses.accuracy(scores, 1, 0, 2, 2));
        assertEquals(0.0, Losses.accuracy(scores, 0, 1, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> Losses.accuracy(scores, 1, 0));
    }
}
