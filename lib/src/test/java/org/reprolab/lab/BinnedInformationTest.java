package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The binned estimator against entropies computed by hand and against a second decomposition of the information. */
class BinnedInformationTest {

    private static final double LOG2_3 = Math.log(3) / Math.log(2);

    @Test
    void entropiesOfSmallDistributionsAreTheClosedForms() {
        assertEquals(2.0, BinnedInformation.entropy(new int[] {0, 1, 2, 3}), 1e-15, "uniform on 4");
        assertEquals(0.0, BinnedInformation.entropy(new int[] {7, 7, 7}), 0.0, "a constant");
        // p = (3/4, 1/4): -(3/4 log2 3/4 + 1/4 log2 1/4) = 2 - (3/4) log2 3
        assertEquals(2 - 0.75 * LOG2_3, BinnedInformation.entropy(new int[] {5, 5, 5, 9}), 1e-15);
        assertEquals(LOG2_3, BinnedInformation.entropy(new int[] {0, 1, 2, 0, 1, 2}), 1e-15, "uniform on 3");
    }

    @Test
    void mutualInformationOfCopiesIndependenceAndANoisyChannel() {
        int[] a = {0, 1, 2, 3, 0, 1, 2, 3};
        assertEquals(2.0, BinnedInformation.mutualInformation(a, a), 1e-15, "I(A;A) = H(A)");
        int[] low = {0, 1, 0, 1}, high = {0, 0, 1, 1};
        assertEquals(0.0, BinnedInformation.mutualInformation(low, high), 1e-15, "independent bits");
        // binary symmetric channel with flip probability 1/4 on a uniform bit: I = 1 - h(1/4)
        int[] x = {0, 0, 0, 0, 1, 1, 1, 1}, y = {0, 0, 0, 1, 1, 1, 1, 0};
        double h = -(0.25 * Math.log(0.25) + 0.75 * Math.log(0.75)) / Math.log(2);
        assertEquals(1 - h, BinnedInformation.mutualInformation(x, y), 1e-15);
    }

    @Test
    void binsAreEqualWidthOnTheFixedRangeAndClipOutside() {
        var est = new BinnedInformation(4, -1, 1);
        assertEquals(0, est.bin(-1.0));
        assertEquals(0, est.bin(-0.51));
        assertEquals(1, est.bin(-0.5));
        assertEquals(2, est.bin(0.0));
        assertEquals(3, est.bin(0.999));
        assertEquals(3, est.bin(1.0), "the upper edge belongs to the last bin");
        assertEquals(3, est.bin(7.0), "above the range: the last bin");
        assertEquals(0, est.bin(-7.0), "below the range: the first bin");
        assertArrayEquals(new int[] {0, 0, 1, 0}, est.symbols(new double[][] {{0.1, 0.6}, {0.2, 0.7}, {0.1, -0.6}, {0.4, 0.9}}),
                "rows with both units in the same bins share a symbol");
    }

    @Test
    void wideLayersAndManyBinsGroupRowsAsNarrowOnesDo() {
        // 13 units in 30 bins (too many for one long) and 70000 bins (more than a char): the same grouping by bins
        SplittableRandom random = new SplittableRandom(5);
        double[][] rows = new double[300][13];
        for (double[] r : rows) for (int j = 0; j < r.length; j++) r[j] = random.nextInt(3) - 1.0 + 0.01;
        int[] expected = new int[rows.length];
        Map<String, Integer> seen = new HashMap<>();
        for (int i = 0; i < rows.length; i++) expected[i] = seen.computeIfAbsent(java.util.Arrays.toString(rows[i]), k -> seen.size());
        assertArrayEquals(expected, new BinnedInformation(30, -1.5, 1.5).symbols(rows));
        assertArrayEquals(expected, new BinnedInformation(70_000, -1.5, 1.5).symbols(rows));
        assertArrayEquals(expected, new BinnedInformation(3, -1.5, 1.5).symbols(rows), "packed into a long");
    }

    @Test
    void planeOfAHandWorkedLayer() {
        // one unit, two bins on [-1, 1]: T = sign, so H(T) = 1 bit over 4 equally likely inputs
        var est = new BinnedInformation(2, -1, 1);
        double[][] t = {{-0.9}, {-0.4}, {0.3}, {0.9}};
        assertArrayEquals(new double[] {1, 1}, est.plane(t, new int[] {0, 0, 1, 1}), 1e-15, "T determines Y");
        assertArrayEquals(new double[] {1, 0}, est.plane(t, new int[] {0, 1, 0, 1}), 1e-15, "T independent of Y");
        // 20 bins separate every input: I(X;T) = log2 4 = 2, I(T;Y) = H(Y) = 1
        assertArrayEquals(new double[] {2, 1}, new BinnedInformation(20, -1, 1).plane(t, new int[] {0, 1, 0, 1}), 1e-15);
    }

    @Test
    void labelInformationEqualsHOfYMinusHOfYGivenT() {
        // the plane uses H(T) + H(Y) - H(T, Y); check it against H(Y) - sum_t p(t) H(Y | T = t) counted directly
        SplittableRandom random = new SplittableRandom(3);
        double[][] t = new double[500][3];
        int[] y = new int[500];
        for (int i = 0; i < t.length; i++) {
            for (int j = 0; j < 3; j++) t[i][j] = Math.tanh(2 * random.nextGaussian());
            y[i] = t[i][0] + 0.3 * random.nextGaussian() > 0 ? 1 : 0;
        }
        var est = new BinnedInformation(5, -1, 1);
        int[] symbols = est.symbols(t);
        Map<Integer, int[]> counts = new HashMap<>();
        for (int i = 0; i < y.length; i++) counts.computeIfAbsent(symbols[i], k -> new int[2])[y[i]]++;
        double conditional = 0;
        for (int[] c : counts.values()) {
            double n = c[0] + c[1];
            for (int k : c) if (k > 0) conditional -= (n / y.length) * (k / n) * Math.log(k / n) / Math.log(2);
        }
        double[] plane = est.plane(t, y);
        assertEquals(BinnedInformation.entropy(y) - conditional, plane[1], 1e-12);
        assertEquals(BinnedInformation.entropy(symbols), plane[0], 0.0);
        assertTrue(plane[1] > 0.3 && plane[1] <= plane[0], "informative but bounded by H(T): " + plane[1]);
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> new BinnedInformation(0, -1, 1));
        assertThrows(IllegalArgumentException.class, () -> new BinnedInformation(10, 1, -1));
        assertThrows(IllegalArgumentException.class, () -> new BinnedInformation(10, -1, 1).bin(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> BinnedInformation.mutualInformation(new int[] {0, 1}, new int[] {0}));
        assertThrows(IllegalArgumentException.class, () -> new BinnedInformation(10, -1, 1).plane(new double[][] {{0}}, new int[] {0, 1}));
    }
}
