package org.reprolab.tornado.jvm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.Schedule;

/**
 * Runs a {@link Schedule} on f64 heap arrays, numexpr-style: the data is cut into chunks of
 * {@value #CHUNK} elements and each schedule node runs as one Vector API lane loop over the chunk,
 * into a chunk-sized temporary that stays in L1. Temporaries are reused by liveness, so even a
 * 20-node Adam step touches a few tens of KB besides its streams. One pass over memory, like a
 * fused loop, while {@code exp/tanh/log} use the Vector API's SIMD math (acceleration.md §4 measured
 * 11x over scalar {@code Math.exp} for such maps).
 *
 * <p>Tails use masked lanes rather than scalar code, so every element goes through the same
 * instruction whatever the chunking, and results do not depend on the thread count.
 *
 * <p>Generated from {@code F32Engine} by {@code tornado/gen-f64.sh}: edit that file and regenerate.
 */
@SuppressWarnings("cast") // casts that are needed in the f32 original
final class F64Engine {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int CHUNK = 1024;

    private final Schedule sch;
    private final int[][] args;
    private final int[] phys;
    private final int temps;

    F64Engine(Schedule sch) {
        this.sch = sch;
        int n = sch.size();
        args = new int[n][];
        int[] lastUse = new int[n];
        Arrays.fill(lastUse, -1);
        for (int s = 0; s < n; s++) {
            args[s] = sch.args(s);
            for (int a : args[s]) lastUse[a] = s;
        }
        for (int k = 0; k < sch.outputCount(); k++) lastUse[sch.output(k)] = n;
        phys = new int[n];
        Deque<Integer> free = new ArrayDeque<>();
        int next = 0;
        for (int s = 0; s < n; s++) {
            if (!sch.uniform(s))
                for (int a : args[s])
                    if (lastUse[a] == s && !sch.uniform(a) && !free.contains(phys[a])) free.push(phys[a]);
            phys[s] = sch.uniform(s) || free.isEmpty() ? next++ : free.pop();
        }
        temps = next;
    }

    /** Operands: arrays, offsets, strides (null = contiguous) over {@code shape} of {@code n} elements. */
    void run(Parallel par, int[] shape, int n, double[][] in, int[] inOff, int[][] inSt,
            double[][] out, int[] outOff, int[][] outSt, double[] params) {
        int size = sch.size();
        double[] uni = new double[size];
        for (int s = 0; s < size; s++) if (sch.uniform(s)) uni[s] = scalar(sch.node(s), uni, args[s], params);
        par.forRange(n, 32 * CHUNK, CHUNK, (from, to) -> runRange(from, to, shape, in, inOff, inSt, out, outOff, outSt, uni));
    }

    private void runRange(int from, int to, int[] shape, double[][] in, int[] inOff, int[][] inSt,
            double[][] out, int[] outOff, int[][] outSt, double[] uni) {
        int size = sch.size();
        double[][] tmp = new double[temps][CHUNK];
        double[] stage = new double[CHUNK];
        double[][] arr = new double[size][];
        int[] base = new int[size];
        for (int s = 0; s < size; s++) {
            if (sch.uniform(s)) {
                Arrays.fill(tmp[phys[s]], uni[s]);
                arr[s] = tmp[phys[s]];
            }
        }
        for (int c = from; c < to; c += CHUNK) {
            int len = Math.min(CHUNK, to - c);
            for (int s = 0; s < size; s++) {
                if (sch.uniform(s)) continue;
                int[] a = args[s];
                double[] r = tmp[phys[s]];
                switch (sch.node(s)) {
                    case Expr.In i -> {
                        int k = i.index();
                        if (inSt[k] == null) {
                            arr[s] = in[k];
                            base[s] = inOff[k] + c;
                            continue;
                        }
                        Strider.gather(in[k], inOff[k], shape, inSt[k], c, r, len);
                    }
                    case Expr.Unary u -> unary(u.op(), arr[a[0]], base[a[0]], r, len);
                    case Expr.Binary b -> binary(b.op(), arr[a[0]], base[a[0]], arr[a[1]], base[a[1]], r, len);
                    case Expr.Ternary t -> ternary(t.op(), arr[a[0]], base[a[0]], arr[a[1]], base[a[1]], arr[a[2]], base[a[2]], r, len);
                    default -> throw new IllegalStateException("unexpected non-uniform leaf " + sch.node(s));
                }
                arr[s] = r;
                base[s] = 0;
            }
            for (int k = 0; k < out.length; k++) {
                int s = sch.output(k);
                double[] src = arr[s];
                int so = base[s];
                if (sch.node(s) instanceof Expr.In) { // may alias an output written just before
                    System.arraycopy(src, so, stage, 0, len);
                    src = stage;
                    so = 0;
                }
                if (outSt[k] == null) System.arraycopy(src, so, out[k], outOff[k] + c, len);
                else if (so == 0) Strider.scatter(src, len, out[k], outOff[k], shape, outSt[k], c);
                else {
                    System.arraycopy(src, so, stage, 0, len);
                    Strider.scatter(stage, len, out[k], outOff[k], shape, outSt[k], c);
                }
            }
        }
    }

    private static double scalar(Expr node, double[] vals, int[] a, double[] params) {
        return switch (node) {
            case Expr.Param p -> (double) params[p.index()];
            case Expr.Const k -> (double) k.value();
            case Expr.Unary u -> (double) u.op().apply(vals[a[0]]);
            case Expr.Binary b -> (double) b.op().apply(vals[a[0]], vals[a[1]]);
            case Expr.Ternary t -> (double) t.op().apply(vals[a[0]], vals[a[1]], vals[a[2]]);
            case Expr.In i -> throw new IllegalStateException("input is not uniform");
        };
    }

