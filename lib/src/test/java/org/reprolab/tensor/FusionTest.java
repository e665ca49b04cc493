package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprolab.tornado.Device;

/**
 * Lazy fusion ({@link Fusion}) changes how many kernels run, never the numbers: every element-wise op,
 * placed inside a chain so it is fused with its neighbours, gives the values and gradients of the
 * unfused path ({@link Fusion#disabled()}, one kernel per op). Bit for bit on the jvm device (same
 * operations in the same order, each rounded to the dtype); on OpenCL within a few ulps of the
 * result's magnitude, since its compiler may contract {@code a*b+c} inside one kernel. The OpenCL
 * cases skip where no OpenCL device exists.
 */
class FusionTest {

    /** An element-wise op under test, applied to chain values that lie in its domain. */
    record Case(String name, Autodiff.MultiFunction f, boolean positive, int[]... shapes) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Above {@link Fusion#JVM_MIN_ELEMENTS}, and not a multiple of any lane count, so tails are fused too. */
    private static final int[] M = {37, 41};

    private static Case c(String name, UnaryOperator<Tensor> f) {
        return new Case(name, x -> f.apply(x[0]), false, M);
    }

    private static Case pos(String name, UnaryOperator<Tensor> f) {
        return new Case(name, x -> f.apply(x[0]), true, M);
    }

    private static Case two(String name, Autodiff.MultiFunction f, int[] a, int[] b) {
        return new Case(name, f, false, a, b);
    }

    static List<Case> cases() {
        int[] row = {41};
        int[] col = {37, 1};
        return List.of(
                c("neg", Tensor::neg), c("exp", Tensor::exp), pos("log", Tensor::log), pos("log1p", Tensor::log1p),
                pos("sqrt", Tensor::sqrt), pos("rsqrt", Tensor::rsqrt), pos("reciprocal", Tensor::reciprocal),
                c("square", Tensor::square), c("abs", Tensor::abs), c("sign", Tensor::sign), c("tanh", Tensor::tanh),
                c("sigmoid", Tensor::sigmoid), c("relu", Tensor::relu), c("softplus", Tensor::softplus),
                c("sin", Tensor::sin), c("cos", Tensor::cos), c("erf", Tensor::erf), c("gelu", Tensor::gelu),
                c("silu", Tensor::silu), c("isFinite", Tensor::isFinite),
                c("add-scalar", x -> x.add(0.25)), c("sub-scalar", x -> x.sub(0.25)), c("mul-scalar", x -> x.mul(-1.5)),
                c("div-scalar", x -> x.div(3)), pos("pow-scalar", x -> x.pow(1.7)), c("maximum-scalar", x -> x.maximum(0.1)),
                c("minimum-scalar", x -> x.minimum(0.1)), c("gt-scalar", x -> x.gt(0)), c("ge-scalar", x -> x.ge(0)),
                c("lt-scalar", x -> x.lt(0)), c("le-scalar", x -> x.le(0)), c("eq-scalar", x -> x.eq(0)),
                c("clamp", x -> x.clamp(-0.5, 0.7)), c("clampMin", x -> x.clampMin(-0.2)),
                two("add", x -> x[0].add(x[1]), M, M), two("sub", x -> x[0].sub(x[1]), M, M),
                two("mul", x -> x[0].mul(x[1]), M, M), two("div", x -> x[0].div(x[1].abs().add(0.5)), M, M),
                new Case("pow", x -> x[0].pow(x[1]), true, M, M), two("maximum", x -> x[0].maximum(x[1]), M, M),
                two("minimum", x -> x[0].minimum(x[1]), M, M), two("gt", x -> x[0].gt(x[1]), M, M),
                two("ge", x -> x[0].ge(x[1]), M, M), two("lt", x -> x[0].lt(x[1]), M, M), two("le", x -> x[0].le(x[1]), M, M),
                two("eq", x -> x[0].eq(x[1].mul(0)), M, M), two("ne", x -> x[0].ne(x[1]), M, M),
                two("add-broadcast-row", x -> x[0].add(x[1]), M, row), two("mul-broadcast-col", x -> x[0].mul(x[1]), M, col),
                two("sub-broadcast-both", x -> x[0].sub(x[1]), col, row),
                two("where", x -> Tensor.where(x[0].gt(0), x[0].mul(2), x[1]), M, M),
                two("where-broadcast", x -> Tensor.where(x[1].gt(0), x[0], x[1]), M, row),
                two("self-reuse", x -> x[0].mul(x[0]).add(x[0].tanh().mul(x[1])), M, M),
                c("long-chain", x -> {
                    Tensor y = x;
                    for (int i = 0; i < 30; i++) {
                        y = y.mul(0.9).add(0.05).tanh();
                    }
                    return y;
                }));
    }

