package org.reprolab.tornado.jvm;

import static java.lang.constant.ConstantDescs.CD_Object;
import static java.lang.constant.ConstantDescs.CD_int;
import static java.lang.constant.ConstantDescs.CD_float;
import static java.lang.constant.ConstantDescs.CD_void;

import java.lang.classfile.ClassFile;
import java.lang.classfile.CodeBuilder;
import java.lang.classfile.Label;
import java.lang.constant.ClassDesc;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import org.reprolab.tornado.expr.Expr;
import org.reprolab.tornado.expr.KernelSchedule;
import org.reprolab.tornado.expr.UnaryOp;

/**
 * Compiles a {@link KernelSchedule} into one fused Vector API loop, as bytecode of a hidden class (JDK 24
 * ClassFile API, JEP 484): every node becomes one lane operation on a value kept in registers, so an
 * optimizer step reads each input once and writes each output once with no intermediate arrays.
 * This is what the chunked {@link F32Engine} cannot do (each of its nodes round-trips through an
 * L1 temporary); the benchmark measures both. The generated code is exactly what one would write by
 * hand, with every operator a constant, so C2 intrinsifies it.
 *
 * <p>Only whole vectors are processed; callers finish the tail with {@link F32Engine}, whose masked
 * lanes run the same operations, so results do not depend on where a range ends. Returns null for
 * schedules with an op that has no lane form (FLOOR, ERF).
 *
 * <p>{@code F64Fused} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Fused {
    /** The generated loop over whole vectors of {@code [from, to)}; returns where it stopped. */
    interface Body {
        int run(float[][] in, int[] inOff, float[][] out, int[] outOff, float[] uni, int from, int to);
    }

    private static final ClassDesc VEC = ClassDesc.of("jdk.incubator.vector.FloatVector");
    private static final ClassDesc VECTOR = ClassDesc.of("jdk.incubator.vector.Vector");
    private static final ClassDesc MASK = ClassDesc.of("jdk.incubator.vector.VectorMask");
    private static final ClassDesc SPECIES = ClassDesc.of("jdk.incubator.vector.VectorSpecies");
    private static final ClassDesc OPS = ClassDesc.of("jdk.incubator.vector.VectorOperators");
    /** Transcendentals go through {@link F32Lanes}, whose results do not change as code warms up. */
    private static final ClassDesc LANES = ClassDesc.of(F32Lanes.class.getName());
    private static final ClassDesc UOP = ClassDesc.of(UnaryOp.class.getName());
    private static final ClassDesc COMPARISON = ClassDesc.of("jdk.incubator.vector.VectorOperators$Comparison");
    private static final ClassDesc ARR = CD_float.arrayType();
    private static final MethodTypeDesc V_V = MethodTypeDesc.of(VEC, VECTOR);
    private static final MethodTypeDesc V_ = MethodTypeDesc.of(VEC);

    private F32Fused() {}

    static Body compile(KernelSchedule s) {
        for (int i = 0; i < s.size(); i++)
            if (!s.uniform(i) && s.node(i) instanceof Expr.Unary u && (u.op() == UnaryOp.FLOOR || u.op() == UnaryOp.ERF)) return null;
        ClassDesc self = ClassDesc.of(F32Fused.class.getPackageName() + ".F32Fused$Gen");
        ClassDesc body = ClassDesc.of(Body.class.getName());
        byte[] bytes = ClassFile.of().build(self, cb -> {
            cb.withFlags(ClassFile.ACC_FINAL | ClassFile.ACC_SYNTHETIC);
            cb.withInterfaceSymbols(body);
            cb.withMethodBody("<init>", MethodTypeDesc.of(CD_void), ClassFile.ACC_PUBLIC,
                    c -> c.aload(0).invokespecial(CD_Object, "<init>", MethodTypeDesc.of(CD_void)).return_());
            MethodTypeDesc run = MethodTypeDesc.of(CD_int, ARR.arrayType(), CD_int.arrayType(), ARR.arrayType(), CD_int.arrayType(),
                    ARR, CD_int, CD_int);
            cb.withMethodBody("run", run, ClassFile.ACC_PUBLIC, c -> emit(c, s));
        });
        try {
            MethodHandles.Lookup l = MethodHandles.lookup().defineHiddenClass(bytes, true);
            return (Body) l.findConstructor(l.lookupClass(), java.lang.invoke.MethodType.methodType(void.class)).invoke();
        } catch (Throwable e) {
            throw new IllegalStateException("could not compile kernel '" + s.kernel().name() + "'", e);
        }
    }

    // locals: 0 this, 1 in, 2 inOff, 3 out, 4 outOff, 5 uni, 6 from, 7 to; then ours
    private static void emit(CodeBuilder c, KernelSchedule s) {
        int n = s.size(), ni = s.kernel().inputs(), no = s.outputCount();
        int next = 8;
        int[] inArr = new int[ni], inOff = new int[ni], outArr = new int[no], outOff = new int[no], val = new int[n];
        for (int k = 0; k < ni; k++) {
            inArr[k] = next++;
            inOff[k] = next++;
            c.aload(1).loadConstant(k).aaload().astore(inArr[k]);
            c.aload(2).loadConstant(k).iaload().istore(inOff[k]);
        }
        for (int k = 0; k < no; k++) {
            outArr[k] = next++;
            outOff[k] = next++;
            c.aload(3).loadConstant(k).aaload().astore(outArr[k]);
            c.aload(4).loadConstant(k).iaload().istore(outOff[k]);
        }
        int zero = next++, one = next++, i = next++, lim = next++;
        species(c);
        c.invokestatic(VEC, "zero", MethodTypeDesc.of(VEC, SPECIES)).astore(zero);
        species(c);
        c.loadConstant((float) 1).invokestatic(VEC, "broadcast", MethodTypeDesc.of(VEC, SPECIES, CD_float)).astore(one);
        for (int v = 0; v < n; v++) {
            val[v] = next++;
            if (s.uniform(v)) {
                species(c);
                c.aload(5).loadConstant(v).arrayLoad(java.lang.classfile.TypeKind.from(CD_float)).invokestatic(VEC, "broadcast", MethodTypeDesc.of(VEC, SPECIES, CD_float)).astore(val[v]);
            }
        }
        // lim = to - L; i = from
        species(c);
        c.invokeinterface(SPECIES, "length", MethodTypeDesc.of(CD_int)).istore(lim);
        c.iload(7).iload(lim).isub().istore(lim);
        c.iload(6).istore(i);
        Label top = c.newLabel(), done = c.newLabel();
        c.labelBinding(top);
        c.iload(i).iload(lim).if_icmpgt(done);
        for (int v = 0; v < n; v++) {
            if (s.uniform(v)) continue;
            int[] a = s.args(v);
            switch (s.node(v)) {
                case Expr.In in -> {
                    species(c);
                    c.aload(inArr[in.index()]).iload(inOff[in.index()]).iload(i).iadd()
                            .invokestatic(VEC, "fromArray", MethodTypeDesc.of(VEC, SPECIES, ARR, CD_int));
                }
                case Expr.Unary u -> {
                    c.aload(val[a[0]]);
                    switch (u.op()) {
                        case NEG -> c.invokevirtual(VEC, "neg", V_);
                        case ABS -> c.invokevirtual(VEC, "abs", V_);
                        case SQRT -> c.invokevirtual(VEC, "sqrt", V_);
                        default -> c.getstatic(UOP, u.op().name(), UOP).invokestatic(LANES, "map", MethodTypeDesc.of(VEC, VEC, UOP));
                    }
                }
                case Expr.Binary b -> {
                    switch (b.op()) {
                        case ADD, SUB, MUL, DIV, MAX, MIN -> c.aload(val[a[0]]).aload(val[a[1]])
                                .invokevirtual(VEC, b.op().name().toLowerCase(java.util.Locale.ROOT), V_V);
                        case POW -> c.aload(val[a[0]]).aload(val[a[1]]).invokestatic(LANES, "pow", MethodTypeDesc.of(VEC, VEC, VEC));
                        default -> { // ZERO.blend(ONE, x.compare(op, y))
                            c.aload(zero).aload(one).aload(val[a[0]]).getstatic(OPS, b.op().name(), COMPARISON).aload(val[a[1]])
                                    .invokevirtual(VEC, "compare", MethodTypeDesc.of(MASK, COMPARISON, VECTOR))
                                    .invokevirtual(VEC, "blend", MethodTypeDesc.of(VEC, VECTOR, MASK));
                        }
                    }
                }
                case Expr.Ternary t -> {
                    switch (t.op()) {
                        case WHERE -> c.aload(val[a[2]]).aload(val[a[1]]).aload(val[a[0]]).getstatic(OPS, "NE", COMPARISON).aload(zero)
                                .invokevirtual(VEC, "compare", MethodTypeDesc.of(MASK, COMPARISON, VECTOR))
                                .invokevirtual(VEC, "blend", MethodTypeDesc.of(VEC, VECTOR, MASK));
                        case FMA -> c.aload(val[a[0]]).aload(val[a[1]]).aload(val[a[2]])
                                .invokevirtual(VEC, "fma", MethodTypeDesc.of(VEC, VECTOR, VECTOR));
                        default -> throw new IllegalStateException("composite op in schedule: " + t.op());
                    }
                }
                default -> throw new IllegalStateException("unexpected leaf " + s.node(v));
            }
            c.astore(val[v]);
        }
        for (int k = 0; k < no; k++)
            c.aload(val[s.output(k)]).aload(outArr[k]).iload(outOff[k]).iload(i).iadd()
                    .invokevirtual(VEC, "intoArray", MethodTypeDesc.of(CD_void, ARR, CD_int));
        species(c);
        c.invokeinterface(SPECIES, "length", MethodTypeDesc.of(CD_int)).iload(i).iadd().istore(i);
        c.goto_(top);
        c.labelBinding(done);
        c.iload(i).ireturn();
    }

    private static void species(CodeBuilder c) {
        c.getstatic(VEC, "SPECIES_PREFERRED", SPECIES);
    }
}
