package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Tensor;

/** Quantisers, grids and the fake-quantised view against values worked out by hand. */
class QuantizationTest {

    private static double[] roundTrip(Quantizer q, double[] calibrate, double[] apply) {
        return q.fit(Tensor.of(calibrate)).apply(Tensor.of(apply)).toDoubleArray();
    }

    @Test
    void symmetricMinMaxRoundsHalfToEvenAndClamps() {
        // 4 bits: levels -7..7; max |x| = 7, so the step is 1
        var q = Quantizer.symmetric(4);
        QuantGrid g = q.fit(Tensor.of(-3.5, 0.75, 1.25, 7.0));
        assertArrayEquals(new double[] {1.0}, g.scale());
        assertArrayEquals(new int[] {0}, g.zeroPoint());
        assertEquals(-7, g.qmin());
        assertEquals(7, g.qmax());
        assertArrayEquals(new double[] {-4, 1, 1, 7, 7, -7, 2},
                g.apply(Tensor.of(-3.5, 0.75, 1.25, 7.0, 9.0, -12.0, 2.5)).toDoubleArray());
    }

    @Test
    void affineMinMaxHasAZeroPointAndWidensTheRangeToHoldZero() {
        // 3 bits: levels 0..7 over [-1, 6]: step 1, zero point 1
        var q = Quantizer.affine(3);
        QuantGrid g = q.fit(Tensor.of(-1.0, 6.0));
        assertArrayEquals(new double[] {1.0}, g.scale());
        assertArrayEquals(new int[] {1}, g.zeroPoint());
        assertArrayEquals(new double[] {2, 6, -1, 0}, g.apply(Tensor.of(2.4, 7.9, -3.0, 0.0)).toDoubleArray());
        // [2, 9] widens to [0, 9]: step 9/7, zero point 0; 2 -> round(1.556) = 2 levels -> 18/7
        assertArrayEquals(new double[] {18.0 / 7, 9.0, 0.0}, roundTrip(q, new double[] {2, 9}, new double[] {2, 9, -1}), 1e-15);
    }

    @Test
    void perChannelGivesEachOutputRowItsOwnStep() {
        // 2 bits symmetric: levels -1..1; row 0 step 2, row 1 step 0.5
        var q = Quantizer.symmetric(2).perChannel();
        Tensor w = Tensor.of(new double[] {1, -2, 0.5, 0.25}, 2, 2);
        QuantGrid g = q.fit(w);
        assertArrayEquals(new double[] {2, 0.5}, g.scale());
        assertArrayEquals(new double[] {0, -2, 0.5, 0}, g.apply(w).toDoubleArray());
        assertArrayEquals(new int[] {2, 2}, g.apply(w).shape());
        assertThrows(IllegalArgumentException.class, () -> g.apply(Tensor.of(new double[] {1, 2, 3}, 3, 1)));
    }

    @Test
    void percentileClipsTheTails() {
        double[] v = new double[101];
        for (int i = 0; i <= 100; i++) v[i] = i - 50;                 // |v|: 0, 1, 1, ..., 50, 50
        var q = Quantizer.symmetric(8).range(RangeRule.percentile(0.9));
        // the 0.9 quantile of |v| (numpy's linear interpolation): position 90 of the sorted |v| = 45
        assertArrayEquals(new double[] {45.0 / 127}, q.fit(Tensor.of(v)).scale(), 1e-15);
        var affine = Quantizer.affine(8).range(RangeRule.percentile(0.9));
        // quantiles 0.1 and 0.9 of -50..50: -40 and 40
        assertArrayEquals(new double[] {80.0 / 255}, affine.fit(Tensor.of(v)).scale(), 1e-15);
    }

