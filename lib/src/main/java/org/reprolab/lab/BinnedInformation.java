package org.reprolab.lab;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * The binned ("plug-in") mutual-information estimator of the information-plane analysis (Shwartz-Ziv and Tishby
 * 2017, "Opening the black box of deep neural networks via information"; official code ravidziv/IDNNs,
 * {@code information_process.py}): every unit of a layer's activation is cut into {@code bins} equal-width bins on
 * {@code [lo, hi]} (values outside go to the end bins), the tuple of bin indices of a row is a discrete symbol T,
 * and entropies are those of the empirical symbol frequencies, in bits. The edges are fixed, never taken from the
 * data of one epoch, so that a layer's numbers compare across training.
 *
 * <p>With X uniform over distinct input rows and T a deterministic function of X, {@code H(T | X) = 0}, so
 * {@code I(X;T) = H(T)} and {@code I(T;Y) = H(T) - sum_y p(y) H(T | Y = y)}: {@link #plane}. Saxe et al.
 * (ICLR 2018) show the estimate depends on the bins and on saturation (tanh units piling into the end bins), which
 * is why the bins are explicit here.
 *
 * @param bins how many bins per unit, at least 1
 * @param lo   the lower edge of the first bin
 * @param hi   the upper edge of the last bin
 */
public record BinnedInformation(int bins, double lo, double hi) {

    public BinnedInformation {
        if (bins < 1) throw new IllegalArgumentException("BinnedInformation: bins must be >= 1, got " + bins);
        if (!(hi > lo) || !Double.isFinite(lo) || !Double.isFinite(hi)) {
            throw new IllegalArgumentException("BinnedInformation: need finite lo < hi, got [" + lo + ", " + hi + "]");
        }
    }

    /** The bin of {@code value}: {@code floor((value - lo) / width)}, clipped to {@code [0, bins)}. */
    public int bin(double value) {
        if (Double.isNaN(value)) throw new IllegalArgumentException("BinnedInformation: a NaN activation");
        double k = Math.floor((value - lo) / (hi - lo) * bins);
        return (int) Math.max(0, Math.min(bins - 1, k));
    }

    /** One symbol per row: rows whose units fall in the same bins get the same symbol (numbered 0, 1, ... by first appearance). */
    public int[] symbols(double[][] rows) {
        int width = rows.length == 0 ? 0 : rows[0].length;
        boolean packs = width * (Math.log(bins) / Math.log(2)) < 62; // the bin tuple as one long, else as a string of bins
        Map<Object, Integer> seen = new HashMap<>();
        int[] out = new int[rows.length];
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].length != width) throw new IllegalArgumentException("symbols: row " + i + " has " + rows[i].length + " units, row 0 " + width);
            int[] cell = new int[width];
            long packed = 0;
            for (int j = 0; j < width; j++) {
                cell[j] = bin(rows[i][j]);
                packed = packed * bins + cell[j];
            }
            Object key = packs ? (Object) packed : bins <= Character.MAX_VALUE ? chars(cell) : Arrays.toString(cell);
            out[i] = seen.computeIfAbsent(key, k -> seen.size());
        }
        return out;
    }

    private static String chars(int[] cell) {
        char[] c = new char[cell.length];
        for (int j = 0; j < c.length; j++) c[j] = (char) cell[j];
        return new String(c);
    }

    /** The entropy in bits of the empirical distribution of {@code symbols} (each value one outcome). */
    public static double entropy(int[] symbols) {
        if (symbols.length == 0) throw new IllegalArgumentException("entropy: no symbols");
        Map<Integer, Integer> counts = new HashMap<>();
        for (int s : symbols) counts.merge(s, 1, Integer::sum);
        double h = 0;
        for (int c : counts.values()) {
            double p = c / (double) symbols.length;
            h -= p * Math.log(p);
        }
        return h / Math.log(2);
    }

    /** The plug-in mutual information in bits of two paired discrete sequences: {@code H(A) + H(B) - H(A, B)}. */
    public static double mutualInformation(int[] a, int[] b) {
        if (a.length != b.length) throw new IllegalArgumentException("mutualInformation: " + a.length + " values of A but " + b.length + " of B");
        int base = Arrays.stream(b).max().orElse(0) + 1;
        if (Arrays.stream(b).anyMatch(v -> v < 0)) throw new IllegalArgumentException("mutualInformation: B's values must be >= 0");
        long[] joint = new long[a.length];
        for (int i = 0; i < a.length; i++) joint[i] = (long) a[i] * base + b[i];
        Map<Long, Integer> ids = new HashMap<>();
        int[] pairs = new int[a.length];
        for (int i = 0; i < a.length; i++) pairs[i] = ids.computeIfAbsent(joint[i], k -> ids.size());
        return Math.max(0, entropy(a) + entropy(b) - entropy(pairs));
    }

    /**
     * The information-plane point {@code {I(X;T), I(T;Y)}} in bits of a layer whose activation on input row i is
     * {@code activations[i]}, with the inputs distinct and equally likely and {@code labels[i]} the label of row i.
     */
    public double[] plane(double[][] activations, int[] labels) {
        if (activations.length != labels.length) {
            throw new IllegalArgumentException("plane: " + activations.length + " activation rows but " + labels.length + " labels");
        }
        int[] t = symbols(activations);
        return new double[] {entropy(t), mutualInformation(t, labels)};
    }
}
