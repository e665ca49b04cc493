package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link FloatLaneMath} and {@link DoubleLaneMath} against {@code Math} (the independent reference):
 * f32 over every 127th bit pattern of the whole float line plus the special values, f64 over random
 * bit patterns, random values in the working range and the special values. The error is counted in
 * representable numbers between the result and {@code Math}'s, rounded to the lane type; NaN must
 * match NaN and an infinity or a signed zero must match exactly.
 */
class LaneMathTest {
    /** Prime, so the sample walks through every mantissa residue and exponent. */
    private static final long STEP = 127;
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final float[] F_EDGES = {0f, -0f, Float.MIN_VALUE, -Float.MIN_VALUE, Float.MIN_NORMAL, Float.MAX_VALUE,
        -Float.MAX_VALUE, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN, 1f, -1f, 88.72283f, 88.72284f,
        -87.33655f, -103.972084f, -103.97208f, -104f, 104f, 0.625f, -0.625f, 9.01f, 1e-30f, -1e-30f, 0x1p-149f, 0.5f, 2f};
    private static final double[] D_EDGES = {0, -0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, 1, -1, 709.782712893384,
        709.7827128933841, -708.3964185322641, -745.1332191019411, -745.1332191019412, -1080, 1080, 0.625, -0.625,
        22, 1e-300, -1e-300, 0.5, 2};

    @Test
    void f32WithinOneOrTwoUlpOfMathOverTheWholeLine() {
        float[] xs = new float[(int) ((0x1_0000_0000L + STEP - 1) / STEP) + F_EDGES.length];
        int n = 0;
        for (long b = 0; b < 0x1_0000_0000L; b += STEP) xs[n++] = Float.intBitsToFloat((int) b);
        System.arraycopy(F_EDGES, 0, xs, n, F_EDGES.length);
        assertUlps("f32 exp", xs, FloatLaneMath::exp, Math::exp, 1);
        assertUlps("f32 log", xs, FloatLaneMath::log, Math::log, 1);
        assertUlps("f32 tanh", xs, FloatLaneMath::tanh, Math::tanh, 2);
        assertUlps("f32 expm1", xs, FloatLaneMath::expm1, Math::expm1, 1);
        assertUlps("f32 log1p", xs, FloatLaneMath::log1p, Math::log1p, 2);
    }

    @Test
    void f64WithinAFewUlpOfMath() {
        SplittableRandom r = new SplittableRandom(13);
        double[] xs = new double[3_000_000 + D_EDGES.length];
        for (int i = 0; i < 3_000_000; i++)
            xs[i] = switch (i % 3) {
                case 0 -> Double.longBitsToDouble(r.nextLong());
                case 1 -> r.nextDouble(-750, 750);
                default -> r.nextDouble(-2, 2);
            };
        System.arraycopy(D_EDGES, 0, xs, 3_000_000, D_EDGES.length);
        assertUlps("f64 exp", xs, DoubleLaneMath::exp, Math::exp, 1);
        assertUlps("f64 log", xs, DoubleLaneMath::log, Math::log, 1);
        assertUlps("f64 tanh", xs, DoubleLaneMath::tanh, Math::tanh, 2);
        assertUlps("f64 expm1", xs, DoubleLaneMath::expm1, Math::expm1, 2);
        assertUlps("f64 log1p", xs, DoubleLaneMath::log1p, Math::log1p, 2);
    }

    private static void assertUlps(String what, float[] xs, UnaryOperator<FloatVector> f, DoubleUnaryOperator ref, int bound) {
        float[] got = new float[xs.length + FS.length()];
        for (int i = 0; i < xs.length; i += FS.length()) f.apply(FloatVector.fromArray(FS, xs, i, FS.indexInRange(i, xs.length))).intoArray(got, i);
        long worst = 0;
        float worstAt = 0;
        for (int i = 0; i < xs.length; i++) {
            long d = distance(got[i], (float) ref.applyAsDouble(xs[i]));
            if (d > worst) { worst = d; worstAt = xs[i]; }
        }
        System.out.println(what + ": max " + worst + " ulp at x = " + worstAt);
        assertTrue(worst <= bound, what + " is " + worst + " ulp off Math at x = " + worstAt);
    }

    private static void assertUlps(String what, double[] xs, UnaryOperator<DoubleVector> f, DoubleUnaryOperator ref, int bound) {
        double[] got = new double[xs.length + DS.length()];
        for (int i = 0; i < xs.length; i += DS.length()) f.apply(DoubleVector.fromArray(DS, xs, i, DS.indexInRange(i, xs.length))).intoArray(got, i);
        long worst = 0;
        double worstAt = 0;
        for (int i = 0; i < xs.length; i++) {
            long d = distance(got[i], ref.applyAsDouble(xs[i]));
            if (d > worst) { worst = d; worstAt = xs[i]; }
        }
        System.out.println(what + ": max " + worst + " ulp at x = " + worstAt);
        assertTrue(worst <= bound, what + " is " + worst + " ulp off Math at x = " + worstAt);
    }

    /** Representable floats from a to b (NaN to NaN 0, NaN to a number "infinitely" many); -0 and 0 differ. */
    static long distance(float a, float b) {
        if (Float.isNaN(a) || Float.isNaN(b)) return Float.isNaN(a) && Float.isNaN(b) ? 0 : Long.MAX_VALUE;
        if (Float.floatToRawIntBits(a) == Float.floatToRawIntBits(b)) return 0;
        if (Float.isInfinite(a) || Float.isInfinite(b) || a == 0 && b == 0) return Long.MAX_VALUE;
        return Math.abs(ordered(Float.floatToRawIntBits(a)) - ordered(Float.floatToRawIntBits(b)));
    }

    static long distance(double a, double b) {
        if (Double.isNaN(a) || Double.isNaN(b)) return Double.isNaN(a) && Double.isNaN(b) ? 0 : Long.MAX_VALUE;
        if (Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b)) return 0;
        if (Double.isInfinite(a) || Double.isInfinite(b) || a == 0 && b == 0) return Long.MAX_VALUE;
        long ia = Double.doubleToRawLongBits(a), ib = Double.doubleToRawLongBits(b);
        return Math.abs((ia < 0 ? Long.MIN_VALUE - ia : ia) - (ib < 0 ? Long.MIN_VALUE - ib : ib));
    }

    private static long ordered(int bits) {
        return bits < 0 ? (long) Integer.MIN_VALUE - bits : bits;
    }
}
