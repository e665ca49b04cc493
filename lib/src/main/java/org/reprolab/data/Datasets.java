package org.reprolab.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.IntStream;
import java.util.zip.GZIPInputStream;

/**
 * The small data sets the notebooks use: one that ships with the library (the 8x8 digits) and
 * generated ones (two moons, spirals, modular arithmetic) whose seed makes them identical on every machine.
 */
public final class Datasets {

    private static volatile Dataset digits;

    private Datasets() {}

    /**
     * The UCI optical-recognition digits as scikit-learn ships them: 1797 images of 8x8 pixels with
     * values 0..16, ten classes (Alpaydin and Kaynak, 1998; CC BY 4.0, see DIGITS-LICENSE.txt).
     */
    public static Dataset digits() {
        Dataset loaded = digits;
        if (loaded == null) {
            loaded = readDigits();
            digits = loaded;
        }
        return loaded;
    }

    private static Dataset readDigits() {
        List<double[]> rows = new ArrayList<>();
        List<Integer> labels = new ArrayList<>();
        try (InputStream raw = Datasets.class.getResourceAsStream("digits.csv.gz")) {
            if (raw == null) {
                throw new IllegalStateException("digits.csv.gz is missing from the reprolab-lib jar");
            }
            BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(raw), StandardCharsets.US_ASCII));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.isBlank()) {
                    continue;
                }
                String[] cells = line.split(",");
                double[] pixels = new double[64];
                for (int j = 0; j < 64; j++) {
                    pixels[j] = Double.parseDouble(cells[j]);
                }
                rows.add(pixels);
                labels.add(Integer.parseInt(cells[64].strip()));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("reading digits.csv.gz", e);
        }
        List<String> names = IntStream.range(0, 64).mapToObj(j -> "pixel_" + (j / 8) + "_" + (j % 8)).toList();
        return new Dataset("digits", rows.toArray(double[][]::new), labels.stream().mapToInt(Integer::intValue).toArray(), 10, names);
    }

    /**
     * Two interleaved half circles, as scikit-learn's {@code make_moons}: the upper moon
     * {@code (cos t, sin t)} is class 0, the lower {@code (1 - cos t, 1/2 - sin t)} class 1, with
     * Gaussian noise of standard deviation {@code noise}.
     */
    public static Dataset twoMoons(int n, double noise, long seed) {
        requirePositive("twoMoons", n, noise);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        int[] y = new int[n];
        int outer = n / 2;
        for (int i = 0; i < n; i++) {
            boolean upper = i < outer;
            int k = upper ? i : i - outer;
            int count = upper ? outer : n - outer;
            double t = Math.PI * k / Math.max(1, count - 1);
            x[i][0] = (upper ? Math.cos(t) : 1 - Math.cos(t)) + noise * gaussian(random);
            x[i][1] = (upper ? Math.sin(t) : 0.5 - Math.sin(t)) + noise * gaussian(random);
            y[i] = upper ? 0 : 1;
        }
        return new Dataset("two moons", x, y, 2, List.of("x", "y")).shuffled(seed);
    }

    /** Two interleaved spirals {@code r = t, angle = t (+ pi)} for t in [0.5, 3 pi], the neural-ODE toy problem. */
    public static Dataset spirals(int n, double noise, long seed) {
        requirePositive("spirals", n, noise);
        SplittableRandom random = new SplittableRandom(seed);
        double[][] x = new double[n][2];
        int[] y = new int[n];
        for (int i = 0; i < n; i++) {
            int cls = i % 2;
            double t = 0.5 + (3 * Math.PI - 0.5) * (i / 2) / Math.max(1, (n - 1) / 2);
            double angle = t + cls * Math.PI;
            x[i][0] = t * Math.cos(angle) / (3 * Math.PI) + noise * gaussian(random);
            x[i][1] = t * Math.sin(angle) / (3 * Math.PI) + noise * gaussian(random);
            y[i] = cls;
        }
        return new Dataset("spirals", x, y, 2, List.of("x", "y")).shuffled(seed);
    }

    /**
     * Every pair {@code (a, b)} of {@code [0, p)²} with label {@code a ∘ b mod p}, in the order {@code a} major:
     * the modular-arithmetic task of the grokking papers (Power et al. 2022; Prieto et al., ICLR 2025, whose
     * {@code AlgorithmicDataset} this follows). Features are the one-hot codes of {@code a} and of {@code b}
     * side by side ({@code 2p} columns named {@code a=0 .. a=p-1, b=0 .. b=p-1}); {@code p} classes.
     */
    public static Dataset modularArithmetic(int modulus, ModularOperation operation) {
        if (modulus < 2) throw new IllegalArgumentException("modularArithmetic: the modulus must be >= 2, got " + modulus);
        if ((long) modulus * modulus > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("modularArithmetic: modulus " + modulus + " gives more than 2^31 pairs");
        }
        java.util.Objects.requireNonNull(operation, "operation");
        int n = modulus * modulus;
        double[][] x = new double[n][2 * modulus];
        int[] y = new int[n];
        for (int a = 0; a < modulus; a++) {
            for (int b = 0; b < modulus; b++) {
                int row = a * modulus + b;
                x[row][a] = 1;
                x[row][modulus + b] = 1;
                y[row] = operation.apply(a, b, modulus);
            }
        }
        List<String> names = new ArrayList<>();
        for (String operand : List.of("a", "b")) {
            for (int v = 0; v < modulus; v++) names.add(operand + "=" + v);
        }
        return new Dataset("a " + operation.symbol() + " b mod " + modulus, x, y, modulus, names);
    }

    /**
     * {@link #modularArithmetic(int, ModularOperation)} split at random: {@code floor(trainFraction p²)} pairs,
     * drawn with {@code seed}, to train on and the rest to test on (the official code's {@code random_split}
     * sizes; grokking is generalisation from the training fraction to the unseen pairs).
     */
    public static Dataset.Split modularArithmetic(int modulus, ModularOperation operation, double trainFraction, long seed) {
        if (!(trainFraction > 0 && trainFraction < 1)) {
            throw new IllegalArgumentException("modularArithmetic: trainFraction must be in (0, 1), got " + trainFraction);
        }
        Dataset all = modularArithmetic(modulus, operation);
        int train = (int) (trainFraction * all.size());
        if (train == 0 || train == all.size()) {
            throw new IllegalArgumentException("modularArithmetic: trainFraction " + trainFraction + " of " + all.size()
                    + " pairs leaves an empty training or test set");
        }
        Dataset shuffled = all.shuffled(seed);
        return new Dataset.Split(shuffled.rows(0, train), shuffled.rows(train, all.size()));
    }

    /**
     * The 12-bit task of the information-plane paper (Shwartz-Ziv and Tishby 2017, "Opening the black box of deep
     * neural networks via information", §3.1): 12 binary inputs standing for 12 evenly spread points on the sphere,
     * all 4096 patterns once (pattern p, bit k = bit 11 - k of p, as the official {@code var_u.mat} orders them), and
     * a label that is a spherically symmetric function of the pattern, thresholded. The paper does not state its
     * function and the official labels ship under a non-redistributable licence, so this rule is our own: the points
     * are the icosahedron's vertices v_k (numbered so that neighbours and antipodes are the official file's), and
     * {@code y = 1} iff {@code n + |sum_k x_k v_k|^2 / 5 >= 6.5}, with n the number of bits set. Both terms are
     * invariant under rotations of the sphere (the icosahedral group permutes the bits); p(y = 1) = 2178/4096 =
     * 0.532 (official: 0.517) and the labels agree with the official ones on 98.5% of the patterns.
     */
    public static Dataset twelveBitSphere() {
        double phi = (1 + Math.sqrt(5)) / 2;
        double[][] vertices = {
            {0, -1, -phi}, {-1, -phi, 0}, {0, -1, phi}, {1, -phi, 0}, {-phi, 0, 1}, {0, 1, -phi},
            {-1, phi, 0}, {1, phi, 0}, {phi, 0, 1}, {0, 1, phi}, {phi, 0, -1}, {-phi, 0, -1}};
        double norm = Math.sqrt(1 + phi * phi);
        double[][] x = new double[4096][12];
        int[] y = new int[4096];
        for (int p = 0; p < 4096; p++) {
            double[] sum = new double[3];
            int set = 0;
            for (int k = 0; k < 12; k++) {
                x[p][k] = (p >> (11 - k)) & 1;
                set += (int) x[p][k];
                for (int c = 0; c < 3; c++) sum[c] += x[p][k] * vertices[k][c] / norm;
            }
            double resultant = sum[0] * sum[0] + sum[1] * sum[1] + sum[2] * sum[2];
            y[p] = set + resultant / 5 >= 6.5 ? 1 : 0;
        }
        List<String> names = IntStream.range(0, 12).mapToObj(k -> "bit_" + k).toList();
        return new Dataset("12-bit sphere", x, y, 2, names);
    }

    private static void requirePositive(String what, int n, double noise) {
        if (n < 2) {
            throw new IllegalArgumentException(what + ": need at least 2 examples, got " + n);
        }
        if (!(noise >= 0) || Double.isInfinite(noise)) {
            throw new IllegalArgumentException(what + ": noise must be a finite value >= 0, got " + noise);
        }
    }

    private static double gaussian(SplittableRandom random) {
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /**
     * A labelled data set from a CSV file with a header row, read by Smile's {@code smile.io.Read.csv} (types
     * inferred from the rows); every column but {@code labelColumn} is a feature. Split it for training with
     * {@code .split(0.25, seed)}, or give it to {@code Lab.train(model, data)}, which splits it itself.
     */
    public static Dataset csv(java.nio.file.Path path, String labelColumn) {
        return read(path, labelColumn, "csv", p -> smile.io.Read.csv(p, org.apache.commons.csv.CSVFormat.DEFAULT.builder()
                .setHeader().setSkipHeaderRecord(true).get()));
    }

    /** The same from a Weka ARFF file ({@code smile.io.Read.arff}); nominal attributes count as their codes, a nominal class as its index. */
    public static Dataset arff(java.nio.file.Path path, String labelColumn) {
        return read(path, labelColumn, "arff", smile.io.Read::arff);
    }

    /**
     * The same from a flat Parquet file (boolean, integer, float, double and string columns, plain or dictionary-encoded,
     * any number of row groups, uncompressed or GZIP/Snappy/ZSTD/LZ4_RAW), read by Apache Parquet's Java reader into a
     * Smile {@code DataFrame} ({@link #parquetFrame}). Not through {@code smile.io.Read.parquet}: Smile reads Parquet with
     * Apache Arrow's JNI dataset library, 77 MB of native libraries for a few platforms (and 19.0.0, which Smile 6.3 is
     * built against, is not served here); {@code ParquetFrames} says more.
     */
    public static Dataset parquet(java.nio.file.Path path, String labelColumn) {
        return read(path, labelColumn, "parquet", Datasets::parquetFrame);
    }

    /**
     * A flat Parquet file as a Smile {@code DataFrame}: a {@code required} column gives a primitive column, an
     * {@code optional} one a nullable column with the file's nulls; a column of another type (nested, list, date,
     * timestamp, decimal, raw binary) is an error naming it and its type. The Parquet jars
     * ({@code org.apache.parquet:parquet-hadoop}, no Hadoop) ship with the kernel and are optional for other users of
     * the library: without them this says which to add.
     */
    public static smile.data.DataFrame parquetFrame(java.nio.file.Path path) {
        if (!java.nio.file.Files.isRegularFile(path)) throw new IllegalArgumentException("parquet: no file " + path.toAbsolutePath());
        try {
            return ParquetFrames.read(path);
        } catch (NoClassDefFoundError e) {
            throw new IllegalStateException("parquet: Apache Parquet's Java reader is not on the classpath (" + e.getMessage()
                    + "); add org.apache.parquet:parquet-hadoop:1.18.2 (%maven in the kernel; no Hadoop is needed)", e);
        } catch (IllegalArgumentException | IllegalStateException e) {
            throw e;
        } catch (java.io.IOException | RuntimeException e) {
            throw new IllegalArgumentException("parquet: cannot read " + path + " as Parquet: " + e.getMessage(), e);
        }
    }

    /** Reads a frame with Smile. */
    @FunctionalInterface
    private interface FrameReader {
        smile.data.DataFrame read(java.nio.file.Path path) throws Exception;
    }

    private static Dataset read(java.nio.file.Path path, String labelColumn, String format, FrameReader reader) {
        if (!java.nio.file.Files.isRegularFile(path)) throw new IllegalArgumentException(format + ": no file " + path.toAbsolutePath());
        String name = path.getFileName().toString().replaceFirst("\\.[^.]*$", "");
        smile.data.DataFrame frame;
        try {
            frame = reader.read(path);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException(format + ": cannot read " + path + ": " + e.getMessage(), e);
        }
        return Dataset.fromDataFrame(name, frame, labelColumn);
    }
}
