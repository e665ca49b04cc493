package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reprolab.tornado.expr.BinaryOp;
import org.reprolab.tornado.expr.UnaryOp;

/**
 * The transcendental lane operations of the jvm device's kernels ({@link F32Engine}, {@link F32Fused}),
 * computed so that a rerun gives the same bits. The Vector API's {@code lanewise(EXP)} and kin are not
 * reproducible within one JVM: until C2 compiles the calling loop they run the per-lane {@code Math}
 * fallback, afterwards the intrinsic (SVML on x86, SLEEF on AArch64), which differs in the last bit for
 * a few percent of inputs (measured on AVX-512: 49 of 4096 f32 {@code exp} results, 186 of 4096 f64).
 * So by default {@code exp}, {@code expm1}, {@code log}, {@code log1p} and {@code tanh} are {@link FloatLaneMath}'s, written from lane
 * operations that IEEE 754 defines exactly (same bits cold and warm, within 1-2 ulp of {@code Math}),
 * and the rarer {@code sin}, {@code cos} and {@code pow} go through the
 * scalar {@code Math} function per lane (HotSpot's interpreter and compilers share the same {@code Math}
 * stubs). {@link #apply} gives a uniform (scalar) operand the same bits as a lane.
 * {@code -Dreprolab.jvm.fastMath=true} restores the Vector API's SIMD math for users who accept
 * last-bit differences between runs.
 *
 * <p>{@code F64Lanes} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Lanes {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /** Whether the SIMD (non-reproducible) math is used; read once, so C2 folds the branch away. */
    static final boolean FAST_MATH = Boolean.getBoolean("reprolab.jvm.fastMath");

    private F32Lanes() {}

    /**
     * {@code op} (EXP, EXPM1, LOG, LOG1P, SIN, COS or TANH) on every lane. Callers pass a constant, so
     * once inlined the switch folds and the fast path is the intrinsic.
     */
    static FloatVector map(FloatVector x, UnaryOp op) {
        if (FAST_MATH) return x.lanewise(switch (op) {
            case EXP -> VectorOperators.EXP;
            case EXPM1 -> VectorOperators.EXPM1;
            case LOG -> VectorOperators.LOG;
            case LOG1P -> VectorOperators.LOG1P;
            case SIN -> VectorOperators.SIN;
            case COS -> VectorOperators.COS;
            case TANH -> VectorOperators.TANH;
            default -> throw new IllegalArgumentException("no lane map for " + op);
        });
        switch (op) {
            case EXP: return FloatLaneMath.exp(x);
            case LOG: return FloatLaneMath.log(x);
            case TANH: return FloatLaneMath.tanh(x);
            case EXPM1: return FloatLaneMath.expm1(x);
            case LOG1P: return FloatLaneMath.log1p(x);
            default:
        }
        float[] t = x.toArray();
        for (int i = 0; i < t.length; i++) t[i] = (float) op.apply(t[i]);
        return FloatVector.fromArray(S, t, 0);
    }

    /**
     * {@code op} on one value, with the bits a lane of {@link #map} gets (the interpreted engine's uniform
     * operands), and {@code op}'s {@link UnaryOp#apply} for the ops that have no lane map.
     */
    static float apply(UnaryOp op, float x) {
        return switch (op) {
            case EXP, EXPM1, LOG, LOG1P, SIN, COS, TANH -> map(FloatVector.broadcast(S, x), op).lane(0);
            default -> (float) op.apply(x);
        };
    }

    static FloatVector pow(FloatVector x, FloatVector y) {
        if (FAST_MATH) return x.lanewise(VectorOperators.POW, y);
        float[] t = x.toArray(), u = y.toArray();
        for (int i = 0; i < t.length; i++) t[i] = (float) BinaryOp.POW.apply(t[i], u[i]);
        return FloatVector.fromArray(S, t, 0);
    }

    /**
     * The sum of the lanes in lane order. {@code reduceLanes(ADD)} may add lanes in any order and does:
     * the fallback adds them in sequence, the C2 intrinsic as a tree, so a reduction's last bits changed
     * when its loop got compiled (the cause of M-FAC's differing reruns, issue 13).
     */
    static double sum(FloatVector x) {
        float[] t = LANES.get(); // not x.toArray(): a fresh array per reduction block was garbage in every training step
        x.intoArray(t, 0);
        double r = 0;
        for (int i = 0, n = x.length(); i < n; i++) r += t[i];
        return r;
    }

    /** This thread's lane buffer for {@link #sum}, as wide as the widest species. */
    private static final ThreadLocal<float[]> LANES = ThreadLocal.withInitial(() -> new float[FloatVector.SPECIES_MAX.length()]);
}
