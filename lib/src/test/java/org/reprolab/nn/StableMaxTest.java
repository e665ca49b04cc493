package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * StableMax and softmax collapse (Prieto et al., "Grokking at the Edge of Numerical Stability", ICLR 2025):
 * StableMax against its closed form and a finite difference; the collapse measured in the logits' own dtype,
 * which is what makes float32 cross-entropy exactly 0 where float64 is not.
 */
class StableMaxTest {

    @Test
    void stableMaxIsTheRatioOfSOfTheRawLogits() {
        // s(-2) = 1/3, s(0) = 1, s(3) = 4: sum 16/3; a constant row is uniform
        Tensor p = Losses.stableMax(Tensor.of(new double[][] {{-2, 0, 3}, {1, 1, 1}}));
        assertArrayEquals(new double[] {1 / 16.0, 3 / 16.0, 12 / 16.0, 1 / 3.0, 1 / 3.0, 1 / 3.0}, p.toDoubleArray(), 1e-15);
        // not shift-invariant, unlike softmax: the same row shifted by 5 is another distribution
        Tensor shifted = Losses.stableMax(Tensor.of(new double[][] {{3, 5, 8}}));
        assertArrayEquals(new double[] {4 / 19.0, 6 / 19.0, 9 / 19.0}, shifted.toDoubleArray(), 1e-15);
    }

    @Test
    void crossEntropyIsTheMeanNegativeLogProbabilityWithAFiniteDifferenceGradient() {
        double[][] z = {{0.3, -1.2, 2.0, 0.0}, {-0.5, -0.4, 1.5, -3.0}, {2.5, 0.1, -0.7, 0.9}};
        int[] y = {2, 0, 3};
        Tensor logits = Tensor.of(z).requiresGrad(true);
        Tensor loss = Losses.stableMaxCrossEntropy(logits, y);
        assertEquals(reference(z, y), loss.item(), 1e-14);
        loss.backward();
        double[] grad = logits.grad().toDoubleArray();
        double h = 1e-6;
        for (int i = 0; i < z.length; i++) {
            for (int j = 0; j < z[0].length; j++) {
                double keep = z[i][j];
                z[i][j] = keep + h;
                double up = reference(z, y);
                z[i][j] = keep - h;
                double down = reference(z, y);
                z[i][j] = keep;
                // z = 0 sits on the seam of s (C1, not C2), where the central difference is only O(h)
                assertEquals((up - down) / (2 * h), grad[i * z[0].length + j], keep == 0 ? 1e-7 : 1e-8, "d loss / d z[" + i + "][" + j + "]");
            }
        }
    }

    /** {@code mean_i -log(s(z_iy) / sum_j s(z_ij))} in plain doubles. */
    private static double reference(double[][] z, int[] y) {
        double total = 0;
        for (int i = 0; i < z.length; i++) {
            double sum = 0;
            for (double v : z[i]) sum += s(v);
            total -= Math.log(s(z[i][y[i]]) / sum);
        }
        return total / z.length;
    }

    private static double s(double x) {
        return x < 0 ? 1 / (1 - x) : x + 1;
    }

    @Test
    void float32LogitsAreLiftedToFloat64AndTheirGradientComesBackInFloat32() {
        double[][] z = {{40, 0, -3}, {1, 2, 3}};
        Tensor logits = Tensor.of(z).to(DType.F32).requiresGrad(true);
        Tensor loss = Losses.stableMaxCrossEntropy(logits, 0, 2);
        assertEquals(DType.F64, loss.dtype());
        assertEquals(reference(z, new int[] {0, 2}), loss.item(), 1e-15);
        loss.backward();
        assertEquals(DType.F32, logits.grad().dtype());
        // a large margin leaves StableMax's loss well above zero, where float32 softmax has collapsed to exactly 0
        assertTrue(Losses.stableMaxCrossEntropy(Tensor.of(new double[][] {{40, 0, -3}}).to(DType.F32), 0).item() > 0.02);
        assertEquals(0.0, Losses.crossEntropy(Tensor.of(new double[][] {{40, 0, -3}}).to(DType.F32), 0).item(), 0.0);
    }