    // ---- lane loops: one per op, with the operator a constant so C2 intrinsifies it ---------------------

    private static void unary(org.reprolab.tornado.expr.UnaryOp op, double[] a, int ao, double[] r, int n) {
        switch (op) {
            case NEG -> un(VectorOperators.NEG, a, ao, r, n);
            case ABS -> un(VectorOperators.ABS, a, ao, r, n);
            case SQRT -> un(VectorOperators.SQRT, a, ao, r, n);
            case EXP -> un(VectorOperators.EXP, a, ao, r, n);
            case EXPM1 -> un(VectorOperators.EXPM1, a, ao, r, n);
            case LOG -> un(VectorOperators.LOG, a, ao, r, n);
            case LOG1P -> un(VectorOperators.LOG1P, a, ao, r, n);
            case SIN -> un(VectorOperators.SIN, a, ao, r, n);
            case COS -> un(VectorOperators.COS, a, ao, r, n);
            case TANH -> un(VectorOperators.TANH, a, ao, r, n);
            case FLOOR -> {
                for (int i = 0; i < n; i++) r[i] = (double) Math.floor(a[ao + i]);
            }
            default -> throw new IllegalStateException("composite op reached the engine: " + op);
        }
    }

    private static void un(VectorOperators.Unary op, double[] a, int ao, double[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) DoubleVector.fromArray(S, a, ao + i).lanewise(op).intoArray(r, i);
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, ao + i, m).lanewise(op).intoArray(r, i, m);
        }
    }

    private static void binary(org.reprolab.tornado.expr.BinaryOp op, double[] a, int ao, double[] b, int bo, double[] r, int n) {
        switch (op) {
            case ADD -> bin(VectorOperators.ADD, a, ao, b, bo, r, n);
            case SUB -> bin(VectorOperators.SUB, a, ao, b, bo, r, n);
            case MUL -> bin(VectorOperators.MUL, a, ao, b, bo, r, n);
            case DIV -> bin(VectorOperators.DIV, a, ao, b, bo, r, n);
            case MAX -> bin(VectorOperators.MAX, a, ao, b, bo, r, n);
            case MIN -> bin(VectorOperators.MIN, a, ao, b, bo, r, n);
            case POW -> bin(VectorOperators.POW, a, ao, b, bo, r, n);
            case LT -> cmp(VectorOperators.LT, a, ao, b, bo, r, n);
            case LE -> cmp(VectorOperators.LE, a, ao, b, bo, r, n);
            case GT -> cmp(VectorOperators.GT, a, ao, b, bo, r, n);
            case GE -> cmp(VectorOperators.GE, a, ao, b, bo, r, n);
            case EQ -> cmp(VectorOperators.EQ, a, ao, b, bo, r, n);
            case NE -> cmp(VectorOperators.NE, a, ao, b, bo, r, n);
        }
    }

    private static void bin(VectorOperators.Binary op, double[] a, int ao, double[] b, int bo, double[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L)
            DoubleVector.fromArray(S, a, ao + i).lanewise(op, DoubleVector.fromArray(S, b, bo + i)).intoArray(r, i);
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            DoubleVector.fromArray(S, a, ao + i, m).lanewise(op, DoubleVector.fromArray(S, b, bo + i, m)).intoArray(r, i, m);
        }
    }

    private static void cmp(VectorOperators.Comparison op, double[] a, int ao, double[] b, int bo, double[] r, int n) {
        DoubleVector one = DoubleVector.broadcast(S, (double) 1), zero = DoubleVector.zero(S);
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            VectorMask<Double> c = DoubleVector.fromArray(S, a, ao + i).compare(op, DoubleVector.fromArray(S, b, bo + i));
            zero.blend(one, c).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Double> m = S.indexInRange(i, n);
            VectorMask<Double> c = DoubleVector.fromArray(S, a, ao + i, m).compare(op, DoubleVector.fromArray(S, b, bo + i, m));
            zero.blend(one, c).intoArray(r, i, m);
        }
    }

    private static void ternary(org.reprolab.tornado.expr.TernaryOp op, double[] a, int ao, double[] b, int bo, double[] c, int co,
            double[] r, int n) {
        int i = 0;
        boolean where = switch (op) {
            case WHERE -> true;
            case FMA -> false;
            default -> throw new IllegalStateException("composite op reached the engine: " + op);
        };
        if (where) {
            for (int ub = S.loopBound(n); i < ub; i += L) {
                VectorMask<Double> t = DoubleVector.fromArray(S, a, ao + i).compare(VectorOperators.NE, (double) 0);
                DoubleVector.fromArray(S, c, co + i).blend(DoubleVector.fromArray(S, b, bo + i), t).intoArray(r, i);
            }
            if (i < n) {
                VectorMask<Double> m = S.indexInRange(i, n);
                VectorMask<Double> t = DoubleVector.fromArray(S, a, ao + i, m).compare(VectorOperators.NE, (double) 0);
                DoubleVector.fromArray(S, c, co + i, m).blend(DoubleVector.fromArray(S, b, bo + i, m), t).intoArray(r, i, m);
            }
        } else {
            for (int ub = S.loopBound(n); i < ub; i += L)
                DoubleVector.fromArray(S, a, ao + i).fma(DoubleVector.fromArray(S, b, bo + i), DoubleVector.fromArray(S, c, co + i))
                        .intoArray(r, i);
            if (i < n) {
                VectorMask<Double> m = S.indexInRange(i, n);
                DoubleVector.fromArray(S, a, ao + i, m).fma(DoubleVector.fromArray(S, b, bo + i, m), DoubleVector.fromArray(S, c, co + i, m))
                        .intoArray(r, i, m);
            }
        }
    }
}
