package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Issue 16 item 7: a transposed matmul operand (a Linear layer's {@code x W^T}) gets its gradient laid
 * out as the weight is, without changing a bit of it. (Backward's opt-in release of its intermediate
 * gradients was removed: it saved no allocation per MLP step; see docs/performance.md.)
 */
class BackwardReleaseTest {

    @ParameterizedTest
    @CsvSource({"F32, 256, 96, 80", "F64, 256, 96, 80", "F32, 4, 3, 5", "F64, 4, 3, 5"})
    void linearWeightGradientIsContiguousWithTheBitsOfTheDirectProduct(DType dtype, int m, int k, int n) {
        Tensor x = Tensor.randn(dtype, 1, m, k), w = Tensor.randn(dtype, 2, n, k).requiresGrad(true);
        Tensor gOut = Tensor.randn(dtype, 3, m, n);
        x.matmul(w.t()).backward(gOut, false);
        Tensor expected;
        try (var _ = Autodiff.noGrad()) {
            expected = x.mT().matmul(gOut).mT(); // the former rule: a^T g, then transposed back to W's shape
        }
        assertTrue(w.grad().isContiguous(), "W's gradient arrives in W's layout, so backward() stores it without a copy");
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 0.0);
    }
}
