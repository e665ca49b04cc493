package org.reprolab.diffusion;

import java.util.Arrays;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * A masked (absorbing-state) discrete diffusion model: sequences of {@code length} tokens over a vocabulary of
 * {@code vocabulary}, every token independently replaced by a mask with probability {@code 1 − α_t}
 * ({@link MaskSchedule}), and a {@link MaskedDenoiser} predicting the clean tokens. {@link #sample} generates from
 * the all-masked sequence at t = 1 with any {@link MaskedSampler}:
 *
 * <pre>{@code
 * var chain = MarkovSequence.sticky(4, 6, 0.8);
 * var model = MaskedDiffusion.of(chain);                       // its exact denoiser, linear schedule
 * MaskedSamples a = model.sample(new MaskedSampler.FirstHitting(), 10_000, 0);
 * MaskedSamples b = model.sample(new MaskedSampler.TimeStepped(1000), 10_000, 0);
 * chain.totalVariation(a.tokens());                            // ~ the sampling noise of 10^4 exact samples
 * }</pre>
 *
 * Zheng et al. (2024, "Masked diffusion models are secretly time-agnostic masked models and exploit inaccurate
 * categorical sampling") show that the first-hitting sampler draws from the same law as the time-stepped one in its
 * many-step limit, with one network call per token instead of one per step.
 *
 * @param denoiser   the network (or the exact conditional, {@link MarkovSequence#denoiser()})
 * @param vocabulary the number of token values V (the mask is extra)
 * @param length     the number of tokens per sequence
 * @param schedule   the masking schedule
 */
public record MaskedDiffusion(MaskedDenoiser denoiser, int vocabulary, int length, MaskSchedule schedule) {

    public MaskedDiffusion {
        Objects.requireNonNull(denoiser, "denoiser");
        Objects.requireNonNull(schedule, "schedule");
        if (vocabulary < 1 || length < 1) throw new IllegalArgumentException("masked diffusion needs vocabulary >= 1 and length >= 1, got " + vocabulary + ", " + length);
    }

    /** The model whose network is the exact conditional of {@code target}, under the linear schedule. */
    public static MaskedDiffusion of(MarkovSequence target) {
        return new MaskedDiffusion(target.denoiser(), target.vocabulary(), target.length(), MaskSchedule.linear());
    }

    /** The same model under another schedule. */
    public MaskedDiffusion schedule(MaskSchedule s) {
        return new MaskedDiffusion(denoiser, vocabulary, length, s);
    }

    /**
     * {@code n} sequences generated with {@code sampler}, from a stream seeded with {@code seed} (sequence k depends
     * only on the seed and k). Interruptible: checks the thread's interrupt flag before every sequence.
     */
    public MaskedSamples sample(MaskedSampler sampler, int n, long seed) {
        Objects.requireNonNull(sampler, "sampler");
        if (n < 1) throw new IllegalArgumentException("masked diffusion: number of samples must be >= 1, got " + n);
        int[][] out = new int[n][];
        long draws = 0, nfe = 0;
        SplittableRandom root = new SplittableRandom(seed);
        for (int k = 0; k < n; k++) {
            Run.checkInterrupt("masked diffusion sampling");
            SplittableRandom r = root.split();
            Counts c = new Counts();
            out[k] = switch (sampler) {
                case MaskedSampler.TimeStepped ts -> timeStepped(ts, r, c);
                case MaskedSampler.FirstHitting fh -> firstHitting(fh, r, c);
            };
            draws += c.draws;
            nfe += c.nfe;
        }
        return new MaskedSamples(out, nfe / (double) n, draws / (double) n);
    }

    private static final class Counts {
        long nfe, draws;
    }

    private double[][] predict(int[] x, double t) {
        double[][] p = denoiser.predict(x.clone(), t);
        if (p == null || p.length != length) throw new IllegalStateException("denoiser returned " + (p == null ? "null" : p.length + " rows") + " for a sequence of " + length);
        return p;
    }

    private int[] firstHitting(MaskedSampler.FirstHitting fh, SplittableRandom r, Counts c) {
        SamplingPrecision precision = fh.precision();
        int[] x = masked();
        double t = 1;
        for (int n = length; n > 0; n--) {
            t = schedule.firstHit(t, n, 1 - r.nextDouble());
            int pick = r.nextInt(n), position = -1;
            for (int i = 0; i < length && pick >= 0; i++) if (x[i] == MaskedDenoiser.MASK && pick-- == 0) position = i;
            double[] p = row(predict(x, t), position);
            c.nfe++;
            x[position] = Categorical.sample(p, precision, r);
            c.draws++;
        }
        return x;
    }

    private int[] timeStepped(MaskedSampler.TimeStepped ts, SplittableRandom r, Counts c) {
        SamplingPrecision precision = ts.precision();
        int[] x = masked();
        int masked = length;
        double[][] logp = null;
        boolean changed = true;
        double[] logs = new double[vocabulary + 1];
        for (int step = 0; step < ts.steps() && masked > 0; step++) {
            double t = 1 - step / (double) ts.steps(), s = 1 - (step + 1) / (double) ts.steps();
            if (changed || !denoiser.timeAgnostic()) logp = logs(predict(x, t));   // a time-agnostic output is reused until x changes
            c.nfe++;
            changed = false;
            double at = schedule.alpha(t), as = schedule.alpha(s);
            double stay = precision.round(Math.log((1 - as) / (1 - at))), move = Math.log((as - at) / (1 - at));
            for (int i = 0; i < length; i++) {
                if (x[i] != MaskedDenoiser.MASK) continue;
                for (int v = 0; v < vocabulary; v++) logs[v] = precision.round(move + logp[i][v]);
                logs[vocabulary] = stay;
                int drawn = Categorical.gumbelMax(logs, vocabulary + 1, precision, r);
                c.draws++;
                if (drawn < vocabulary) {
                    x[i] = drawn;
                    masked--;
                    changed = true;
                }
            }
        }
        return x;
    }

    private double[][] logs(double[][] p) {
        double[][] out = new double[length][];
        for (int i = 0; i < length; i++) {
            double[] row = row(p, i);
            out[i] = new double[vocabulary];
            for (int v = 0; v < vocabulary; v++) out[i][v] = Math.log(row[v]);
        }
        return out;
    }

    /**
     * The exact law of the sequences {@code sampler} generates, by dynamic programming over the partly masked
     * sequences ({@code (V+1)^L} states, at most 2^20) in exact arithmetic: the law of the float64 sampler, without
     * sampling noise. Indexed as {@link MarkovSequence#law()}. The time-stepped law depends on the steps (one step
     * draws all tokens independently); the first-hitting law is the same for every schedule and, for a time-agnostic
     * denoiser, equals random-order token-by-token decoding (Zheng et al. 2024). Needs a time-agnostic
     * denoiser for the first-hitting sampler (its random times are not enumerated).
     */
    public double[] law(MaskedSampler sampler) {
        double states = Math.pow(vocabulary + 1, length);
        if (states > 1 << 20) throw new IllegalArgumentException("exact law: (V+1)^L = " + (long) states + " partly masked sequences, more than 2^20");
        if (sampler.precision() != SamplingPrecision.FLOAT64) throw new IllegalArgumentException("exact law: the law of a " + sampler.precision() + " sampler is not enumerated; use float64");
        var cache = new java.util.HashMap<Integer, double[][]>();
        double[] mass = new double[(int) states];
        mass[(int) states - 1] = 1;                                            // all masked: every digit is V
        int rounds = switch (sampler) {
            case MaskedSampler.TimeStepped ts -> ts.steps();
            case MaskedSampler.FirstHitting fh -> {
                if (!denoiser.timeAgnostic()) throw new IllegalArgumentException("exact law of the first-hitting sampler needs a time-agnostic denoiser");
                yield length;
            }
        };
        for (int round = 0; round < rounds; round++) {
            Run.checkInterrupt("exact masked-diffusion law");
            double[] next = new double[mass.length];
            for (int k = 0; k < mass.length; k++) {
                if (mass[k] == 0) continue;
                int[] x = decode(k);
                if (Arrays.stream(x).noneMatch(v -> v == MaskedDenoiser.MASK)) {
                    next[k] += mass[k];
                    continue;
                }
                double t = sampler instanceof MaskedSampler.TimeStepped ts ? 1 - round / (double) ts.steps() : 1;
                double[][] p = denoiser.timeAgnostic() ? cache.computeIfAbsent(k, key -> predict(x, t)) : predict(x, t);
                switch (sampler) {
                    case MaskedSampler.TimeStepped ts -> {
                        double s = 1 - (round + 1) / (double) ts.steps(), at = schedule.alpha(t), as = schedule.alpha(s);
                        spread(x, 0, k, mass[k], p, (1 - as) / (1 - at), (as - at) / (1 - at), next);
                    }
                    case MaskedSampler.FirstHitting fh -> {
                        long n = Arrays.stream(x).filter(v -> v == MaskedDenoiser.MASK).count();
                        for (int i = 0; i < length; i++) {
                            if (x[i] != MaskedDenoiser.MASK) continue;
                            double[] row = row(p, i);
                            for (int v = 0; v < vocabulary; v++) next[k - digit(i) * (vocabulary - v)] += mass[k] / n * row[v];
                        }
                    }
                }
            }
            mass = next;
        }
        double[] law = new double[(int) Math.pow(vocabulary, length)];
        for (int k = 0; k < mass.length; k++) {
            if (mass[k] == 0) continue;
            int[] x = decode(k);
            int index = 0;
            for (int v : x) {
                if (v == MaskedDenoiser.MASK) throw new IllegalStateException("exact law: mass left on a masked sequence after the last step");
                index = index * vocabulary + v;
            }
            law[index] += mass[k];
        }
        return law;
    }

    /**
     * The negative ELBO of the sequence {@code x} (nats) in its time-agnostic form (Zheng et al. 2024; Sahoo et al.
     * 2024; Shi et al. 2024): the continuous-time bound {@code ∫₀¹ (−α'_t)/(1 − α_t) E[Σ_{masked i} −log p̂(xⁱ | x_t)] dt}
     * depends on the schedule only through the substitution {@code a = α_t}, which leaves
     * {@code Σ_{M ≠ ∅} Σ_{i ∈ M} −log p̂(xⁱ | x with M masked) / (|M|·C(L, |M|))}: a reweighted masked-model loss,
     * summed here exactly over all {@code 2^L − 1} mask sets (L ≤ 20). With the exact denoiser it equals
     * {@code −log p(x)} (every unmasking order is a chain-rule factorisation); any other denoiser gives more. Needs a
     * time-agnostic denoiser (a time-conditioned one has no time-free bound).
     */
    public double nelbo(int[] x) {
        if (x.length != length) throw new IllegalArgumentException("nelbo: sequence has " + x.length + " tokens, the model " + length);
        for (int v : x) if (v < 0 || v >= vocabulary) throw new IllegalArgumentException("nelbo: token " + v + " is outside the vocabulary 0.." + (vocabulary - 1));
        if (length > 20) throw new IllegalArgumentException("nelbo: 2^" + length + " mask sets are too many to sum (L <= 20)");
        if (!denoiser.timeAgnostic()) throw new IllegalArgumentException("nelbo: the time-agnostic bound needs a time-agnostic denoiser");
        double[] binomial = new double[length + 1];
        binomial[0] = 1;
        for (int n = 1; n <= length; n++) binomial[n] = binomial[n - 1] * (length - n + 1) / n;
        double total = 0;
        for (int set = 1; set < 1 << length; set++) {
            if ((set & 1023) == 0) Run.checkInterrupt("masked-diffusion ELBO");
            int[] y = x.clone();
            for (int i = 0; i < length; i++) if ((set >> i & 1) == 1) y[i] = MaskedDenoiser.MASK;
            double[][] p = predict(y, 0.5);
            double loss = 0;
            for (int i = 0; i < length; i++) if ((set >> i & 1) == 1) loss -= Math.log(row(p, i)[x[i]]);
            int n = Integer.bitCount(set);
            total += loss / (n * binomial[n]);
        }
        return total;
    }

    /** One time step from state {@code k}: each masked position from {@code i} on stays or takes a token, independently. */
    private void spread(int[] x, int i, int k, double m, double[][] p, double stay, double move, double[] next) {
        if (m == 0) return;
        if (i == length) {
            next[k] += m;
            return;
        }
        if (x[i] != MaskedDenoiser.MASK) {
            spread(x, i + 1, k, m, p, stay, move, next);
            return;
        }
        spread(x, i + 1, k, m * stay, p, stay, move, next);
        double[] row = row(p, i);
        for (int v = 0; v < vocabulary; v++) spread(x, i + 1, k - digit(i) * (vocabulary - v), m * move * row[v], p, stay, move, next);
    }

    /** The place value of position i in the base-(V+1) state index (position 0 most significant). */
    private int digit(int i) {
        int d = 1;
        for (int j = length - 1; j > i; j--) d *= vocabulary + 1;
        return d;
    }

    private int[] decode(int k) {
        int[] x = new int[length];
        for (int i = length - 1; i >= 0; i--) {
            int v = k % (vocabulary + 1);
            x[i] = v == vocabulary ? MaskedDenoiser.MASK : v;
            k /= vocabulary + 1;
        }
        return x;
    }

    private double[] row(double[][] p, int position) {
        double[] row = p[position];
        if (row == null || row.length != vocabulary) throw new IllegalStateException("denoiser row " + position + " has " + (row == null ? "no" : row.length) + " entries, the vocabulary " + vocabulary);
        return row;
    }

    private int[] masked() {
        int[] x = new int[length];
        java.util.Arrays.fill(x, MaskedDenoiser.MASK);
        return x;
    }
}
