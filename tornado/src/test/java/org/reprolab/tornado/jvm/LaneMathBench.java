package org.reprolab.tornado.jvm;

import java.util.SplittableRandom;
import java.util.function.DoubleUnaryOperator;
import java.util.function.UnaryOperator;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * ns per element of {@code exp}, {@code expm1}, {@code log}, {@code log1p} and {@code tanh} on one thread, 1M elements, three ways:
 * {@link FloatLaneMath}/{@link DoubleLaneMath} (the default), scalar {@code Math} per lane (the default
 * before them) and the Vector API's SIMD math ({@code -Dreprolab.jvm.fastMath=true}). Not a test: run
 * {@code java --add-modules jdk.incubator.vector -cp tornado/target/classes:tornado/target/test-classes
 * -Dop=exp org.reprolab.tornado.jvm.LaneMathBench} (or expm1, log, log1p, tanh); numbers go to docs/performance.md.
 */
final class LaneMathBench {
    private static final VectorSpecies<Float> FS = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> DS = DoubleVector.SPECIES_PREFERRED;
    private static final int N = 1 << 20, ROUNDS = 7;

    /** The op under test, a constant to C2 (static final), as the Vector API needs to intrinsify it. */
    private static final String OP = System.getProperty("op", "exp");
    private static final VectorOperators.Unary SIMD = switch (OP) {
        case "exp" -> VectorOperators.EXP;
        case "log" -> VectorOperators.LOG;
        case "tanh" -> VectorOperators.TANH;
        case "expm1" -> VectorOperators.EXPM1;
        case "log1p" -> VectorOperators.LOG1P;
        default -> throw new IllegalArgumentException("op must be exp, expm1, log, log1p or tanh, not " + OP);
    };
    private static final DoubleUnaryOperator MATH = switch (OP) {
        case "exp" -> Math::exp;
        case "log" -> Math::log;
        case "expm1" -> Math::expm1;
        case "log1p" -> Math::log1p;
        default -> Math::tanh;
    };
    private static final UnaryOperator<FloatVector> F32 = switch (OP) {
        case "exp" -> FloatLaneMath::exp;
        case "log" -> FloatLaneMath::log;
        case "expm1" -> FloatLaneMath::expm1;
        case "log1p" -> FloatLaneMath::log1p;
        default -> FloatLaneMath::tanh;
    };
    private static final UnaryOperator<DoubleVector> F64 = switch (OP) {
        case "exp" -> DoubleLaneMath::exp;
        case "log" -> DoubleLaneMath::log;
        case "expm1" -> DoubleLaneMath::expm1;
        case "log1p" -> DoubleLaneMath::log1p;
        default -> DoubleLaneMath::tanh;
    };

    /** One op per JVM ({@code -Dop=exp|expm1|log|log1p|tanh}), so every call site below sees one target. */
    public static void main(String[] args) {
        SplittableRandom r = new SplittableRandom(1);
        float[] fx = new float[N], fy = new float[N];
        double[] dx = new double[N], dy = new double[N];
        for (int i = 0; i < N; i++) dx[i] = fx[i] = (float) r.nextDouble(0.01, 8);
        f32(OP, fx, fy);
        f64(OP, dx, dy);
    }

    // the loops read the static finals, not parameters: a captured operator is no constant to C2
    private static void f32(String name, float[] x, float[] y) {
        Runnable ours = () -> { for (int i = 0; i < N; i += FS.length()) F32.apply(FloatVector.fromArray(FS, x, i)).intoArray(y, i); };
        Runnable fast = () -> { for (int i = 0; i < N; i += FS.length()) FloatVector.fromArray(FS, x, i).lanewise(SIMD).intoArray(y, i); };
        Runnable perLane = () -> {
            for (int i = 0; i < N; i += FS.length()) {
                float[] t = FloatVector.fromArray(FS, x, i).toArray();
                for (int j = 0; j < t.length; j++) t[j] = (float) MATH.applyAsDouble(t[j]);
                FloatVector.fromArray(FS, t, 0).intoArray(y, i);
            }
        };
        System.out.printf("f32 %-5s lane math %5.2f  Math per lane %5.2f  SIMD (fastMath) %5.2f ns/element%n",
                name, time(ours), time(perLane), time(fast));
    }

    private static void f64(String name, double[] x, double[] y) {
        Runnable ours = () -> { for (int i = 0; i < N; i += DS.length()) F64.apply(DoubleVector.fromArray(DS, x, i)).intoArray(y, i); };
        Runnable fast = () -> { for (int i = 0; i < N; i += DS.length()) DoubleVector.fromArray(DS, x, i).lanewise(SIMD).intoArray(y, i); };
        Runnable perLane = () -> {
            for (int i = 0; i < N; i += DS.length()) {
                double[] t = DoubleVector.fromArray(DS, x, i).toArray();
                for (int j = 0; j < t.length; j++) t[j] = MATH.applyAsDouble(t[j]);
                DoubleVector.fromArray(DS, t, 0).intoArray(y, i);
            }
        };
        System.out.printf("f64 %-5s lane math %5.2f  Math per lane %5.2f  SIMD (fastMath) %5.2f ns/element%n",
                name, time(ours), time(perLane), time(fast));
    }

    /** The best of {@link #ROUNDS} timed runs after as many warm-up runs, in ns per element. */
    private static double time(Runnable run) {
        for (int i = 0; i < ROUNDS * 3; i++) run.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < ROUNDS; i++) {
            long t = System.nanoTime();
            run.run();
            best = Math.min(best, System.nanoTime() - t);
        }
        return (double) best / N;
    }
}
