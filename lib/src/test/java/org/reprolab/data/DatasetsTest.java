package org.reprolab.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.DType;
import smile.classification.LogisticRegression;

class DatasetsTest {

    @Test
    void twelveBitSphereHasEveryPatternOnceAndTheRulesCounts() {
        Dataset d = Datasets.twelveBitSphere();
        assertEquals(4096, d.size());
        assertEquals(12, d.dimension());
        java.util.Set<String> rows = new java.util.HashSet<>();
        int[] positivesBySetBits = new int[13];
        for (int p = 0; p < 4096; p++) {
            rows.add(java.util.Arrays.toString(d.features()[p]));
            int set = (int) java.util.Arrays.stream(d.features()[p]).sum();
            assertEquals(Integer.bitCount(p), set, "pattern " + p);
            positivesBySetBits[set] += d.labels()[p];
        }
        assertEquals(4096, rows.size(), "every pattern once");
        assertArrayEquals(new double[] {0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 0}, d.features()[62], "bit k is bit 11 - k of the pattern");
        // numpy on the rule n + |sum x_k v_k|^2 / 5 >= 6.5, counted by number of set bits n
        assertArrayEquals(new int[] {0, 0, 0, 0, 0, 60, 532, 792, 495, 220, 66, 12, 1}, positivesBySetBits);
        assertEquals(2178, java.util.Arrays.stream(d.labels()).sum());
    }

    @Test
    void twelveBitSphereLabelsAreInvariantUnderARotationOfTheIcosahedron() {
        // a fifth of a turn about the axis through vertex 0 permutes the vertices; the labels must not change
        double phi = (1 + Math.sqrt(5)) / 2;
        double[][] v = {{0, -1, -phi}, {-1, -phi, 0}, {0, -1, phi}, {1, -phi, 0}, {-phi, 0, 1}, {0, 1, -phi},
            {-1, phi, 0}, {1, phi, 0}, {phi, 0, 1}, {0, 1, phi}, {phi, 0, -1}, {-phi, 0, -1}};
        double n = Math.sqrt(1 + phi * phi);
        double[] axis = {v[0][0] / n, v[0][1] / n, v[0][2] / n};
        double c = Math.cos(2 * Math.PI / 5), s = Math.sin(2 * Math.PI / 5);
        int[] image = new int[12];
        for (int k = 0; k < 12; k++) {
            double[] a = v[k];
            double dot = axis[0] * a[0] + axis[1] * a[1] + axis[2] * a[2];
            double[] cross = {axis[1] * a[2] - axis[2] * a[1], axis[2] * a[0] - axis[0] * a[2], axis[0] * a[1] - axis[1] * a[0]};
            double[] r = new double[3];
            for (int j = 0; j < 3; j++) r[j] = a[j] * c + cross[j] * s + axis[j] * dot * (1 - c); // Rodrigues
            image[k] = -1;
            for (int m = 0; m < 12; m++) if (Math.abs(r[0] - v[m][0]) + Math.abs(r[1] - v[m][1]) + Math.abs(r[2] - v[m][2]) < 1e-9) image[k] = m;
            assertTrue(image[k] >= 0, "vertex " + k + " maps onto a vertex");
        }
        assertEquals(0, image[0]);
        assertTrue(image[1] != 1, "a real rotation");
        int[] y = Datasets.twelveBitSphere().labels();
        for (int p = 0; p < 4096; p++) {
            int q = 0;
            for (int k = 0; k < 12; k++) if (((p >> (11 - k)) & 1) == 1) q |= 1 << (11 - image[k]);
            assertEquals(y[p], y[q], "pattern " + p + " and its rotation " + q);
        }
    }

    @Test
    void digitsHaveScikitLearnsShapeClassCountsAndFirstImage() {
        Dataset d = Datasets.digits();
        assertEquals(1797, d.size());
        assertEquals(64, d.dimension());
        int[] counts = new int[10];
        for (int label : d.labels()) {
            counts[label]++;
        }
        // sklearn.datasets.load_digits(): np.bincount(target)
        assertArrayEquals(new int[] {178, 182, 177, 183, 181, 182, 181, 179, 174, 180}, counts);
        assertEquals(0, d.labels()[0]);
        assertArrayEquals(new double[] {0, 0, 5, 13, 9, 1, 0, 0}, java.util.Arrays.copyOf(d.features()[0], 8));
        assertEquals(16.0, java.util.Arrays.stream(d.features()).flatMapToDouble(java.util.Arrays::stream).max().orElseThrow());
    }

    @Test
    void aSmileBaselineLearnsTheDigits() {
        Dataset.Split split = Datasets.digits().split(0.25, 0);
        Dataset train = split.train().standardizedLike(split.train());
        Dataset test = split.test().standardizedLike(split.train());
        LogisticRegression model = LogisticRegression.fit(train.features(), train.labels());
        int correct = 0;
        for (int i = 0; i < test.size(); i++) {
            correct += model.predict(test.features()[i]) == test.labels()[i] ? 1 : 0;
        }
        double accuracy = (double) correct / test.size();
        assertTrue(accuracy > 0.93, "logistic regression accuracy " + accuracy);
        assertEquals(449, test.size());
    }

