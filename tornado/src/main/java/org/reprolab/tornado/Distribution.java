package org.reprolab.tornado;

/** Distributions a device samples from with {@link Device#random}; see {@link org.reprolab.random.Philox} for the stream. */
public enum Distribution {
    /** Uniform on [0, 1). */
    UNIFORM,
    /** Standard normal, by the Box–Muller transform. */
    NORMAL
}
