package org.reprolab.federated;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * A classifier whose parameters are one flat vector: softmax regression ({@code hidden = 0}) or one
 * tanh hidden layer, trained on mean cross-entropy. Federated clients exchange whole parameter
 * vectors and updates (McMahan et al., AISTATS 2017), compressors pick coordinates of those vectors
 * (Lin et al., ICLR 2018) and the byte counts are per coordinate, so the vector, not a module of named
 * tensors, is the natural unit here; a record of three integers also travels to a remote worker as is.
 * Layout: {@code W1[hidden][inputs], b1[hidden], W2[classes][hidden], b2[classes]} (or
 * {@code W[classes][inputs], b[classes]}).
 */
public record FlatNetwork(int inputs, int hidden, int classes) implements Serializable {

    public FlatNetwork {
        if (inputs < 1 || hidden < 0 || classes < 2) {
            throw new IllegalArgumentException("FlatNetwork: need inputs >= 1, hidden >= 0, classes >= 2, got " + inputs + ", " + hidden + ", " + classes);
        }
    }

    /** Softmax (multinomial logistic) regression. */
    public static FlatNetwork softmax(int inputs, int classes) {
        return new FlatNetwork(inputs, 0, classes);
    }

    /** One tanh hidden layer of {@code hidden} units. */
    public static FlatNetwork mlp(int inputs, int hidden, int classes) {
        if (hidden < 1) throw new IllegalArgumentException("FlatNetwork.mlp: hidden must be >= 1, got " + hidden);
        return new FlatNetwork(inputs, hidden, classes);
    }

    /** Number of parameters. */
    public int size() {
        return hidden == 0 ? classes * (inputs + 1) : hidden * (inputs + 1) + classes * (hidden + 1);
    }

    /** Weights drawn N(0, 1/fan_in) from {@code seed}, biases zero. */
    public double[] init(long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[] w = new double[size()];
        int firstOut = hidden == 0 ? classes : hidden;
        fill(w, 0, firstOut * inputs, inputs, random);
        if (hidden > 0) fill(w, hidden * (inputs + 1), classes * hidden, hidden, random);
        return w;
    }

    private static void fill(double[] w, int from, int count, int fanIn, SplittableRandom random) {
        double scale = 1 / Math.sqrt(fanIn);
        for (int i = 0; i < count; i++) {
            double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
            w[from + i] = scale * Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
        }
    }

    /**
     * Mean cross-entropy over the examples {@code rows} of {@code (x, y)}; its gradient is written into
     * {@code grad} (overwritten) when that is not null.
     */
    public double loss(double[] w, double[][] x, int[] y, int[] rows, double[] grad) {
        check(w);
        if (grad != null) java.util.Arrays.fill(grad, 0);
        double total = 0;
        double[] h = new double[hidden], z = new double[classes], dh = new double[hidden];
        int w2 = hidden * (inputs + 1), b2 = w2 + classes * hidden;
        double inv = 1.0 / rows.length;
        for (int r : rows) {
            double[] xi = x[r];
            if (hidden == 0) {
                logits(w, 0, classes * inputs, inputs, xi, z);
            } else {
                logits(w, 0, hidden * inputs, inputs, xi, h);
                for (int j = 0; j < hidden; j++) h[j] = Math.tanh(h[j]);
                logits(w, w2, b2, hidden, h, z);
            }
            total += softmaxInPlace(z, y[r]);
            if (grad == null) continue;
            z[y[r]] -= 1;                                              // dL/dz = softmax - onehot
            if (hidden == 0) {
                accumulate(grad, 0, classes * inputs, inputs, xi, z, inv);
            } else {
                accumulate(grad, w2, b2, hidden, h, z, inv);
                for (int j = 0; j < hidden; j++) {
                    double s = 0;
                    for (int c = 0; c < classes; c++) s += w[w2 + c * hidden + j] * z[c];
                    dh[j] = s * (1 - h[j] * h[j]);
                }
                accumulate(grad, 0, hidden * inputs, inputs, xi, dh, inv);
            }
        }
        return total * inv;
    }

    /** Mean cross-entropy over all examples. */
    public double loss(double[] w, double[][] x, int[] y) {
        return loss(w, x, y, all(x.length), null);
    }

    /** Fraction of examples whose largest logit is the label. */
    public double accuracy(double[] w, double[][] x, int[] y) {
        check(w);
        double[] h = new double[hidden], z = new double[classes];
        int w2 = hidden * (inputs + 1), b2 = w2 + classes * hidden, right = 0;
        for (int r = 0; r < x.length; r++) {
            if (hidden == 0) {
                logits(w, 0, classes * inputs, inputs, x[r], z);
            } else {
                logits(w, 0, hidden * inputs, inputs, x[r], h);
                for (int j = 0; j < hidden; j++) h[j] = Math.tanh(h[j]);
                logits(w, w2, b2, hidden, h, z);
            }
            int best = 0;
            for (int c = 1; c < classes; c++) if (z[c] > z[best]) best = c;
            if (best == y[r]) right++;
        }
        return (double) right / x.length;
    }

    static int[] all(int n) {
        int[] rows = new int[n];
        for (int i = 0; i < n; i++) rows[i] = i;
        return rows;
    }

    private void check(double[] w) {
        if (w.length != size()) throw new IllegalArgumentException(this + ": parameter vector has " + w.length + " values, expected " + size());
    }

    private static void logits(double[] w, int weights, int biases, int fanIn, double[] in, double[] out) {
        for (int o = 0; o < out.length; o++) {
            double s = w[biases + o];
            int row = weights + o * fanIn;
            for (int i = 0; i < fanIn; i++) s += w[row + i] * in[i];
            out[o] = s;
        }
    }

    private static void accumulate(double[] grad, int weights, int biases, int fanIn, double[] in, double[] delta, double scale) {
        for (int o = 0; o < delta.length; o++) {
            double d = delta[o] * scale;
            grad[biases + o] += d;
            int row = weights + o * fanIn;
            for (int i = 0; i < fanIn; i++) grad[row + i] += d * in[i];
        }
    }

    /** Overwrites {@code z} with softmax(z) and returns -log softmax(z)[label]. */
    private static double softmaxInPlace(double[] z, int label) {
        double max = Double.NEGATIVE_INFINITY;
        for (double v : z) max = Math.max(max, v);
        double sum = 0;
        for (int c = 0; c < z.length; c++) {
            z[c] = Math.exp(z[c] - max);
            sum += z[c];
        }
        double loss = -Math.log(z[label] / sum);
        for (int c = 0; c < z.length; c++) z[c] /= sum;
        return loss;
    }
}
