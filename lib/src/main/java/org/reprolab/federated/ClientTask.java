package org.reprolab.federated;

import java.io.Serializable;
import java.util.SplittableRandom;

/**
 * One client's work for one upload: everything it needs travels inside (its examples, the server's
 * model and broadcast, its own state, its seed), nothing is shared, so tasks run in any order, on any
 * thread or machine, with the same result. The state arrays are copied, not updated in place; the
 * result carries the new state back.
 *
 * @param client    the client's index
 * @param upload    how many uploads this client made before (its task counter; DGC's warm-up reads it)
 * @param model     the network
 * @param x         the client's examples
 * @param y         their labels
 * @param server    the server's model the client starts from
 * @param momentum  the server's momentum m_r for {@link LocalRule.GlobalMomentum} (null before the first)
 * @param state     the client's state: the rule's arrays, then the compressor's (null on first contact)
 * @param rule      the local training rule
 * @param compressor what the client does to its update before uploading it
 * @param batch     mini-batch size (the whole local set when it holds fewer examples)
 * @param seed      the seed of this task's mini-batches
 */
public record ClientTask(int client, int upload, FlatNetwork model, double[][] x, int[] y, double[] server, double[] momentum,
                         double[][] state, LocalRule rule, Compressor compressor, int batch, long seed) implements Serializable {

    /** Runs the local steps and compresses the update. */
    public ClientResult call() {
        int d = model.size(), n = y.length;
        double[][] s = new double[rule.stateArrays() + compressor.stateArrays()][];
        for (int i = 0; i < s.length; i++) s[i] = state == null ? new double[d] : state[i].clone();
        double[] w = server.clone(), g = new double[d], g2 = new double[d], probe = new double[d];
        SplittableRandom random = new SplittableRandom(seed);
        int[] rows = new int[Math.min(batch, n)];
        double loss = 0;
        for (int step = 0; step < rule.steps(); step++) {
            if (Thread.currentThread().isInterrupted()) throw new IllegalStateException("client " + client + " interrupted");
            draw(rows, n, random);
            loss += model.loss(w, x, y, rows, g);
            switch (rule) {
                case LocalRule.Sgd r -> axpy(-r.lr(), g, w);
                case LocalRule.GlobalMomentum r -> {
                    for (int i = 0; i < d; i++) w[i] -= r.lr() * (momentum == null ? g[i] : r.beta() * g[i] + (1 - r.beta()) * momentum[i]);
                }
                case LocalRule.FedSpeed r -> {
                    double norm = Math.sqrt(dot(g, g)), lr = r.lr();
                    if (r.alpha() > 0 && norm > 0) {
                        for (int i = 0; i < d; i++) probe[i] = w[i] + r.rho() * g[i] / norm;
                        model.loss(probe, x, y, rows, g2);
                        for (int i = 0; i < d; i++) g[i] = (1 - r.alpha()) * g[i] + r.alpha() * g2[i];
                    }
                    double[] gamma = s[0];
                    for (int i = 0; i < d; i++) w[i] -= lr * (g[i] - gamma[i] + (w[i] - server[i]) / r.lambda());
                }
            }
        }
        if (rule instanceof LocalRule.FedSpeed r) {
            double[] gamma = s[0];
            for (int i = 0; i < d; i++) {
                gamma[i] -= (w[i] - server[i]) / r.lambda();
                w[i] -= r.lambda() * gamma[i];
            }
        }
        double[] update = new double[d];
        for (int i = 0; i < d; i++) update[i] = w[i] - server[i];
        double[][] compressorState = java.util.Arrays.copyOfRange(s, rule.stateArrays(), s.length);
        Compressor.Sent sent = compressor.compress(update, compressorState, upload);
        return new ClientResult(client, sent.values(), s, sent.bytes(), loss / rule.steps(), n);
    }

    /** A mini-batch of distinct rows (a partial Fisher–Yates shuffle); all rows when the batch covers them. */
    private static void draw(int[] rows, int n, SplittableRandom random) {
        if (rows.length == n) {
            for (int i = 0; i < n; i++) rows[i] = i;
            return;
        }
        int[] pool = FlatNetwork.all(n);
        for (int i = 0; i < rows.length; i++) {
            int j = i + random.nextInt(n - i), t = pool[i];
            pool[i] = pool[j];
            pool[j] = t;
            rows[i] = pool[i];
        }
    }

    private static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) s += a[i] * b[i];
        return s;
    }
}
