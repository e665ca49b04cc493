package org.reprolab.random;

import java.util.ArrayList;
import java.util.List;

/**
 * A key for {@link Philox}: a value, not a stateful generator, in the style of JAX's
 * {@code PRNGKey}. Independent streams come from {@link #split} and {@link #foldIn} (derive a key
 * per layer, per step, per sample) instead of from a shared mutable generator, so adding a random
 * call in one place never shifts the numbers drawn in another.
 *
 * <p>Derivation: child {@code i} of {@code split} is the first two words of
 * {@code philox((i, 0, 0, SPLIT), key)}; {@code foldIn(d)} is the first two words of
 * {@code philox((lo32 d, hi32 d, 0, FOLD), key)}. The tag words keep these counters disjoint from
 * the ones the streams use (whose last word is 0).
 */
public record RngKey(int k0, int k1) implements java.io.Serializable {
    static final int SPLIT = 0x53504C54; // "SPLT"
    static final int FOLD = 0x464F4C44;  // "FOLD"

    /** A root key from a seed. */
    public static RngKey of(long seed) {
        return new RngKey((int) seed, (int) (seed >>> 32));
    }

    /** {@code n} independent child keys. */
    public List<RngKey> split(int n) {
        if (n < 0) throw new IllegalArgumentException("split count < 0: " + n);
        List<RngKey> keys = new ArrayList<>(n);
        int[] w = new int[4];
        for (int i = 0; i < n; i++) {
            Philox.block(i, 0, 0, SPLIT, k0, k1, w);
            keys.add(new RngKey(w[0], w[1]));
        }
        return List.copyOf(keys);
    }

    /** Two independent child keys. */
    public RngKey[] split() {
        return split(2).toArray(RngKey[]::new);
    }

    /** A key derived from this one and {@code data} (a step number, a layer index). */
    public RngKey foldIn(long data) {
        int[] w = new int[4];
        Philox.block((int) data, (int) (data >>> 32), 0, FOLD, k0, k1, w);
        return new RngKey(w[0], w[1]);
    }

    @Override
    public String toString() {
        return String.format("RngKey[%08x %08x]", k0, k1);
    }
}
