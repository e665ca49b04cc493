package org.reprolab.diffusion;

import java.util.SplittableRandom;

/**
 * The floating-point precision a categorical draw is made in: how many random bits its uniforms carry and to what
 * every intermediate is rounded. Zheng et al. (2024, "Masked diffusion models are secretly time-agnostic masked
 * models and exploit inaccurate categorical sampling") show that Gumbel-max sampling with float32 uniforms
 * truncates the Gumbel noise {@code g = −log(−log u)} at {@code u ≤ 1 − 2⁻²⁴}, i.e. {@code g ≤ 16.64}; a category
 * whose log-probability trails the leader by more than that can never be drawn, which lowers the effective
 * temperature. The precision is therefore part of a sampler's definition, never implicit: Java's
 * {@code nextFloat()} has 24 random bits, {@code nextDouble()} 53. {@link #HALF} (11 bits, IEEE binary16
 * arithmetic) makes the same truncation visible at small vocabularies and step counts.
 */
public enum SamplingPrecision {
    /** IEEE binary16: uniforms on a 2⁻¹¹ grid, every intermediate rounded to half precision; {@code g ≤ 7.62}. */
    HALF(11),
    /** IEEE binary32, as {@code torch.rand} in float32: uniforms on a 2⁻²⁴ grid; {@code g ≤ 16.64}. */
    FLOAT32(24),
    /** IEEE binary64: uniforms on a 2⁻⁵³ grid; {@code g ≤ 36.7}. */
    FLOAT64(53);

    private final int bits;

    SamplingPrecision(int bits) {
        this.bits = bits;
    }

    /** Random bits in one uniform; uniforms take the values {@code k·2^-bits}, k = 1 .. 2^bits − 1. */
    public int uniformBits() {
        return bits;
    }

    /**
     * A uniform on the open interval (0, 1) with {@link #uniformBits()} random bits: {@code k·2^-bits} with k uniform
     * on 1 .. 2^bits − 1 (a zero is redrawn; implementations add a tiny constant or clamp, since {@code u = 0} would
     * give the noise −∞).
     */
    public double uniform(SplittableRandom random) {
        long k;
        do {
            k = random.nextLong() >>> (64 - bits);
        } while (k == 0);
        return k * Math.scalb(1.0, -bits);
    }

    /** {@code x} rounded to this precision (round to nearest even; binary16 through binary32, as hardware casts do). */
    public double round(double x) {
        return switch (this) {
            case HALF -> Float.float16ToFloat(Float.floatToFloat16((float) x));
            case FLOAT32 -> (float) x;
            case FLOAT64 -> x;
        };
    }

    /** The Gumbel noise {@code −log(−log u)} of a uniform {@code u}, each logarithm rounded to this precision. */
    public double gumbel(double u) {
        return round(-Math.log(round(-Math.log(u))));
    }

    /** The largest Gumbel noise this precision can produce: {@code gumbel(1 − 2^-bits)}, about {@code bits·ln 2} (16.6355 for float32). */
    public double largestGumbel() {
        return gumbel(1 - Math.scalb(1.0, -bits));
    }

    /** The smallest Gumbel noise this precision can produce: {@code gumbel(2^-bits) = −log(bits·ln 2)} (−2.81 for float32). */
    public double smallestGumbel() {
        return gumbel(Math.scalb(1.0, -bits));
    }

    @Override
    public String toString() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
