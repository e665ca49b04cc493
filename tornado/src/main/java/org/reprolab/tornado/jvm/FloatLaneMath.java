package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * {@code exp}, {@code log} and {@code tanh} on f32 lanes, built only from lane operations that IEEE 754
 * defines exactly (add, sub, mul, div, fma, compare, blend, integer bit operations on the reinterpreted
 * lanes). The Vector API's fallback (before C2 compiles a loop) and its intrinsics (after) compute each
 * of these identically, so unlike {@code lanewise(EXP)} (per-lane {@code Math} cold, SVML warm) the
 * result does not change as code warms up, and is the same on every JVM with the same lane width.
 * Errors against {@code Math}, rounded to f32, are checked over dense samples by {@code LaneMathTest}.
 *
 * <p>The algorithms are the classic ones: Cody and Waite's range reduction with a two-part ln 2
 * ({@code exp}, as in Cephes {@code expf} and SLEEF {@code xexpf}, including SLEEF's split of 2^q into two
 * factors so that subnormal results are rounded once), fdlibm's {@code log} ({@code x = 2^k m},
 * {@code m} in [sqrt(1/2), sqrt(2)), {@code log m = 2 atanh(f/(2+f))} as a minimax series in
 * {@code s = f/(2+f)}, the coefficients of musl's {@code logf}), and Cephes {@code tanhf} (odd minimax
 * polynomial below 0.625, {@code 1 - 2/(e^{2x}+1)} above). {@code DoubleLaneMath} is the f64 twin with
 * f64 coefficients.
 */
final class FloatLaneMath {
    private FloatLaneMath() {}

    private static final float LOG2E = 1.44269504088896341f;
    /** ln 2 in two parts: the high one has few enough bits that {@code q * LN2_HI} is exact for |q| <= 150. */
    private static final float LN2_HI = 0.693145751953125f, LN2_LO = 1.428606765330187045e-06f;
    /** Adding 1.5 * 2^23 rounds a float below 2^22 to an integer and leaves it in the low mantissa bits. */
    private static final float ROUNDER = 0x1.8p23f;
    private static final int ROUNDER_BITS = Float.floatToRawIntBits(ROUNDER);
    /** Below, exp rounds to 0; above, to infinity (clamping keeps q and the scale factors in range). */
    private static final float EXP_LO = -104f, EXP_HI = 104f;

    /** e^x to within 1 ulp of {@code (float) Math.exp(x)}. */
    static FloatVector exp(FloatVector x) {
        x = clamp(x, EXP_LO, EXP_HI);
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector q = t.sub(ROUNDER);
        return scale(expm1Reduced(x, q).add(1f), t.reinterpretAsInts().sub(ROUNDER_BITS));
    }

    /** Below, expm1 rounds to -1 (and 2^q stays normal). */
    private static final float EXPM1_LO = -30f;
    /** Above 2^64, e^x - 1 rounds to e^x. */
    private static final int EXPM1_BIG_Q = 64;

    /**
     * e^x - 1 to within 1 ulp of {@code (float) Math.expm1(x)}: {@code 2^q (1 + p) - 1} as
     * {@code fma(2^q, p, 2^q - 1)}, where {@code 2^q - 1} is exact, so near 0 (q = 0) it is {@code p} itself.
     */
    static FloatVector expm1(FloatVector x) {
        FloatVector xc = clamp(x, EXPM1_LO, EXP_HI);
        FloatVector t = xc.fma(LOG2E, ROUNDER);
        FloatVector q = t.sub(ROUNDER);
        IntVector qi = t.reinterpretAsInts().sub(ROUNDER_BITS);
        FloatVector p = expm1Reduced(xc, q);
        FloatVector two = pow2(qi.min(EXPM1_BIG_Q));
        FloatVector near = two.fma(p, two.sub(1f));
        FloatVector far = scale(p.add(1f), qi).sub(1f);
        return near.blend(far, qi.compare(VectorOperators.GT, EXPM1_BIG_Q).cast(x.species())).blend(x, x.eq(0f));
    }

    /**
     * e^s - 1 for s = x - q ln 2 (Cody and Waite: ln 2 in two parts, so s is exact to a few ulp),
     * |s| <= ln2/2, with Cephes expf's minimax coefficients for s^2/2, s^3/6, ...
     */
    private static FloatVector expm1Reduced(FloatVector x, FloatVector q) {
        FloatVector s = q.fma(q.broadcast(-LN2_HI), x);
        s = q.fma(q.broadcast(-LN2_LO), s);
        FloatVector u = s.fma(1.9875691500E-4f, 1.3981999507E-3f);
        u = mla(u, s, 8.3334519073E-3f);
        u = mla(u, s, 4.1665795894E-2f);
        u = mla(u, s, 1.6666665459E-1f);
        u = mla(u, s, 5.0000001201E-1f);
        return s.mul(s).fma(u, s);
    }

