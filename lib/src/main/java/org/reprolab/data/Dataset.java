package org.reprolab.data;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import smile.data.DataFrame;
import smile.data.type.StructField;

/**
 * A small labelled data set held in memory: one row of features per example and an integer class
 * label, as the classic classification benchmarks are. Converts to tensors for training and to a
 * Smile {@link DataFrame} for tables and Smile's own models.
 *
 * @param name         what it is, for tables and titles
 * @param features     one row per example, all rows the same length
 * @param labels       the class of each example, in {@code [0, classes)}
 * @param classes      how many classes there are
 * @param featureNames one name per column of {@code features}
 */
public record Dataset(String name, double[][] features, int[] labels, int classes, List<String> featureNames) {

    public Dataset {
        Objects.requireNonNull(name, "name");
        if (features.length != labels.length) {
            throw new IllegalArgumentException(name + ": " + features.length + " feature rows but " + labels.length + " labels");
        }
        int width = featureNames.size();
        for (int i = 0; i < features.length; i++) {
            if (features[i].length != width) {
                throw new IllegalArgumentException(name + ": row " + i + " has " + features[i].length + " features, expected " + width);
            }
            if (labels[i] < 0 || labels[i] >= classes) {
                throw new IllegalArgumentException(name + ": label " + labels[i] + " of row " + i + " is outside [0, " + classes + ")");
            }
        }
        featureNames = List.copyOf(featureNames);
    }

    public int size() {
        return labels.length;
    }

    public int dimension() {
        return featureNames.size();
    }

    /** The features as a {@code [size, dimension]} tensor. */
    public Tensor x(DType dtype) {
        double[] flat = new double[size() * dimension()];
        for (int i = 0; i < size(); i++) {
            System.arraycopy(features[i], 0, flat, i * dimension(), dimension());
        }
        Tensor x = Tensor.of(flat, size(), dimension());
        return dtype == DType.F64 ? x : x.to(dtype);
    }

    /** The labels as a {@code [size]} tensor of class indices (what {@code crossEntropy} takes). */
    public Tensor y(DType dtype) {
        double[] y = new double[size()];
        for (int i = 0; i < y.length; i++) {
            y[i] = labels[i];
        }
        Tensor t = Tensor.of(y);
        return dtype == DType.F64 ? t : t.to(dtype);
    }

    /** Examples {@code from} (inclusive) to {@code to} (exclusive), e.g. a mini-batch. */
    public Dataset rows(int from, int to) {
        if (from < 0 || to > size() || from > to) {
            throw new IllegalArgumentException(name + ": rows [" + from + ", " + to + ") outside [0, " + size() + ")");
        }
        double[][] f = new double[to - from][];
        int[] l = new int[to - from];
        for (int i = from; i < to; i++) {
            f[i - from] = features[i];
            l[i - from] = labels[i];
        }
        return new Dataset(name, f, l, classes, featureNames);
    }

    /** The same examples in a random order drawn from {@code seed}. */
    public Dataset shuffled(long seed) {
        int[] order = permutation(size(), seed);
        double[][] f = new double[size()][];
        int[] l = new int[size()];
        for (int i = 0; i < order.length; i++) {
            f[i] = features[order[i]];
            l[i] = labels[order[i]];
        }
        return new Dataset(name, f, l, classes, featureNames);
    }

    /** A train/test split after shuffling with {@code seed}; {@code testFraction} of the examples go to test. */
    public Split split(double testFraction, long seed) {
        if (!(testFraction > 0 && testFraction < 1)) {
            throw new IllegalArgumentException(name + ": testFraction must be in (0, 1), got " + testFraction);
        }
        Dataset all = shuffled(seed);
        int test = (int) Math.round(size() * testFraction);
        return new Split(all.rows(test, size()), all.rows(0, test));
    }

    /** Features scaled to zero mean and unit variance per column, with the statistics of {@code reference}. */
    public Dataset standardizedLike(Dataset reference) {
        int d = dimension();
        double[] mean = new double[d];
        double[] std = new double[d];
        for (double[] row : reference.features) {
            for (int j = 0; j < d; j++) {
                mean[j] += row[j] / reference.size();
            }
        }
        for (double[] row : reference.features) {
            for (int j = 0; j < d; j++) {
                std[j] += (row[j] - mean[j]) * (row[j] - mean[j]) / reference.size();
            }
        }
        double[][] scaled = new double[size()][d];
        for (int i = 0; i < size(); i++) {
            for (int j = 0; j < d; j++) {
                double s = Math.sqrt(std[j]);
                scaled[i][j] = s > 0 ? (features[i][j] - mean[j]) / s : 0;
            }
        }
        return new Dataset(name, scaled, labels, classes, featureNames);
    }

