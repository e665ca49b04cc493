package org.reprolab.diffusion;

import java.util.SplittableRandom;

/**
 * A categorical sequence distribution known exactly: a Markov chain of {@code length} tokens over a vocabulary of
 * {@code V} with an initial law and a transition matrix. Everything a masked-diffusion experiment needs to be checked
 * to many digits is closed form: the probability and entropy of the law, the exact denoiser
 * {@code p(x₀ⁱ | unmasked tokens)} by forward–backward (the optimal network, time-agnostic as Zheng et al. 2024 show
 * for every masked diffusion model), exact ancestral samples, and the distance of any samples to the law.
 *
 * @param initial    the law of the first token (sums to 1)
 * @param transition {@code transition[a][b] = P(x_{i+1} = b | x_i = a)} (rows sum to 1)
 * @param length     the number of tokens
 */
public record MarkovSequence(double[] initial, double[][] transition, int length) {

    public MarkovSequence {
        int v = initial.length;
        if (v < 1 || length < 1) throw new IllegalArgumentException("Markov sequence needs a vocabulary >= 1 and length >= 1, got " + v + ", " + length);
        checkLaw("initial law", initial);
        if (transition.length != v) throw new IllegalArgumentException("transition matrix has " + transition.length + " rows for a vocabulary of " + v);
        for (int a = 0; a < v; a++) {
            if (transition[a].length != v) throw new IllegalArgumentException("transition row " + a + " has " + transition[a].length + " entries, expected " + v);
            checkLaw("transition row " + a, transition[a]);
        }
        initial = initial.clone();
        transition = java.util.Arrays.stream(transition).map(double[]::clone).toArray(double[][]::new);
    }

    private static void checkLaw(String what, double[] p) {
        double sum = 0;
        for (double q : p) {
            if (!(q >= 0) || Double.isInfinite(q)) throw new IllegalArgumentException(what + " has an entry " + q + "; probabilities must be finite and >= 0");
            sum += q;
        }
        if (Math.abs(sum - 1) > 1e-9) throw new IllegalArgumentException(what + " sums to " + sum + ", not 1");
    }

    /** Independent tokens, each drawn from {@code p}: the chain whose every row is {@code p}. */
    public static MarkovSequence iid(double[] p, int length) {
        double[][] t = new double[p.length][];
        for (int a = 0; a < p.length; a++) t[a] = p.clone();
        return new MarkovSequence(p, t, length);
    }

    /**
     * A "sticky" chain: a uniform first token, then the same token again with probability {@code stay} and each other
     * token with {@code (1 − stay)/(V − 1)}; strongly correlated neighbours, so unmasking two of them independently
     * in one step is visibly wrong.
     */
    public static MarkovSequence sticky(int vocabulary, int length, double stay) {
        if (vocabulary < 2 || !(stay >= 0 && stay <= 1)) throw new IllegalArgumentException("sticky chain needs vocabulary >= 2 and stay in [0, 1], got " + vocabulary + ", " + stay);
        double[] init = new double[vocabulary];
        java.util.Arrays.fill(init, 1.0 / vocabulary);
        double[][] t = new double[vocabulary][vocabulary];
        for (int a = 0; a < vocabulary; a++) {
            for (int b = 0; b < vocabulary; b++) t[a][b] = a == b ? stay : (1 - stay) / (vocabulary - 1);
        }
        return new MarkovSequence(init, t, length);
    }

    @Override
    public double[] initial() {
        return initial.clone();
    }

    @Override
    public double[][] transition() {
        return java.util.Arrays.stream(transition).map(double[]::clone).toArray(double[][]::new);
    }

    /** The vocabulary size V. */
    public int vocabulary() {
        return initial.length;
    }

    /** The probability of one full sequence. */
    public double probability(int[] x) {
        checkSequence(x, false);
        double p = initial[x[0]];
        for (int i = 1; i < length; i++) p *= transition[x[i - 1]][x[i]];
        return p;
    }

    /** The entropy of the whole sequence in nats: {@code H(x₁) + Σᵢ E H(x_{i+1} | x_i)}. */
    public double entropy() {
        double[] marginal = initial.clone();
        double h = Categorical.entropy(marginal);
        for (int i = 1; i < length; i++) {
            double[] next = new double[marginal.length];
            for (int a = 0; a < marginal.length; a++) {
                h += marginal[a] * Categorical.entropy(transition[a]);
                for (int b = 0; b < next.length; b++) next[b] += marginal[a] * transition[a][b];
            }
            marginal = next;
        }
        return h;
    }

    /**
     * The exact denoiser: for every position the law of its token given the unmasked ones, by forward–backward with
     * masked positions summed out (normalised at every position, so no underflow). It ignores t.
     */
    public MaskedDenoiser denoiser() {
        return new MaskedDenoiser() {
            public double[][] predict(int[] tokens, double t) {
                return posterior(tokens);
            }

            public boolean timeAgnostic() {
                return true;
            }
        };
    }