    static Stream<Arguments> casesByDtype() {
        return CrossDeviceTest.byDtype(cases());
    }

    @ParameterizedTest(name = "jvm {0} {1}")
    @MethodSource("casesByDtype")
    void fusedEqualsUnfusedBitForBitOnJvm(Case k, DType dt) {
        compare(k, dt, CrossDeviceTest.jvm(), 0);
    }

    @ParameterizedTest(name = "opencl {0} {1}")
    @MethodSource("casesByDtype")
    void fusedEqualsUnfusedOnOpenCl(Case k, DType dt) {
        Device cl = CrossDeviceTest.openCl();
        org.junit.jupiter.api.Assumptions.assumeTrue(dt == DType.F32 || cl.capabilities().fp64(), "no fp64 on the OpenCL device");
        compare(k, dt, cl, 4);
    }

    /** Forward values and input gradients, fused and unfused, agree within {@code ulps} of the result's scale. */
    private static void compare(Case k, DType dt, Device d, int ulps) {
        Tensor[] host = new Tensor[k.shapes().length];
        for (int i = 0; i < host.length; i++) {
            host[i] = Tensor.randn(dt, 30 + i, k.shapes()[i]).to(d);
        }
        Result fused = run(k, host);
        Result unfused;
        try (AutoCloseable _ = Fusion.disabled()) {
            unfused = run(k, host);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        close(k + " forward", fused.values.get(0), unfused.values.get(0), ulps, dt);
        for (int i = 1; i < fused.values.size(); i++) {
            close(k + " gradient " + (i - 1), fused.values.get(i), unfused.values.get(i), ulps, dt);
        }
    }

    private record Result(List<double[]> values) {}

    /** The op inside a chain: a pending prologue feeds it, a pending epilogue consumes it, then backward. */
    private static Result run(Case k, Tensor[] host) {
        Tensor[] xs = new Tensor[host.length];
        Tensor[] pre = new Tensor[host.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = host[i].detach().requiresGrad(true);
            pre[i] = k.positive() ? xs[i].abs().mul(0.9).add(0.5) : xs[i].mul(0.9).add(0.05);
        }
        Tensor y = k.f().apply(pre).mul(1.25).sub(0.125);
        List<double[]> out = new ArrayList<>();
        out.add(y.toDoubleArray());
        if (y.requiresGrad()) {
            Tensor w = Tensor.randn(y.dtype(), 9, y.shape()).to(y.buffer().device());
            for (Tensor g : Autodiff.grad(y.mul(w).sum(), Arrays.asList(xs), null, false)) {
                out.add(g == null ? new double[0] : g.toDoubleArray());
            }
        }
        return new Result(out);
    }

    private static void close(String what, double[] fused, double[] unfused, int ulps, DType dt) {
        if (ulps == 0) {
            assertArrayEquals(unfused, fused, 0, what + ": fused differs from unfused");
            return;
        }
        assertEquals(unfused.length, fused.length, what + " length");
        double scale = 0;
        for (double v : unfused) {
            scale = Double.isFinite(v) ? Math.max(scale, Math.abs(v)) : scale;
        }
        double tol = ulps * (dt == DType.F32 ? Math.ulp((float) scale) : Math.ulp(scale));
        for (int i = 0; i < fused.length; i++) {
            double err = Math.abs(fused[i] - unfused[i]);
            assertTrue(err <= tol || Double.compare(fused[i], unfused[i]) == 0,
                    what + " at " + i + ": fused " + fused[i] + " vs unfused " + unfused[i] + " (tolerance " + tol + ")");
        }
    }

    @Test
    void aChainRunsAsOneKernelWhenItsValuesAreRead() {
        Tensor x = Tensor.randn(DType.F32, 1, 4000);
        Tensor b = Tensor.randn(DType.F32, 2, 4000);
        long before = Fusion.LAUNCHES.get();
        Tensor y = x.mul(0.5).add(b).tanh().mul(x).sub(1);
        assertNotNull(y.data.pending(), "nothing runs before the values are needed");
        assertEquals(before, Fusion.LAUNCHES.get());
        double[] v = y.toDoubleArray();
        assertEquals(before + 1, Fusion.LAUNCHES.get(), "five ops, one kernel");
        assertNull(y.data.pending());
        float[] xs = x.toFloatArray();
        float[] bs = b.toFloatArray();
        for (int i = 0; i < v.length; i++) {
            float t = (float) Math.tanh(xs[i] * 0.5f + bs[i]);
            assertEquals(t * xs[i] - 1f, (float) v[i], 2e-6f, "element " + i);
        }
    }

    @Test
    void theBackwardChainOfAnElementwiseGraphIsFused() {
        Tensor x = Tensor.randn(DType.F64, 3, 3000).requiresGrad(true);
        Tensor loss = x.mul(0.3).tanh().square().mul(x).sum();
        long before = Fusion.LAUNCHES.get();
        loss.backward();
        double[] g = x.grad().toDoubleArray();
        assertEquals(1, Fusion.LAUNCHES.get() - before, "the gradient of a four-op chain (about ten ops) is one kernel");
        double[] xs = x.toDoubleArray();
        for (int i = 0; i < xs.length; i++) {
            double t = Math.tanh(0.3 * xs[i]);
            double expect = t * t + xs[i] * 2 * t * (1 - t * t) * 0.3;
            assertEquals(expect, g[i], 1e-12, "d/dx of tanh(0.3x)^2 x at " + i);
        }
    }

    @Test
    void anInPlaceWriteDoesNotChangeAResultRecordedBeforeIt() {
        Tensor x = Tensor.arange(2000);
        Tensor y = x.mul(10).add(1);
        assertNotNull(y.data.pending());
        x.assign(Tensor.full(7, 2000));
        assertEquals(21, y.get(2), 0);
        Tensor z = x.add(1);
        assertNotNull(z.data.pending());
        x.f64Array()[0] = -100; // a host write through the live array, after the chain was recorded
        assertEquals(8, z.get(0), 0);
    }

    @Test
    void assigningAChainComputesItStraightIntoTheTarget() {
        Tensor x = Tensor.randn(DType.F32, 5, 4096);
        Tensor y = Tensor.randn(DType.F32, 6, 4096);
        Tensor z = Tensor.zeros(DType.F32, 4096);
        float[] target = z.f32Array();
        long before = Fusion.LAUNCHES.get();
        Tensor sum = x.add(y).mul(2);
        z.assign(sum);
        assertEquals(before + 1, Fusion.LAUNCHES.get(), "one kernel, writing z");
        assertNotNull(sum.data.pending(), "the chain's own result was never needed");
        float[] xs = x.toFloatArray();
        float[] ys = y.toFloatArray();
        for (int i = 0; i < xs.length; i++) {
            assertEquals((xs[i] + ys[i]) * 2, target[i], 0f, "z[" + i + "]");
        }
        x.assign(Tensor.zeros(DType.F32, 4096)); // the chain still means the old x
        assertEquals((xs[9] + ys[9]) * 2, (float) sum.get(9), 0f);
        Tensor half = Tensor.zeros(DType.F32, 2, 4096);
        half.select(0, 1).assign(y.neg()); // a contiguous row of a larger tensor
        half.slice(1, 0, 4096, 2).assign(y.add(1).slice(0, 0, 4096, 2)); // strided: through a copy
        assertEquals(-ys[5], (float) half.get(1, 5), 0f);
        assertEquals(ys[4] + 1, (float) half.get(0, 4), 0f);
        assertEquals(0f, (float) half.get(0, 5), 0f);
    }

    @Test
    void evaluatePendingRunsChainsBeforeWritesThroughAKeptBuffer() {
        Tensor x = Tensor.arange(2000);
        double[] live = x.f64Array();
        Tensor y = x.square();
        assertNotNull(y.data.pending());
        Tensor.evaluatePending();
        live[3] = 5;
        assertEquals(9, y.get(3), 0);
    }

    @Test
    void recycledBuffersNeverOverwriteLiveOrEscapedResults() throws InterruptedException {
        int n = BufferPool.MIN_ELEMENTS * 2;
        Tensor x = Tensor.randn(DType.F32, 4, n);
        Tensor kept = x.mul(3);
        float[] expectKept = kept.toFloatArray();
        org.reprolab.tornado.Buffer escaped = x.add(5).buffer();
        float[] expectEscaped = escaped.toFloatArray();
        for (int round = 0; round < 5; round++) {
            for (int i = 0; i < 8; i++) {
                x.add(i).toFloatArray(); // garbage results, recycled after a collection
            }
            System.gc();
            Thread.sleep(20);
            Tensor fresh = x.sub(round);
            float[] f = fresh.toFloatArray();
            assertEquals(x.toFloatArray()[7] - round, f[7], 0f, "a recycled buffer holds the new result");
        }
        assertArrayEquals(expectKept, kept.toFloatArray(), 0f, "a live result keeps its buffer");
        assertArrayEquals(expectEscaped, escaped.toFloatArray(), 0f, "an escaped buffer is never recycled");
    }
}
