package org.reprolab.tornado.jvm;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.KernelSchedule;

/**
 * Runs a {@link KernelSchedule} on f32 heap arrays, numexpr-style: the data is cut into chunks of
 * {@value #CHUNK} elements and each schedule node runs as one Vector API lane loop over the chunk,
 * into a chunk-sized temporary that stays in L1. Temporaries are reused by liveness, so even a
 * 20-node Adam step touches a few tens of KB besides its streams. One pass over memory, like a
 * fused loop, while {@code exp/tanh/log} go through {@link F32Lanes} (scalar {@code Math} per lane by default, so reruns
 * are bit-identical; the Vector API's SIMD math, 11x faster on such maps per acceleration.md §4, with
 * {@code -Dreprolab.jvm.fastMath=true}).
 *
 * <p>Tails use masked lanes rather than scalar code, so every element goes through the same
 * instruction whatever the chunking, and results do not depend on the thread count.
 *
 * <p>{@code F64Engine} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Engine {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int CHUNK = Integer.getInteger("reprolab.jvm.chunk", 1024);

    private final KernelSchedule sch;
    private final int[][] args;
    private final int[] phys;
    /** Per node: {@link #SKIP} (uniform, filled once), {@link #INPUT}, or a lane loop code from {@link #code}. */
    private final int[] codes;
    private final int[] inputIndex;
    private final int[] outputs;
    /** The fused form for contiguous launches, or null when a node has no lane op. */
    private final F32Fused.Body fused;
    private final int temps;

    F32Engine(KernelSchedule sch) {
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
        outputs = new int[sch.outputCount()];
        for (int k = 0; k < outputs.length; k++) outputs[k] = sch.output(k);
        fused = Boolean.getBoolean("reprolab.jvm.interpret") ? null : F32Fused.compile(sch);
        codes = new int[n];
        inputIndex = new int[n];
        for (int s = 0; s < n; s++) {
            codes[s] = sch.uniform(s) ? SKIP : code(sch.node(s));
            if (sch.node(s) instanceof Expr.In in) inputIndex[s] = in.index();
        }
    }

    static final int SKIP = -1, INPUT = 0, UNARY = 100, BINARY = 200, TERNARY = 300;

    private static int code(Expr e) {
        return switch (e) {
            case Expr.In i -> INPUT;
            case Expr.Unary u -> UNARY + u.op().ordinal();
            case Expr.Binary b -> BINARY + b.op().ordinal();
            case Expr.Ternary t -> TERNARY + t.op().ordinal();
            default -> throw new IllegalStateException("unexpected non-uniform leaf " + e);
        };
    }

    /** Operands: arrays, offsets, strides (null = contiguous) over {@code shape} of {@code n} elements. */
    void run(Parallel par, int[] shape, int n, float[][] in, int[] inOff, int[][] inSt,
            float[][] out, int[] outOff, int[][] outSt, double[] params) {
        int size = sch.size();
        float[] uni = new float[size];
        for (int s = 0; s < size; s++) if (sch.uniform(s)) uni[s] = scalar(sch.node(s), uni, args[s], params);
        boolean contiguous = fused != null;
        for (int[] st : inSt) contiguous &= st == null;
        for (int[] st : outSt) contiguous &= st == null;
        int grain = grain();
        if (contiguous) {
            par.forRange(n, grain, CHUNK, (from, to) -> {
                int done = fused.run(in, inOff, out, outOff, uni, from, to);
                if (done < to) runRange(done, to, shape, in, inOff, inSt, out, outOff, outSt, uni);
            });
            return;
        }
        int row = fused == null ? 0 : rowBroadcast(shape, inSt, outSt);
        if (row > 0) {
            // a bias add over a batch: the fused loop row by row, each broadcast input's offset shifted so that
            // it reads the same row every time (the fused loop indexes every input from one counter)
            int rows = n / row;
            par.forRange(rows, Math.max(1, grain / row), 1, (r0, r1) -> {
                int[] off = inOff.clone();
                for (int r = r0; r < r1; r++) {
                    int from = r * row, to = from + row;
                    for (int k = 0; k < off.length; k++) off[k] = inSt[k] == null ? inOff[k] : inOff[k] - from;
                    int done = fused.run(in, off, out, outOff, uni, from, to);
                    if (done < to) runRange(done, to, shape, in, inOff, inSt, out, outOff, outSt, uni);
                }
            });
            return;
        }
        par.forRange(n, grain, CHUNK, (from, to) -> runRange(from, to, shape, in, inOff, inSt, out, outOff, outSt, uni));
    }

    /**
     * The row length when every strided input is one row repeated over the leading axes (strides 0 there, 1 on
     * the last: a bias or a per-feature scale over a batch) and every output is contiguous, else 0. Rows shorter
     * than four vectors stay on the chunked path, where one row per fused call would cost more than it saves.
     * The fused loop and the chunked path compute the same values (see {@link F32Fused}), so which one runs
     * does not change a result.
     */
    private static int rowBroadcast(int[] shape, int[][] inSt, int[][] outSt) {
        int last = shape.length - 1;
        if (last < 1 || shape[last] < 4 * L) return 0;
        for (int[] st : outSt) if (st != null) return 0;
        for (int[] st : inSt) {
            if (st == null) continue;
            if (st.length != shape.length || st[last] != 1) return 0;
            for (int d = 0; d < last; d++) if (st[d] != 0) return 0;
        }
        return shape[last];
    }

    /**
     * Elements per interrupt-checked slice: 32 chunks for a short schedule, down to one chunk for a long
     * one, about 128 node-chunks of work either way. Before C2 compiles them, the Vector API lane
     * functions ({@link F32Lanes}) cost ~1 us per lane op, so a 32-chunk slice of a schedule with dozens
     * of transcendentals took seconds and an interrupt waited for it. Depends on the schedule only, and
     * elementwise results do not depend on the slicing.
     */
    private int grain() {
        return CHUNK * Math.max(1, 128 / Math.max(4, sch.size()));
    }

    /**
     * This thread's chunk-sized rows for {@link #runRange}'s temporaries, at least {@code rows} of them:
     * reused by every launch on the thread (runRange never nests), so a strided kernel allocates nothing
     * per slice. Allocating them per call was most of the MLP training step's steady-state garbage
     * (JFR allocation samples, 2026-12-07). Stale values are harmless: every row is written before it is read.
     */
    private static float[][] scratch(int rows) {
        float[][] s = SCRATCH.get();
        if (s.length < rows) {
            int had = s.length;
            s = Arrays.copyOf(s, rows);
            for (int i = had; i < rows; i++) s[i] = new float[CHUNK];
            SCRATCH.set(s);
        }
        return s;
    }

    private static final ThreadLocal<float[][]> SCRATCH = ThreadLocal.withInitial(() -> new float[0][]);

    private void runRange(int from, int to, int[] shape, float[][] in, int[] inOff, int[][] inSt,
            float[][] out, int[] outOff, int[][] outSt, float[] uni) {
        int size = sch.size();
        float[][] scratch = scratch(temps + 1);
        float[][] tmp = scratch; // rows 0..temps-1 (the row after them is the output stage)
        float[] stage = scratch[temps];
        float[][] arr = new float[size][];
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
                int code = codes[s];
                if (code == SKIP) continue;
                int[] a = args[s];
                float[] r = tmp[phys[s]];
                if (code == INPUT) {
                    int k = inputIndex[s];
                    if (inSt[k] == null) {
                        arr[s] = in[k];
                        base[s] = inOff[k] + c;
                        continue;
                    }
                    Strider.gather(in[k], inOff[k], shape, inSt[k], c, r, len);
                } else if (code < BINARY) {
                    unary(UOPS[code - UNARY], arr[a[0]], base[a[0]], r, len);
                } else if (code < TERNARY) {
                    binary(BOPS[code - BINARY], arr[a[0]], base[a[0]], arr[a[1]], base[a[1]], r, len);
                } else {
                    ternary(TOPS[code - TERNARY], arr[a[0]], base[a[0]], arr[a[1]], base[a[1]], arr[a[2]], base[a[2]], r, len);
                }
                arr[s] = r;
                base[s] = 0;
            }
            for (int k = 0; k < out.length; k++) {
                int s = outputs[k];
                float[] src = arr[s];
                int so = base[s];
                if (codes[s] == INPUT) { // may alias an output written just before
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

    private static float scalar(Expr node, float[] vals, int[] a, double[] params) {
        return switch (node) {
            case Expr.Param p -> (float) params[p.index()];
            case Expr.Const k -> (float) k.value();
            case Expr.Unary u -> F32Lanes.apply(u.op(), vals[a[0]]);
            case Expr.Binary b -> (float) b.op().apply(vals[a[0]], vals[a[1]]);
            case Expr.Ternary t -> (float) t.op().apply(vals[a[0]], vals[a[1]], vals[a[2]]);
            case Expr.In i -> throw new IllegalStateException("input is not uniform");
        };
    }

    // ---- lane loops: one method per op with the operator written out, because the Vector API is only
    // ---- intrinsified when the operator is a compile-time constant (a shared loop taking the operator as
    // ---- a parameter ran ~20x slower: C2 would not inline it per call site).

    private static final org.reprolab.tornado.expr.UnaryOp[] UOPS = org.reprolab.tornado.expr.UnaryOp.values();
    private static final org.reprolab.tornado.expr.BinaryOp[] BOPS = org.reprolab.tornado.expr.BinaryOp.values();
    private static final org.reprolab.tornado.expr.TernaryOp[] TOPS = org.reprolab.tornado.expr.TernaryOp.values();
    private static final FloatVector ONE = FloatVector.broadcast(S, (float) 1), ZERO = FloatVector.zero(S);

    private static void unary(org.reprolab.tornado.expr.UnaryOp op, float[] a, int ao, float[] r, int n) {
        switch (op) {
            case NEG -> uNEG(a, ao, r, n);
            case ABS -> uABS(a, ao, r, n);
            case SQRT -> uSQRT(a, ao, r, n);
            case EXP -> uEXP(a, ao, r, n);
            case EXPM1 -> uEXPM1(a, ao, r, n);
            case LOG -> uLOG(a, ao, r, n);
            case LOG1P -> uLOG1P(a, ao, r, n);
            case SIN -> uSIN(a, ao, r, n);
            case COS -> uCOS(a, ao, r, n);
            case TANH -> uTANH(a, ao, r, n);
            case FLOOR -> {
                for (int i = 0; i < n; i++) r[i] = (float) Math.floor(a[ao + i]);
            }
            case ERF -> {
                for (int i = 0; i < n; i++) r[i] = (float) org.reprolab.tornado.expr.UnaryOp.erf(a[ao + i]);
            }
            default -> throw new IllegalStateException("composite op reached the engine: " + op);
        }
    }

    private static void binary(org.reprolab.tornado.expr.BinaryOp op, float[] a, int ao, float[] b, int bo, float[] r, int n) {
        switch (op) {
            case ADD -> bADD(a, ao, b, bo, r, n);
            case SUB -> bSUB(a, ao, b, bo, r, n);
            case MUL -> bMUL(a, ao, b, bo, r, n);
            case DIV -> bDIV(a, ao, b, bo, r, n);
            case MAX -> bMAX(a, ao, b, bo, r, n);
            case MIN -> bMIN(a, ao, b, bo, r, n);
            case POW -> bPOW(a, ao, b, bo, r, n);
            case LT -> bLT(a, ao, b, bo, r, n);
            case LE -> bLE(a, ao, b, bo, r, n);
            case GT -> bGT(a, ao, b, bo, r, n);
            case GE -> bGE(a, ao, b, bo, r, n);
            case EQ -> bEQ(a, ao, b, bo, r, n);
            case NE -> bNE(a, ao, b, bo, r, n);
        }
    }

    private static void ternary(org.reprolab.tornado.expr.TernaryOp op, float[] a, int ao, float[] b, int bo, float[] c, int co,
            float[] r, int n) {
        switch (op) {
            case WHERE -> tWHERE(a, ao, b, bo, c, co, r, n);
            case FMA -> tFMA(a, ao, b, bo, c, co, r, n);
            default -> throw new IllegalStateException("composite op reached the engine: " + op);
        }
    }

    private static void uNEG(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            x.neg().intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            x.neg().intoArray(r, i, m);
        }
    }

    private static void uABS(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            x.abs().intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            x.abs().intoArray(r, i, m);
        }
    }

    private static void uSQRT(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            x.sqrt().intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            x.sqrt().intoArray(r, i, m);
        }
    }

    private static void uEXP(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.EXP).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.EXP).intoArray(r, i, m);
        }
    }

    private static void uEXPM1(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.EXPM1).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.EXPM1).intoArray(r, i, m);
        }
    }

    private static void uLOG(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.LOG).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.LOG).intoArray(r, i, m);
        }
    }

    private static void uLOG1P(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.LOG1P).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.LOG1P).intoArray(r, i, m);
        }
    }

    private static void uSIN(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.SIN).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.SIN).intoArray(r, i, m);
        }
    }

    private static void uCOS(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.COS).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.COS).intoArray(r, i, m);
        }
    }

    private static void uTANH(float[] a, int ao, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.TANH).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m);
            F32Lanes.map(x, org.reprolab.tornado.expr.UnaryOp.TANH).intoArray(r, i, m);
        }
    }

    private static void bADD(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.add(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.add(y).intoArray(r, i, m);
        }
    }

    private static void bSUB(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.sub(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.sub(y).intoArray(r, i, m);
        }
    }

    private static void bMUL(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.mul(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.mul(y).intoArray(r, i, m);
        }
    }

    private static void bDIV(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.div(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.div(y).intoArray(r, i, m);
        }
    }

    private static void bMAX(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.max(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.max(y).intoArray(r, i, m);
        }
    }

    private static void bMIN(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            x.min(y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            x.min(y).intoArray(r, i, m);
        }
    }

    private static void bPOW(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            F32Lanes.pow(x, y).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            F32Lanes.pow(x, y).intoArray(r, i, m);
        }
    }

    private static void bLT(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.LT, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.LT, y)).intoArray(r, i, m);
        }
    }

    private static void bLE(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.LE, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.LE, y)).intoArray(r, i, m);
        }
    }

    private static void bGT(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.GT, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.GT, y)).intoArray(r, i, m);
        }
    }

    private static void bGE(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.GE, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.GE, y)).intoArray(r, i, m);
        }
    }

    private static void bEQ(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.EQ, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.EQ, y)).intoArray(r, i, m);
        }
    }

    private static void bNE(float[] a, int ao, float[] b, int bo, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i);
            ZERO.blend(ONE, x.compare(VectorOperators.NE, y)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m);
            ZERO.blend(ONE, x.compare(VectorOperators.NE, y)).intoArray(r, i, m);
        }
    }

    private static void tWHERE(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i), z = FloatVector.fromArray(S, c, co + i);
            z.blend(y, x.compare(VectorOperators.NE, ZERO)).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m), z = FloatVector.fromArray(S, c, co + i, m);
            z.blend(y, x.compare(VectorOperators.NE, ZERO)).intoArray(r, i, m);
        }
    }

    private static void tFMA(float[] a, int ao, float[] b, int bo, float[] c, int co, float[] r, int n) {
        int i = 0;
        for (int ub = S.loopBound(n); i < ub; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ao + i), y = FloatVector.fromArray(S, b, bo + i), z = FloatVector.fromArray(S, c, co + i);
            x.fma(y, z).intoArray(r, i);
        }
        if (i < n) {
            VectorMask<Float> m = S.indexInRange(i, n);
            FloatVector x = FloatVector.fromArray(S, a, ao + i, m), y = FloatVector.fromArray(S, b, bo + i, m), z = FloatVector.fromArray(S, c, co + i, m);
            x.fma(y, z).intoArray(r, i, m);
        }
    }
}
