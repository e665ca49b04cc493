package org.reprolab.nn;

/** Derives independent child seeds from one user seed (SplitMix64 finaliser), so layers never share a stream. */
final class Seeds {
    private Seeds() {}

    static long derive(long seed, long index) {
        long z = seed + 0x9E3779B97F4A7C15L * (index + 1);
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
