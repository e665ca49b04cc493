package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.fail;
import static org.reprolab.tornado.expr.Expr.in;

import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;

/**
 * The jvm device's f64 kernels are generated from the f32 ones by the build ({@code tornado/pom.xml}
 * swaps {@code float} for {@code double}). This checks what the generator wrote: every twin exists
 * with the f32 class's members, and computes in double where the f32 original rounds, on values
 * ({@code 1 + 2^-30}) that float cannot hold but double holds exactly.
 */
class F64TwinTest {

    private static final double TINY = 0x1p-30;

    @ParameterizedTest
    @ValueSource(strings = {"Engine", "Reduce", "Gemm", "Fused", "Indexed"})
    void twinHasTheF32MembersWithDoubleForFloat(String kernel) {
        List<String> want = members(load("F32" + kernel)).stream().map(F64TwinTest::asF64).sorted().toList();
        List<String> got = members(load("F64" + kernel)).stream().sorted().toList();
        assertEquals(want, got, "F64" + kernel + " is not F32" + kernel + " with float swapped for double");
    }

    @Test
    void elementwiseKeepsDoublePrecisionFusedAndInterpreted() {
        ElementwiseKernel k = ElementwiseKernel.of("cancel", 2, 0, in(0).add(in(1)).sub(in(0)));
        int n = 37; // a masked tail on any lane count
        double[] x = new double[n], y = new double[n], exact = new double[n];
        for (int i = 0; i < n; i++) {
            x[i] = 1 + i;
            y[i] = TINY;
            exact[i] = TINY; // (x + 2^-30) - x; in float x + 2^-30 rounds back to x
        }
        Case run = (d, up) -> {
            Buffer out = up.apply(new double[n]);
            d.run(k, n, List.of(up.apply(x), up.apply(y)), List.of(out));
            return out.toDoubleArray();
        };
        check("fused loop", new JvmDevice(2), run, exact);
        System.setProperty("reprolab.jvm.interpret", "true"); // read when a kernel's engine is built
        try {
            check("interpreted engine", new JvmDevice(2), run, exact);
        } finally {
            System.clearProperty("reprolab.jvm.interpret");
        }
    }

    @Test
    void reductionKeepsDoublePrecision() {
        int n = 1000;
        double[] x = new double[n];
        Arrays.fill(x, TINY);
        x[0] = 1;
        check("sum", new JvmDevice(2), (d, up) -> new double[] {d.reduceToHost(ReduceOp.SUM, up.apply(x), 0, n)},
                new double[] {1 + (n - 1) * TINY});
    }

    @Test
    void matmulKeepsDoublePrecisionOnTheSmallAndThePackedPath() {
        for (int size : new int[] {3, 70}) {
            int m = size, n = size, k = 50;
            double[] a = new double[m * k], b = new double[k * n], exact = new double[m * n];
            Arrays.fill(a, TINY);
            Arrays.fill(b, 1);
            for (int i = 0; i < m; i++) a[i * k] = 1;
            Arrays.fill(exact, 1 + (k - 1) * TINY);
            check("matmul " + size + "x" + size + "x" + k, new JvmDevice(2), (d, up) -> {
                Buffer c = up.apply(new double[m * n]);
                d.matmul(up.apply(a), up.apply(b), c, 1, m, n, k);
                return c.toDoubleArray();
            }, exact);
        }
    }

    @Test
    void scatterAddKeepsDoublePrecision() {
        check("scatterAdd", new JvmDevice(2), (d, up) -> {
            Buffer out = up.apply(new double[] {1});
            d.scatterAdd(new int[] {2}, 0, 1, Operand.of(up.apply(new double[] {TINY, TINY})),
                    Operand.of(up.apply(new double[] {0, 0})), Operand.of(out));
            return out.toDoubleArray();
        }, new double[] {1 + 2 * TINY});
    }

    /** One computation on buffers made by {@code upload} (an f32 or an f64 buffer), read back. */
    private interface Case {
        double[] run(JvmDevice d, Function<double[], Buffer> upload);
    }

    /** The f64 run gives {@code exact} to the bit; the f32 run does not, so the case shows double precision. */
    private static void check(String what, JvmDevice d, Case c, double[] exact) {
        assertArrayEquals(exact, c.run(d, d::wrap), 0.0, what + " in f64");
        assertFalse(Arrays.equals(exact, c.run(d, x -> d.wrap(floats(x)))), what + " in f32 should round; the case shows nothing");
    }

    private static float[] floats(double[] x) {
        float[] f = new float[x.length];
        for (int i = 0; i < x.length; i++) f[i] = (float) x[i];
        return f;
    }

    private static Class<?> load(String simpleName) {
        String name = F64TwinTest.class.getPackageName() + "." + simpleName;
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            return fail(name + " is missing: tornado/pom.xml generates it from the F32 class at generate-sources");
        }
    }

    /** Every declared method, constructor and field of the class and its nested classes, as written in source. */
    private static List<String> members(Class<?> c) {
        List<String> all = new ArrayList<>();
        for (Method mb : c.getDeclaredMethods()) if (!mb.isSynthetic()) all.add(mb.toGenericString());
        for (Constructor<?> mb : c.getDeclaredConstructors()) if (!mb.isSynthetic()) all.add(mb.toGenericString());
        for (Field mb : c.getDeclaredFields()) if (!mb.isSynthetic()) all.add(mb.toGenericString());
        for (Class<?> nested : c.getDeclaredClasses()) all.addAll(members(nested));
        return all;
    }

    private static String asF64(String f32Member) {
        return f32Member.replace("float", "double").replace("Float", "Double").replace("F32", "F64");
    }
}
