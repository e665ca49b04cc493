package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reprolab.tornado.ReduceOp;

/**
 * Reductions of an f32 {@code [outer, n, inner]} block over its middle axis. Where lanes pay
 * (acceleration.md §4: 4x for a float dot product, because C2 will not reorder a scalar FP sum),
 * blocks of {@value #BLOCK} elements are reduced in SIMD lanes and the block results are added in
 * double, in block order. The blocks are fixed by {@code n} alone, so the result is the same for any
 * thread count.
 *
 * <p>{@code F64Reduce} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Reduce {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int BLOCK = 4096;
    /** Rows accumulated in f32 before they are flushed into the f64 accumulator when {@code inner > 1}. */
    private static final int FLUSH = 256;

    private F32Reduce() {}

    static void reduce(Parallel par, ReduceOp op, float[] x, int off, int outer, int n, int inner, float[] out, int outOff) {
        if (inner == 1) {
            if (outer == 1) {
                out[outOff] = (float) contiguous(par, op, x, off, n);
            } else {
                par.forRange(outer, Math.max(1, (1 << 16) / Math.max(1, n)), 1, (from, to) -> {
                    for (int o = from; o < to; o++) out[outOff + o] = (float) contiguous(null, op, x, off + o * n, n);
                });
            }
            return;
        }
        int grain = Math.max(1, (1 << 16) / Math.max(1, n * inner));
        par.forRange(outer, grain, 1, (from, to) -> {
            double[] accD = new double[inner];
            float[] accF = new float[inner];
            for (int o = from; o < to; o++) {
                columns(op, x, off + o * n * inner, n, inner, accF, accD);
                for (int j = 0; j < inner; j++) out[outOff + o * inner + j] = (float) accD[j];
            }
        });
    }

    /** Reduce {@code x[off .. off+n)}; parallel over blocks when {@code par} is given. */
    static double contiguous(Parallel par, ReduceOp op, float[] x, int off, int n) {
        if (n == 0) return op.identity();
        int blocks = (n + BLOCK - 1) / BLOCK;
        if (par == null || blocks < 16) {
            double acc = op.identity();
            for (int b = 0; b < blocks; b++) acc = combine(op, acc, block(op, x, off + b * BLOCK, Math.min(BLOCK, n - b * BLOCK)));
            return acc;
        }
        double[] partial = new double[blocks];
        par.forRange(blocks, 16, 1, (from, to) -> {
            for (int b = from; b < to; b++) partial[b] = block(op, x, off + b * BLOCK, Math.min(BLOCK, n - b * BLOCK));
        });
        double acc = op.identity();
        for (double p : partial) acc = combine(op, acc, p);
        return acc;
    }

    static double combine(ReduceOp op, double acc, double v) {
        return switch (op) {
            case SUM, SUM_SQUARES -> acc + v;
            case MAX, MAX_ABS -> Math.max(acc, v);
            case MIN -> Math.min(acc, v);
        };
    }

    private static double block(ReduceOp op, float[] x, int off, int n) {
        int i = 0, ub = S.loopBound(n);
        switch (op) {
            case SUM -> {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                for (; i + L < ub; i += 2 * L) {
                    a0 = a0.add(FloatVector.fromArray(S, x, off + i));
                    a1 = a1.add(FloatVector.fromArray(S, x, off + i + L));
                }
                for (; i < ub; i += L) a0 = a0.add(FloatVector.fromArray(S, x, off + i));
                double r = F32Lanes.sum(a0.add(a1));
                for (; i < n; i++) r += x[off + i];
                return r;
            }
            case SUM_SQUARES -> {
                FloatVector a0 = FloatVector.zero(S), a1 = FloatVector.zero(S);
                for (; i + L < ub; i += 2 * L) {
                    FloatVector v0 = FloatVector.fromArray(S, x, off + i), v1 = FloatVector.fromArray(S, x, off + i + L);
                    a0 = v0.fma(v0, a0);
                    a1 = v1.fma(v1, a1);
                }
                for (; i < ub; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, off + i);
                    a0 = v.fma(v, a0);
                }
                double r = F32Lanes.sum(a0.add(a1));
                for (; i < n; i++) r += (double) x[off + i] * x[off + i];
                return r;
            }
            case MAX -> {
                FloatVector a = FloatVector.broadcast(S, Float.NEGATIVE_INFINITY);
                for (; i < ub; i += L) a = a.max(FloatVector.fromArray(S, x, off + i));
                double r = a.reduceLanes(VectorOperators.MAX);
                for (; i < n; i++) r = Math.max(r, x[off + i]);
                return r;
            }
            case MIN -> {
                FloatVector a = FloatVector.broadcast(S, Float.POSITIVE_INFINITY);
                for (; i < ub; i += L) a = a.min(FloatVector.fromArray(S, x, off + i));
                double r = a.reduceLanes(VectorOperators.MIN);
                for (; i < n; i++) r = Math.min(r, x[off + i]);
                return r;
            }
            case MAX_ABS -> {
                FloatVector a = FloatVector.zero(S);
                for (; i < ub; i += L) a = a.max(FloatVector.fromArray(S, x, off + i).abs());
                double r = a.reduceLanes(VectorOperators.MAX);
                for (; i < n; i++) r = Math.max(r, Math.abs(x[off + i]));
                return r;
            }
        }
        throw new IllegalStateException(op.toString());
    }

    /** Column reduction of an {@code n x inner} row-major block into {@code accD}. */
    private static void columns(ReduceOp op, float[] x, int off, int n, int inner, float[] accF, double[] accD) {
        java.util.Arrays.fill(accD, op.identity());
        int ub = S.loopBound(inner);
        for (int r0 = 0; r0 < n; r0 += FLUSH) {
            int r1 = Math.min(n, r0 + FLUSH);
            java.util.Arrays.fill(accF, (float) op.identity());
            for (int r = r0; r < r1; r++) {
                int row = off + r * inner;
                int j = 0;
                switch (op) {
                    case SUM -> {
                        for (; j < ub; j += L) FloatVector.fromArray(S, accF, j).add(FloatVector.fromArray(S, x, row + j)).intoArray(accF, j);
                        for (; j < inner; j++) accF[j] += x[row + j];
                    }
                    case SUM_SQUARES -> {
                        for (; j < ub; j += L) {
                            FloatVector v = FloatVector.fromArray(S, x, row + j);
                            v.fma(v, FloatVector.fromArray(S, accF, j)).intoArray(accF, j);
                        }
                        for (; j < inner; j++) accF[j] += x[row + j] * x[row + j];
                    }
                    case MAX -> {
                        for (; j < ub; j += L) FloatVector.fromArray(S, accF, j).max(FloatVector.fromArray(S, x, row + j)).intoArray(accF, j);
                        for (; j < inner; j++) accF[j] = Math.max(accF[j], x[row + j]);
                    }
                    case MIN -> {
                        for (; j < ub; j += L) FloatVector.fromArray(S, accF, j).min(FloatVector.fromArray(S, x, row + j)).intoArray(accF, j);
                        for (; j < inner; j++) accF[j] = Math.min(accF[j], x[row + j]);
                    }
                    case MAX_ABS -> {
                        for (; j < ub; j += L)
                            FloatVector.fromArray(S, accF, j).max(FloatVector.fromArray(S, x, row + j).abs()).intoArray(accF, j);
                        for (; j < inner; j++) accF[j] = Math.max(accF[j], Math.abs(x[row + j]));
                    }
                }
            }
            for (int j = 0; j < inner; j++) accD[j] = combine(op, accD[j], accF[j]);
        }
    }
}