    /** x limited to [lo, hi]; NaN stays NaN. */
    private static FloatVector clamp(FloatVector x, float lo, float hi) {
        return x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi));
    }

    /** {@code u * 2^q} for |q| <= 150 with one rounding: 2^q as two normal factors 2^(q/2) and 2^(q - q/2). */
    private static FloatVector scale(FloatVector u, IntVector q) {
        IntVector half = q.lanewise(VectorOperators.ASHR, 1);
        return u.mul(pow2(half)).mul(pow2(q.sub(half)));
    }

    /** 2^k for -126 <= k <= 127, from its bits. */
    private static FloatVector pow2(IntVector k) {
        return k.add(127).lanewise(VectorOperators.LSHL, 23).reinterpretAsFloats();
    }

    private static final float LN2_HI_LOG = 6.9313812256e-01f, LN2_LO_LOG = 9.0580006145e-06f;
    private static final int SQRT_HALF_BITS = 0x3f3504f3, ONE_BITS = 0x3f800000;

    /** ln x to within 1 ulp of {@code (float) Math.log(x)}. */
    static FloatVector log(FloatVector x) {
        VectorMask<Float> sub = x.lt(Float.MIN_NORMAL);
        FloatVector xn = x.blend(x.mul(0x1p23f), sub);
        IntVector ix = xn.reinterpretAsInts().add(ONE_BITS - SQRT_HALF_BITS);
        IntVector k = ix.lanewise(VectorOperators.LSHR, 23).sub(0x7f).sub(23, sub.cast(ix.species()));
        FloatVector m = ix.and(0x007fffff).add(SQRT_HALF_BITS).reinterpretAsFloats();
        FloatVector f = m.sub(1f);
        FloatVector s = f.div(f.add(2f));
        FloatVector z = s.mul(s), w = z.mul(z);
        FloatVector t1 = w.mul(w.fma(0xf89e26.0p-26f, 0xccce13.0p-25f));
        FloatVector t2 = z.mul(w.fma(0x91e9ee.0p-25f, 0xaaaaaa.0p-24f));
        FloatVector r = t2.add(t1);
        FloatVector hfsq = f.mul(f).mul(0.5f);
        FloatVector dk = (FloatVector) k.convert(VectorOperators.I2F, 0);
        FloatVector y = s.mul(hfsq.add(r)).add(dk.mul(LN2_LO_LOG)).sub(hfsq).add(f).add(dk.mul(LN2_HI_LOG));
        return y.blend(Float.NEGATIVE_INFINITY, x.eq(0f))
                .blend(Float.NaN, x.lt(0f))
                .blend(x, x.eq(Float.POSITIVE_INFINITY).or(x.eq(x).not()));
    }

    /**
     * ln(1 + x) to within 2 ulp of {@code (float) Math.log1p(x)}: {@code log(u) + (x - (u - 1)) / u} for
     * {@code u = 1 + x} rounded, whose second term restores what the rounding of u lost (Goldberg 1991,
     * "What every computer scientist should know about floating-point arithmetic", theorem 4); where
     * u rounds to 1, log1p(x) rounds to x.
     */
    static FloatVector log1p(FloatVector x) {
        FloatVector u = x.add(1f);
        FloatVector lu = log(u);
        FloatVector y = lu.add(x.sub(u.sub(1f)).div(u));
        return y.blend(lu, u.eq(0f).or(u.eq(Float.POSITIVE_INFINITY))).blend(x, u.eq(1f));
    }

    /** Below this |x|, tanh is an odd polynomial; above, {@code 1 - 2/(e^{2|x|} + 1)}. */
    private static final float TANH_POLY = 0.625f;
    private static final int SIGN_BIT = 0x80000000;

    /** tanh x to within 2 ulp of {@code (float) Math.tanh(x)}. */
    static FloatVector tanh(FloatVector x) {
        FloatVector a = x.abs();
        FloatVector z = a.mul(a);
        FloatVector p = z.fma(-5.70498872745E-3f, 2.06390887954E-2f);
        p = mla(p, z, -5.37397155531E-2f);
        p = mla(p, z, 1.33314422036E-1f);
        p = mla(p, z, -3.33332819422E-1f);
        FloatVector small = p.mul(z).fma(a, a);
        FloatVector large = FloatVector.broadcast(x.species(), 1f).sub(FloatVector.broadcast(x.species(), 2f).div(expNormal(a.add(a).min(TANH_EXP_MAX)).add(1f)));
        FloatVector r = small.blend(large, a.lt(TANH_POLY).not());
        return r.reinterpretAsInts().or(x.reinterpretAsInts().and(SIGN_BIT)).reinterpretAsFloats();
    }

    /**
     * Above this, {@code 1 - 2/(e^x + 1)} rounds to 1 in float (2/e^40 is below 1e-17), so tanh clamps its
     * exponent here and takes {@link #expNormal}: the same values as {@link #exp}, with fewer lane ops.
     */
    private static final float TANH_EXP_MAX = 40f;

    /**
     * e^x for 0 <= x <= 88, where 2^q is a normal float: {@link #exp} without the clamp and the two-factor
     * scaling it needs for subnormal and near-overflow results, and with the same bits (a product by a normal
     * power of two is exact). Why it exists: with {@code exp}'s full form, a fused kernel with tanh outgrew C2's
     * node budget (NodeCountInliningCutoff), the last {@code pow2} was not inlined, and its vectors were boxed:
     * 260 MB of garbage per RK4 neural-ODE solve at batch 1,024 (2026-12-07).
     */
    private static FloatVector expNormal(FloatVector x) {
        FloatVector t = x.fma(LOG2E, ROUNDER);
        FloatVector q = t.sub(ROUNDER);
        return expm1Reduced(x, q).add(1f).mul(pow2(t.reinterpretAsInts().sub(ROUNDER_BITS)));
    }

    /** {@code a * b + c} with one rounding (Horner's step). */
    private static FloatVector mla(FloatVector a, FloatVector b, float c) {
        return a.fma(b, a.broadcast(c));
    }
}
