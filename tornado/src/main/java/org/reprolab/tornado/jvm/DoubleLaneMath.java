package org.reprolab.tornado.jvm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.LongVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * The f64 twin of {@link FloatLaneMath} (read its note for why and how): the same algorithms with f64
 * coefficients, longer polynomials and 64-bit lane bit operations. Coefficients: {@code exp} the
 * Taylor series of e^s to s^13 (its remainder on |s| <= ln2/2 is below 5e-18), {@code log} fdlibm's
 * {@code __ieee754_log} (Lg1..Lg7), {@code tanh} Cephes {@code tanh}'s rational approximation below 0.625.
 */
final class DoubleLaneMath {
    private DoubleLaneMath() {}

    private static final double LOG2E = 1.4426950408889634074;
    private static final double LN2_HI = .69314718055966295651160180568695068359375,
            LN2_LO = .28235290563031577122588448175013436025525412068e-12;
    private static final double ROUNDER = 0x1.8p52;
    private static final long ROUNDER_BITS = Double.doubleToRawLongBits(ROUNDER);
    private static final double EXP_LO = -1080, EXP_HI = 1080;
    /** 1/k! for k = 13 down to 2. */
    private static final double[] TAYLOR = taylor();

    private static double[] taylor() {
        double[] c = new double[12];
        for (int k = 13; k >= 2; k--) {
            double f = 1;
            for (int j = 2; j <= k; j++) f *= j;
            c[13 - k] = 1 / f;
        }
        return c;
    }

    /** e^x to within 1 ulp of {@code Math.exp(x)}. */
    static DoubleVector exp(DoubleVector x) {
        x = clamp(x, EXP_LO, EXP_HI);
        DoubleVector t = x.fma(LOG2E, ROUNDER);
        DoubleVector q = t.sub(ROUNDER);
        return scale(expm1Reduced(x, q).add(1), t.reinterpretAsLongs().sub(ROUNDER_BITS));
    }

    private static final double EXPM1_LO = -60;
    private static final long EXPM1_BIG_Q = 512;

    /** e^x - 1 to within 1 ulp of {@code Math.expm1(x)} ({@code fma(2^q, p, 2^q - 1)}, as in f32). */
    static DoubleVector expm1(DoubleVector x) {
        DoubleVector xc = clamp(x, EXPM1_LO, EXP_HI);
        DoubleVector t = xc.fma(LOG2E, ROUNDER);
        DoubleVector q = t.sub(ROUNDER);
        LongVector qi = t.reinterpretAsLongs().sub(ROUNDER_BITS);
        DoubleVector p = expm1Reduced(xc, q);
        DoubleVector two = pow2(qi.min(EXPM1_BIG_Q));
        DoubleVector near = two.fma(p, two.sub(1));
        DoubleVector far = scale(p.add(1), qi).sub(1);
        return near.blend(far, qi.compare(VectorOperators.GT, EXPM1_BIG_Q).cast(x.species())).blend(x, x.eq(0));
    }

    /** e^s - 1 for s = x - q ln 2 (two-part ln 2), |s| <= ln2/2, by its Taylor series. */
    private static DoubleVector expm1Reduced(DoubleVector x, DoubleVector q) {
        DoubleVector s = q.fma(q.broadcast(-LN2_HI), x);
        s = q.fma(q.broadcast(-LN2_LO), s);
        DoubleVector u = DoubleVector.broadcast(x.species(), TAYLOR[0]);
        for (int k = 1; k < TAYLOR.length; k++) u = mla(u, s, TAYLOR[k]);
        return s.mul(s).fma(u, s);
    }

    /** {@code u * 2^q} for |q| <= 2044 with one rounding (2^q as two normal factors). */
    private static DoubleVector scale(DoubleVector u, LongVector q) {
        LongVector half = q.lanewise(VectorOperators.ASHR, 1);
        return u.mul(pow2(half)).mul(pow2(q.sub(half)));
    }

    private static DoubleVector clamp(DoubleVector x, double lo, double hi) {
        return x.blend(lo, x.lt(lo)).blend(hi, x.compare(VectorOperators.GT, hi));
    }

