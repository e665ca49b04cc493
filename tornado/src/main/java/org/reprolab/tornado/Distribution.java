package org.reprolab.tornado;

/** Distributions a device samples from with {@link Device#random}; see {@code rng.Philox} for the stream. */
public enum Distribution {
    /** Uniform on [0, 1). */
    UNIFORM,
    /** Standard normal, by the Box–Muller transform. */
    NORMAL
}
