package org.reprolab.federated;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Which training examples each client holds: row indices into one data set. {@link #iid} deals a
 * shuffled copy out evenly; {@link #dirichlet} gives each class's examples to the clients in
 * proportions drawn from Dirichlet(α) (Hsu, Qi, Brown, 2019; the split the federated papers of this
 * package use: α = 0.1 leaves most clients with one or two classes, α → ∞ approaches IID).
 *
 * @param clients per client, the rows it holds
 */
public record Partition(int[][] clients) implements Serializable {

    public Partition {
        if (clients.length == 0) throw new IllegalArgumentException("Partition: no clients");
        for (int i = 0; i < clients.length; i++) {
            if (clients[i].length == 0) throw new IllegalArgumentException("Partition: client " + i + " holds no examples");
        }
    }

    /** Number of clients. */
    public int size() {
        return clients.length;
    }

    /** The rows client {@code i} holds. */
    public int[] rows(int i) {
        return clients[i].clone();
    }

    /** A random even split of {@code n} examples over {@code k} clients. */
    public static Partition iid(int n, int k, long seed) {
        if (k < 1 || k > n) throw new IllegalArgumentException("Partition.iid: need 1 <= clients <= examples, got " + k + " clients for " + n);
        int[] order = shuffle(n, new SplittableRandom(seed));
        int[][] parts = new int[k][];
        for (int i = 0; i < k; i++) parts[i] = sorted(Arrays.copyOfRange(order, (int) ((long) i * n / k), (int) ((long) (i + 1) * n / k)));
        return new Partition(parts);
    }

    /**
     * A label-skewed split: for every class, proportions p ~ Dirichlet(α, ..., α) over the {@code k}
     * clients, and the class's shuffled examples cut at the cumulative proportions. Draws are repeated
     * (from the same stream) until every client holds at least {@code minPerClient} examples, as the
     * usual implementations do.
     */
    public static Partition dirichlet(int[] labels, int classes, int k, double alpha, int minPerClient, long seed) {
        if (!(alpha > 0)) throw new IllegalArgumentException("Partition.dirichlet: alpha must be > 0, got " + alpha);
        if (k < 1 || (long) k * minPerClient > labels.length) {
            throw new IllegalArgumentException("Partition.dirichlet: " + k + " clients of at least " + minPerClient + " examples need more than " + labels.length + " examples");
        }
        SplittableRandom random = new SplittableRandom(seed);
        for (int attempt = 0; attempt < 10_000; attempt++) {
            List<List<Integer>> parts = new ArrayList<>();
            for (int i = 0; i < k; i++) parts.add(new ArrayList<>());
            for (int c = 0; c < classes; c++) {
                List<Integer> members = new ArrayList<>();
                for (int r = 0; r < labels.length; r++) if (labels[r] == c) members.add(r);
                int[] order = shuffle(members.size(), random);
                double[] p = dirichletDraw(k, alpha, random);
                double cumulative = 0;
                int start = 0;
                for (int i = 0; i < k; i++) {
                    cumulative += p[i];
                    int end = i == k - 1 ? members.size() : (int) Math.round(cumulative * members.size());
                    for (int j = start; j < end; j++) parts.get(i).add(members.get(order[j]));
                    start = Math.max(start, end);
                }
            }
            if (parts.stream().allMatch(part -> part.size() >= Math.max(1, minPerClient))) {
                return new Partition(parts.stream().map(part -> sorted(part.stream().mapToInt(Integer::intValue).toArray())).toArray(int[][]::new));
            }
        }
        throw new IllegalStateException("Partition.dirichlet: no draw gave every client " + minPerClient + " examples in 10000 tries (alpha " + alpha + ")");
    }

    /** Per client, the fraction of its examples in each class. */
    public double[][] classProportions(int[] labels, int classes) {
        double[][] p = new double[clients.length][classes];
        for (int i = 0; i < clients.length; i++) {
            for (int r : clients[i]) p[i][labels[r]] += 1.0 / clients[i].length;
        }
        return p;
    }

    static double[] dirichletDraw(int k, double alpha, SplittableRandom random) {
        double[] g = new double[k];
        double sum = 0;
        for (int i = 0; i < k; i++) sum += g[i] = gamma(alpha, random);
        if (sum == 0) {                       // every draw underflowed (tiny alpha): one client takes the class
            g[random.nextInt(k)] = 1;
            return g;
        }
        for (int i = 0; i < k; i++) g[i] /= sum;
        return g;
    }

    /** The mean of {@code n} Gamma(shape, 1) draws (a check of the sampler: it should be {@code shape}). */
    static double gammaMean(double shape, int n) {
        SplittableRandom random = new SplittableRandom(11);
        double s = 0;
        for (int i = 0; i < n; i++) s += gamma(shape, random);
        return s / n;
    }

    /** Gamma(shape, 1) by Marsaglia and Tsang (2000), with the U^(1/shape) boost for shape < 1. */
    static double gamma(double shape, SplittableRandom random) {
        if (shape < 1) return gamma(shape + 1, random) * Math.pow(random.nextDouble(), 1 / shape);
        double d = shape - 1.0 / 3, c = 1 / Math.sqrt(9 * d);
        while (true) {
            double x, v;
            do {
                double u1 = 1 - random.nextDouble(), u2 = random.nextDouble();
                x = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
                v = 1 + c * x;
            } while (v <= 0);
            v = v * v * v;
            double u = random.nextDouble();
            if (Math.log(u) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v;
        }
    }

    private static int[] shuffle(int n, SplittableRandom random) {
        int[] order = FlatNetwork.all(n);
        for (int i = n - 1; i > 0; i--) {
            int j = random.nextInt(i + 1), t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        return order;
    }

    private static int[] sorted(int[] rows) {
        Arrays.sort(rows);
        return rows;
    }
}