    @Test
    void tensorsAndDataFramesCarryTheSameValues() {
        Dataset d = Datasets.digits().rows(0, 5);
        assertArrayEquals(new int[] {5, 64}, d.x(DType.F32).shape());
        assertArrayEquals(new double[] {0, 1, 2, 3, 4}, d.y(DType.F64).toDoubleArray());
        var frame = d.toDataFrame();
        assertEquals(65, frame.ncol());
        Dataset back = Dataset.fromDataFrame("again", frame, "label");
        assertArrayEquals(d.labels(), back.labels());
        assertArrayEquals(d.features()[3], back.features()[3]);
    }

    @Test
    void generatedSetsAreReproducibleAndBalanced() {
        Dataset a = Datasets.twoMoons(200, 0.1, 7);
        Dataset b = Datasets.twoMoons(200, 0.1, 7);
        assertArrayEquals(a.features()[17], b.features()[17]);
        assertEquals(100, java.util.Arrays.stream(a.labels()).filter(l -> l == 1).count());
        Dataset noiseless = Datasets.twoMoons(100, 0, 1);
        for (int i = 0; i < noiseless.size(); i++) {
            double[] p = noiseless.features()[i];
            double r = noiseless.labels()[i] == 0 ? Math.hypot(p[0], p[1]) : Math.hypot(p[0] - 1, p[1] - 0.5);
            assertEquals(1.0, r, 1e-12);
        }
        Dataset s = Datasets.spirals(300, 0, 3);
        for (int i = 0; i < s.size(); i++) {
            assertTrue(Math.hypot(s.features()[i][0], s.features()[i][1]) <= 1 + 1e-12);
        }
    }

    @Test
    void modularAdditionHasEveryPairOneHotWithItsSum() {
        Dataset d = Datasets.modularArithmetic(7, ModularOperation.ADD);
        assertEquals(49, d.size());
        assertEquals(14, d.dimension());
        assertEquals(7, d.classes());
        assertEquals("a + b mod 7", d.name());
        assertEquals("b=0", d.featureNames().get(7));
        for (int a = 0; a < 7; a++) {
            for (int b = 0; b < 7; b++) {
                double[] row = d.features()[a * 7 + b];
                double[] expected = new double[14];
                expected[a] = 1;
                expected[7 + b] = 1;
                assertArrayEquals(expected, row);
                assertEquals((a + b) % 7, d.labels()[a * 7 + b]);
            }
        }
        // 5 - 6 = -1 = 6 (mod 7); 5 * 6 = 30 = 2 (mod 7)
        assertEquals(6, Datasets.modularArithmetic(7, ModularOperation.SUBTRACT).labels()[5 * 7 + 6]);
        assertEquals(2, Datasets.modularArithmetic(7, ModularOperation.MULTIPLY).labels()[5 * 7 + 6]);
    }

    @Test
    void modularSplitsTakeTheOfficialTrainingCountAndPartitionThePairs() {
        Dataset.Split s = Datasets.modularArithmetic(31, ModularOperation.ADD, 0.4, 3);
        assertEquals(384, s.train().size());   // int(0.4 * 961), as torch's random_split in the official code
        assertEquals(961 - 384, s.test().size());
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (Dataset part : java.util.List.of(s.train(), s.test())) {
            for (double[] row : part.features()) assertTrue(seen.add(java.util.Arrays.toString(row)), "a pair appears twice");
        }
        assertEquals(961, seen.size());
        assertArrayEquals(s.train().labels(), Datasets.modularArithmetic(31, ModularOperation.ADD, 0.4, 3).train().labels());
        assertTrue(!java.util.Arrays.equals(s.train().labels(), Datasets.modularArithmetic(31, ModularOperation.ADD, 0.4, 4).train().labels()));
        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.modularArithmetic(1, ModularOperation.ADD));
        assertEquals("modularArithmetic: the modulus must be >= 2, got 1", e.getMessage());
        var f = assertThrows(IllegalArgumentException.class, () -> Datasets.modularArithmetic(5, ModularOperation.ADD, 1.0, 0));
        assertEquals("modularArithmetic: trainFraction must be in (0, 1), got 1.0", f.getMessage());
        var g = assertThrows(IllegalArgumentException.class, () -> Datasets.modularArithmetic(2, ModularOperation.ADD, 0.1, 0));
        assertTrue(g.getMessage().contains("leaves an empty training or test set"), g.getMessage());
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> Datasets.twoMoons(1, 0.1, 0));
        assertTrue(e.getMessage().contains("at least 2"));
        var f = assertThrows(IllegalArgumentException.class, () -> Datasets.digits().split(1.5, 0));
        assertTrue(f.getMessage().contains("testFraction"));
        var g = assertThrows(IllegalArgumentException.class, () -> Dataset.fromDataFrame("x", Datasets.digits().rows(0, 2).toDataFrame(), "nope"));
        assertTrue(g.getMessage().contains("no column 'nope'"));
    }
}