    /** 2^k for -1022 <= k <= 1023, from its bits. */
    private static DoubleVector pow2(LongVector k) {
        return k.add(1023).lanewise(VectorOperators.LSHL, 52).reinterpretAsDoubles();
    }

    private static final double LN2_HI_LOG = 6.93147180369123816490e-01, LN2_LO_LOG = 1.90821492927058770002e-10;
    private static final long SQRT_HALF_BITS = 0x3fe6a09e667f3bcdL, ONE_BITS = 0x3ff0000000000000L;

    /** ln x to within 1 ulp of {@code Math.log(x)}. */
    static DoubleVector log(DoubleVector x) {
        VectorMask<Double> sub = x.lt(Double.MIN_NORMAL);
        DoubleVector xn = x.blend(x.mul(0x1p54), sub);
        LongVector ix = xn.reinterpretAsLongs().add(ONE_BITS - SQRT_HALF_BITS);
        LongVector k = ix.lanewise(VectorOperators.LSHR, 52).sub(0x3ff).sub(54, sub.cast(ix.species()));
        DoubleVector m = ix.and(0x000fffffffffffffL).add(SQRT_HALF_BITS).reinterpretAsDoubles();
        DoubleVector f = m.sub(1);
        DoubleVector s = f.div(f.add(2));
        DoubleVector z = s.mul(s), w = z.mul(z);
        DoubleVector t1 = w.mul(mla(w.fma(1.531383769920937332e-01, 2.222219843214978396e-01), w, 3.999999999940941908e-01));
        DoubleVector t2 = z.mul(mla(mla(w.fma(1.479819860511658591e-01, 1.818357216161805012e-01), w, 2.857142874366239149e-01), w, 6.666666666666735130e-01));
        DoubleVector r = t2.add(t1);
        DoubleVector hfsq = f.mul(f).mul(0.5);
        DoubleVector dk = (DoubleVector) k.convert(VectorOperators.L2D, 0);
        DoubleVector y = s.mul(hfsq.add(r)).add(dk.mul(LN2_LO_LOG)).sub(hfsq).add(f).add(dk.mul(LN2_HI_LOG));
        return y.blend(Double.NEGATIVE_INFINITY, x.eq(0))
                .blend(Double.NaN, x.lt(0))
                .blend(x, x.eq(Double.POSITIVE_INFINITY).or(x.eq(x).not()));
    }

    /** ln(1 + x) to within 2 ulp of {@code Math.log1p(x)} (Goldberg's correction, as in f32). */
    static DoubleVector log1p(DoubleVector x) {
        DoubleVector u = x.add(1);
        DoubleVector lu = log(u);
        DoubleVector y = lu.add(x.sub(u.sub(1)).div(u));
        return y.blend(lu, u.eq(0).or(u.eq(Double.POSITIVE_INFINITY))).blend(x, u.eq(1));
    }

    private static final double TANH_POLY = 0.625;
    private static final long SIGN_BIT = 0x8000000000000000L;

    /** tanh x to within 2 ulp of {@code Math.tanh(x)}. */
    static DoubleVector tanh(DoubleVector x) {
        DoubleVector a = x.abs();
        DoubleVector z = a.mul(a);
        DoubleVector p = mla(z.fma(-9.64399179425052238628E-1, -9.92877231001918586564E1), z, -1.61468768441708447952E3);
        DoubleVector q = mla(mla(z.add(1.12811678491632931402E2), z, 2.23548839060100448583E3), z, 4.84406305325125486048E3);
        DoubleVector small = z.mul(p.div(q)).fma(a, a);
        DoubleVector one = DoubleVector.broadcast(x.species(), 1);
        DoubleVector large = one.sub(DoubleVector.broadcast(x.species(), 2).div(exp(a.add(a)).add(1)));
        DoubleVector r = small.blend(large, a.lt(TANH_POLY).not());
        return r.reinterpretAsLongs().or(x.reinterpretAsLongs().and(SIGN_BIT)).reinterpretAsDoubles();
    }

    /** {@code a * b + c} with one rounding (Horner's step). */
    private static DoubleVector mla(DoubleVector a, DoubleVector b, double c) {
        return a.fma(b, a.broadcast(c));
    }
}