    @Test
    void softmaxCollapsesInFloat32WhereFloat64DoesNot() {
        // row 0: 1 + 2e^-20 = 1 + 4.1e-9 rounds to 1 in float32 (half an ulp is 6e-8) but not in float64;
        // row 1: 1 + 2e^-10 is above 1 in both
        double[][] z = {{0, -20, -20}, {0, -10, -10}};
        assertEquals(0.5, Losses.softmaxCollapse(Tensor.of(z).to(DType.F32)));
        assertEquals(0.0, Losses.softmaxCollapse(Tensor.of(z)));
        // so the library's float32 cross-entropy of the collapsed row is exactly 0, float64's is log(1 + 2e^-20)
        Tensor f32 = Tensor.of(new double[][] {z[0]}).to(DType.F32).requiresGrad(true);
        Tensor loss = Losses.crossEntropy(f32, 0);
        assertEquals(0.0, loss.item(), 0.0);
        // (float64 takes log of the rounded 1 + 4.1e-9: within 1e-16 of the exact value, not relatively close)
        assertEquals(Math.log1p(2 * Math.exp(-20)), Losses.crossEntropy(Tensor.of(new double[][] {z[0]}), 0).item(), 1e-15);
        // and the gradient on the correct logit, p_y - 1, is exactly 0; the others keep p_j = e^-20
        loss.backward();
        double[] g = f32.grad().toDoubleArray();
        assertEquals(0.0, g[0], 0.0);
        assertEquals(Math.exp(-20), g[1], 1e-6 * Math.exp(-20));
        assertThrows(org.reprolab.tensor.ShapeException.class, () -> Losses.softmaxCollapse(Tensor.of(1, 2, 3)));
    }

    @Test
    void float32RowLossesReachZeroBeforeTheSumRoundsToOne() {
        // largest logit 200 (half an ulp: 7.6e-6 in float32), the others 13 below: the sum 1 + 2e^-13 = 1 + 4.5e-6 is
        // above 1 in float32, but its log is absorbed when added to 200, so the row's loss is exactly 0
        Tensor z = Tensor.of(new double[][] {{200, 187, 187}, {1, 2, 3}}).to(DType.F32);
        assertEquals(0.0, Losses.softmaxCollapse(z));
        double[] rows = Losses.crossEntropyRows(z, 0, 0).toDoubleArray();
        assertEquals(0.0, rows[0], 0.0);
        assertEquals(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1, rows[1], 1e-6);
        assertEquals((rows[0] + rows[1]) / 2, Losses.crossEntropy(z, 0, 0).item(), 1e-7);
        // in float64 the same row keeps its loss, log(1 + 2e^-13), to an ulp of 200 (2.8e-14)
        assertEquals(Math.log1p(2 * Math.exp(-13)), Losses.crossEntropyRows(z.to(DType.F64), 0, 0).toDoubleArray()[0], 1e-13);
        // StableMax rows average to its loss
        Tensor sm = Losses.stableMaxCrossEntropyRows(z, 0, 0);
        assertEquals(sm.mean().item(), Losses.stableMaxCrossEntropy(z, 0, 0).item(), 1e-15);
    }

    @Test
    void badTargetsAreNamed() {
        Tensor logits = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        var e = assertThrows(IndexOutOfBoundsException.class, () -> Losses.stableMaxCrossEntropy(logits, 0, 2));
        assertEquals("stableMaxCrossEntropy: target 2 at position 1 is out of range for 2 classes", e.getMessage());
        assertThrows(org.reprolab.tensor.ShapeException.class, () -> Losses.stableMaxCrossEntropy(logits, 0));
    }
}