    /** A Smile data frame with one column per feature and an integer {@code label} column. */
    public DataFrame toDataFrame() {
        double[][] withLabel = new double[size()][dimension() + 1];
        for (int i = 0; i < size(); i++) {
            System.arraycopy(features[i], 0, withLabel[i], 0, dimension());
            withLabel[i][dimension()] = labels[i];
        }
        List<String> names = new ArrayList<>(featureNames);
        names.add("label");
        return DataFrame.of(withLabel, names.toArray(String[]::new));
    }

    /**
     * A data set from a Smile frame: every column but {@code labelColumn} is a feature. Features must be
     * numeric (nominal columns, as ARFF and Smile's factors give them, count as their codes). The label may
     * be integers {@code 0..k-1}, any other integers, or text ({@code "setosa"}): anything but {@code 0..k-1}
     * is numbered in sorted order of its distinct values, so the classes are {@code 0..k-1} either way.
     */
    public static Dataset fromDataFrame(String name, DataFrame frame, String labelColumn) {
        if (!List.of(frame.names()).contains(labelColumn)) {
            throw new IllegalArgumentException(name + ": no column '" + labelColumn + "' in " + List.of(frame.names()));
        }
        List<String> names = new ArrayList<>();
        int labelIndex = -1;
        for (int j = 0; j < frame.ncol(); j++) {
            StructField field = frame.schema().field(j);
            if (field.name().equals(labelColumn)) {
                labelIndex = j;
            } else {
                if (!field.dtype().isNumeric() && !field.dtype().isBoolean()) {
                    throw new IllegalArgumentException(name + ": feature column '" + field.name() + "' is " + field.dtype().name()
                            + ", not numeric; drop it (frame.drop(\"" + field.name() + "\")) or encode it first");
                }
                names.add(field.name());
            }
        }
        double[][] f = new double[frame.nrow()][names.size()];
        Object[] raw = new Object[frame.nrow()];
        for (int i = 0; i < frame.nrow(); i++) {
            int k = 0;
            for (int j = 0; j < frame.ncol(); j++) {
                Object v = frame.get(i, j);
                if (j == labelIndex) {
                    raw[i] = v;
                } else if (v == null) {
                    throw new IllegalArgumentException(name + ": row " + i + " has no value in column '" + frame.names()[j] + "'");
                } else {
                    f[i][k++] = v instanceof Boolean b ? (b ? 1 : 0) : ((Number) v).doubleValue();
                }
            }
        }
        int[] l = labels(name, raw);
        return new Dataset(name, f, l, java.util.Arrays.stream(l).max().orElse(-1) + 1, names);
    }

    /** Class indices: the values themselves when they are already 0..k-1, else ranks among the sorted distinct values. */
    private static int[] labels(String name, Object[] raw) {
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] == null) throw new IllegalArgumentException(name + ": row " + i + " has no label");
        }
        boolean integral = java.util.Arrays.stream(raw).allMatch(v -> v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()));
        int[] l = new int[raw.length];
        if (integral) {
            for (int i = 0; i < raw.length; i++) l[i] = (int) ((Number) raw[i]).doubleValue();
            int k = java.util.Arrays.stream(l).max().orElse(-1) + 1;
            boolean dense = java.util.Arrays.stream(l).allMatch(v -> v >= 0) && java.util.Arrays.stream(l).distinct().count() == k;
            if (dense) return l;
        }
        java.util.TreeMap<String, Integer> index = new java.util.TreeMap<>(integral
                ? java.util.Comparator.comparingDouble(Double::parseDouble) : java.util.Comparator.<String>naturalOrder());
        for (Object v : raw) index.put(String.valueOf(v), 0);
        int next = 0;
        for (var e : index.entrySet()) e.setValue(next++);
        for (int i = 0; i < raw.length; i++) l[i] = index.get(String.valueOf(raw[i]));
        return l;
    }

    /** Two disjoint parts of one data set. */
    public record Split(Dataset train, Dataset test) {}

    static int[] permutation(int n, long seed) {
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i;
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }
}