    @Test
    void mseSearchPicksTheShrinkWithTheSmallestSquaredError() {
        double[] v = new double[201];
        for (int i = 0; i < 200; i++) v[i] = Math.sin(i);              // the bulk in [-1, 1]
        v[200] = 100;                                                 // one outlier
        var mse = Quantizer.symmetric(4).range(RangeRule.mse());
        QuantGrid g = mse.fit(Tensor.of(v));
        double best = Double.POSITIVE_INFINITY, bestScale = 0;
        for (int k = 100; k >= 1; k--) {                               // every candidate, by hand
            double s = 100.0 * k / 100 / 7, e = 0;
            for (double x : v) {
                double r = Math.max(-7, Math.min(7, Math.rint(x / s))) * s - x;
                e += r * r;
            }
            if (e < best) {
                best = e;
                bestScale = s;
            }
        }
        assertEquals(bestScale, g.scale()[0], 1e-15);
        double minMaxError = 0, chosenError = 0;
        double[] a = Quantizer.symmetric(4).fit(Tensor.of(v)).apply(Tensor.of(v)).toDoubleArray(), b = g.apply(Tensor.of(v)).toDoubleArray();
        for (int i = 0; i < v.length; i++) {
            minMaxError += (a[i] - v[i]) * (a[i] - v[i]);
            chosenError += (b[i] - v[i]) * (b[i] - v[i]);
        }
        assertTrue(chosenError <= minMaxError, chosenError + " > " + minMaxError);
    }

    @Test
    void badInputIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Quantizer.symmetric(1));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.affine(17));
        assertThrows(IllegalArgumentException.class, () -> RangeRule.percentile(0.3));
        assertThrows(IllegalArgumentException.class, () -> Quantizer.symmetric(8).fit(Tensor.of(1.0, Double.NaN)));
        assertThrows(IllegalArgumentException.class, () -> new QuantGrid(new double[] {0}, new int[] {0}, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.calibrate(new Sequential(new TimeEmbedding(4)), Tensor.of(1.0, 2.0),
                Quantizer.symmetric(8), Quantizer.symmetric(8)));
    }

    /** Two hand-set layers: y = (x W1ᵀ) W2ᵀ, weights [[1, 0.5], [-0.25, 2]] and [[1, -1]], no biases. */
    private static Sequential twoLayers() {
        var first = new Linear(2, 2, false, Init.torchDefault(), Init.torchDefaultBias(2), org.reprolab.tensor.DType.F64, 0);
        var second = new Linear(2, 1, false, Init.torchDefault(), Init.torchDefaultBias(2), org.reprolab.tensor.DType.F64, 1);
        var net = new Sequential(first, second);
        net.loadStateDict(Map.of("0.weight", Tensor.of(new double[] {1, 0.5, -0.25, 2}, 2, 2), "1.weight", Tensor.of(new double[] {1, -1}, 1, 2)));
        return net;
    }

    @Test
    void viewQuantisesWeightsAndHiddenInputsButNotTheNetworkInput() {
        var net = twoLayers();
        Tensor x = Tensor.of(new double[] {1, 1, 2, -1}, 2, 2);
        // 2-bit symmetric per-channel weights: W1 -> [[1, 0], [0, 2]] (rows stepped by 1 and 2), W2 -> [[1, -1]]
        // hidden h = x W1qᵀ = [[1, 2], [2, -2]]; its 2-bit grid has step 2: h -> [[0, 2], [2, -2]]; y = h W2qᵀ = [-2, 4]
        // (a grid fitted on the full-precision h, max 2.5, would give h -> [[0, 2.5], [2.5, -2.5]] and y = [-2.5, 5])
        var view = FakeQuantization.calibrate(net, x, Quantizer.symmetric(2).perChannel(), Quantizer.symmetric(2));
        assertEquals(2, view.layers());
        assertArrayEquals(new double[] {-2, 4}, view.forward(x).toDoubleArray(), 1e-15);
        // outside the view the network is untouched: h = [[1.5, 1.75], [1.5, -2.5]], y = [-0.25, 4]
        assertArrayEquals(new double[] {-0.25, 4}, net.forward(x).toDoubleArray(), 1e-15);
        // the first and last layers at 8 bits (here: both) leave only the 8-bit rounding of weights and hidden inputs
        var ends = FakeQuantization.calibrate(net, x, Quantizer.symmetric(2).perChannel(), Quantizer.symmetric(2), 8);
        assertArrayEquals(new double[] {-0.25, 4}, ends.forward(x).toDoubleArray(), 0.05);
        assertThrows(IllegalArgumentException.class, () -> FakeQuantization.calibrate(net, x, Quantizer.symmetric(2), Quantizer.symmetric(2), -1));
    }
}