    private double[][] posterior(int[] x) {
        checkSequence(x, true);
        int v = vocabulary();
        double[][] f = new double[length][v], b = new double[length][v], post = new double[length][v];
        for (int c = 0; c < v; c++) f[0][c] = initial[c] * observed(x[0], c);
        normalise(f[0], 0);
        for (int i = 1; i < length; i++) {
            for (int a = 0; a < v; a++) {
                if (f[i - 1][a] == 0) continue;
                for (int c = 0; c < v; c++) f[i][c] += f[i - 1][a] * transition[a][c];
            }
            for (int c = 0; c < v; c++) f[i][c] *= observed(x[i], c);
            normalise(f[i], i);
        }
        java.util.Arrays.fill(b[length - 1], 1);
        for (int i = length - 2; i >= 0; i--) {
            for (int a = 0; a < v; a++) {
                double s = 0;
                for (int c = 0; c < v; c++) s += transition[a][c] * observed(x[i + 1], c) * b[i + 1][c];
                b[i][a] = s;
            }
            normalise(b[i], i);
        }
        for (int i = 0; i < length; i++) {
            for (int c = 0; c < v; c++) post[i][c] = f[i][c] * b[i][c];
            normalise(post[i], i);
        }
        return post;
    }

    private static double observed(int token, int c) {
        return token == MaskedDenoiser.MASK || token == c ? 1 : 0;
    }

    private static void normalise(double[] p, int position) {
        double s = 0;
        for (double q : p) s += q;
        if (!(s > 0)) throw new IllegalArgumentException("the unmasked tokens have probability 0 under the chain (position " + position + ")");
        for (int c = 0; c < p.length; c++) p[c] /= s;
    }

    private void checkSequence(int[] x, boolean masksAllowed) {
        if (x.length != length) throw new IllegalArgumentException("sequence has " + x.length + " tokens, the chain " + length);
        for (int i = 0; i < length; i++) {
            boolean ok = (x[i] >= 0 && x[i] < vocabulary()) || (masksAllowed && x[i] == MaskedDenoiser.MASK);
            if (!ok) throw new IllegalArgumentException("token " + x[i] + " at position " + i + " is outside the vocabulary 0.." + (vocabulary() - 1));
        }
    }

    /** {@code n} exact samples by ancestral sampling in float64 (inverse CDF), from {@code seed}. */
    public int[][] sample(int n, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        int[][] out = new int[n][length];
        for (int k = 0; k < n; k++) {
            if ((k & 255) == 0) Run.checkInterrupt("Markov sequence sampling");
            out[k][0] = inverseCdf(initial, r.nextDouble());
            for (int i = 1; i < length; i++) out[k][i] = inverseCdf(transition[out[k][i - 1]], r.nextDouble());
        }
        return out;
    }

    private static int inverseCdf(double[] p, double u) {
        double c = 0;
        for (int k = 0; k < p.length; k++) {
            c += p[k];
            if (u < c) return k;
        }
        for (int k = p.length - 1; k >= 0; k--) if (p[k] > 0) return k;
        throw new IllegalStateException("empty law");
    }

    /** The probability of every sequence, indexed in base V with position 0 the most significant digit. */
    public double[] law() {
        int size = lawSize();
        double[] p = new double[size];
        int[] x = new int[length];
        for (int k = 0; k < size; k++) {
            decode(k, x);
            p[k] = probability(x);
        }
        return p;
    }

    private int lawSize() {
        double size = Math.pow(vocabulary(), length);
        if (size > 1 << 24) throw new IllegalArgumentException("the law has V^L = " + (long) size + " sequences, more than 2^24 to enumerate");
        return (int) size;
    }

    private void decode(int k, int[] x) {
        for (int i = length - 1; i >= 0; i--) {
            x[i] = k % vocabulary();
            k /= vocabulary();
        }
    }

    private double[] frequencies(int[][] samples) {
        if (samples.length == 0) throw new IllegalArgumentException("no samples");
        double[] q = new double[lawSize()];
        for (int[] s : samples) {
            checkSequence(s, false);
            int k = 0;
            for (int v : s) k = k * vocabulary() + v;
            q[k] += 1.0 / samples.length;
        }
        return q;
    }

    /** The total-variation distance {@code ½ Σ |q − p|} between the empirical law of {@code samples} and this law. */
    public double totalVariation(int[][] samples) {
        return totalVariation(frequencies(samples));
    }

    /** The total-variation distance {@code ½ Σ |q − p|} between a law {@code q} indexed as {@link #law()} and this law. */
    public double totalVariation(double[] q) {
        return sum(q, (qk, pk) -> Math.abs(qk - pk)) / 2;
    }

    /** {@code Σ_k term(q_k, p_k)} over every sequence, {@code q} checked to have one entry per sequence. */
    private double sum(double[] q, java.util.function.DoubleBinaryOperator term) {
        double[] p = law();
        if (q.length != p.length) throw new IllegalArgumentException("law has " + q.length + " entries, this chain " + p.length);
        double d = 0;
        for (int k = 0; k < p.length; k++) d += term.applyAsDouble(q[k], p[k]);
        return d;
    }

    /** {@code KL(q ‖ p) = Σ q log(q/p)} of the empirical law q of {@code samples} to this law (finite: q ≪ p unless a sample is impossible). */
    public double klDivergence(int[][] samples) {
        return klDivergence(frequencies(samples));
    }

    /** {@code KL(q ‖ p)} of a law {@code q} indexed as {@link #law()} to this law. */
    public double klDivergence(double[] q) {
        return sum(q, (qk, pk) -> qk > 0 ? qk * Math.log(qk / pk) : 0);
    }
}
