package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CancellationException;
import org.junit.jupiter.api.Test;

/** Errors name the op and the shapes; NaN/Inf can be trapped; long work can be interrupted. */
class BadInputTest {

    @Test
    void shapeErrorsNameOpAndShapes() {
        var e = assertThrows(ShapeException.class, () -> Tensor.zeros(3, 4).matmul(Tensor.zeros(5, 2)));
        assertEquals("matmul: shapes [3, 4] and [5, 2] do not align (4 != 5)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).add(Tensor.zeros(4)));
        assertEquals("add: shapes [2, 3] and [4] cannot be broadcast (dim -1: 3 vs 4)", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3, 4).matmul(Tensor.zeros(3, 4, 5)));
        assertTrue(e.getMessage().contains("[2, 3, 4] and [3, 4, 5]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).reshape(4, 2));
        assertEquals("reshape: cannot reshape shape [2, 3] (6 elements) into [4, 2]", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.concat(0, Tensor.zeros(2, 3), Tensor.zeros(2, 4)));
        assertEquals("concat: shapes [2, 3] and [2, 4] differ outside axis 0", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.zeros(2, 3).sum(2));
        assertEquals("sum: axis 2 out of range for a tensor of rank 2", e.getMessage());
        e = assertThrows(ShapeException.class, () -> Tensor.of(new double[] {1, 2, 3}, 2, 2));
        assertTrue(e.getMessage().contains("3 values do not fill shape [2, 2]"));
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).crossEntropy(0, 3));
        assertThrows(IndexOutOfBoundsException.class, () -> Tensor.zeros(2, 3).indexSelect(1, 3));
        assertThrows(IllegalStateException.class, () -> Tensor.zeros(2).requiresGrad(true).fill(1));
    }

    @Test
    void anomalyDetectionNamesTheOp() {
        Autodiff.detectAnomaly(true);
        try {
            var e = assertThrows(NonFiniteException.class, () -> Tensor.of(1, -1).log());
            assertEquals("log", e.op());
            assertTrue(e.getMessage().contains("NaN at flat index 1"), e.getMessage());
            assertTrue(e.getMessage().contains("from finite inputs"), e.getMessage());
            // finite forward (sqrt(0) = 0) but infinite gradient (1 / (2 sqrt 0))
            Tensor x = Tensor.of(0.0, 4.0).requiresGrad(true);
            Tensor y = x.sqrt().sum();
            e = assertThrows(NonFiniteException.class, y::backward);
            assertTrue(e.op().startsWith("backward of sqrt"), e.op());
        } finally {
            Autodiff.detectAnomaly(false);
        }
        assertTrue(Double.isNaN(Tensor.of(-1).log().item()), "off by default: NaN propagates silently");
    }

    @Test
    void interruptionStopsLongWork() {
        Tensor big = Tensor.zeros(1 << 20);
        Thread.currentThread().interrupt();
        try {
            assertThrows(CancellationException.class, big::exp);
            assertThrows(CancellationException.class, () -> Tensor.zeros(64, 64).matmul(Tensor.zeros(64, 64)));
        } finally {
            Thread.interrupted();
        }
        assertEquals(1 << 20, big.exp().sum().item());
    }
}
