package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.Operand;
import org.reprolab.tornado.ProviderStatus;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * Every tensor op computes the same forward values and the same gradients on the {@code jvm} and
 * {@code opencl} devices (f32 within 1e-5 relative, f64 within 1e-12, relative to the result's
 * magnitude). Skipped, with the provider's reason, where no OpenCL platform exists.
 */
class CrossDeviceTest {

    static Device openCl() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElse(null);
        assumeTrue(s != null, "no opencl provider on the class path");
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        return s.device();
    }

    static Device jvm() {
        return Devices.get("jvm");
    }

    /** An op under test: its inputs' shapes, whether they must be positive, and whether it has a gradient. */
    record Case(String name, Autodiff.MultiFunction f, int[][] shapes, boolean positive, boolean differentiable) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Case c(String name, Autodiff.MultiFunction f, int[]... shapes) {
        return new Case(name, f, shapes, false, true);
    }

    private static Case pos(String name, Autodiff.MultiFunction f, int[]... shapes) {
        return new Case(name, f, shapes, true, true);
    }

    private static Case fwd(String name, Autodiff.MultiFunction f, int[]... shapes) {
        return new Case(name, f, shapes, false, false);
    }

    private static int[] s(int... d) {
        return d;
    }

    /** An index tensor on the device of {@code like}. */
    private static Tensor idx(Tensor like, double[] v, int... shape) {
        return Tensor.of(v, shape).to(like.dtype()).to(like.device());
    }

    static List<Case> cases() {
        int[] m = s(3, 5);
        List<Case> l = new ArrayList<>(List.of(
                c("neg", x -> x[0].neg(), m), c("exp", x -> x[0].exp(), m), pos("log", x -> x[0].log(), m),
                pos("log1p", x -> x[0].log1p(), m), pos("sqrt", x -> x[0].sqrt(), m), pos("rsqrt", x -> x[0].rsqrt(), m),
                pos("reciprocal", x -> x[0].reciprocal(), m), c("square", x -> x[0].square(), m), c("abs", x -> x[0].abs(), m),
                c("tanh", x -> x[0].tanh(), m), c("sigmoid", x -> x[0].sigmoid(), m), c("relu", x -> x[0].relu(), m),
                c("softplus", x -> x[0].softplus(), m), c("sin", x -> x[0].sin(), m), c("cos", x -> x[0].cos(), m),
                c("erf", x -> x[0].erf(), m), c("gelu", x -> x[0].gelu(), m), c("silu", x -> x[0].silu(), m),
                c("pow3", x -> x[0].pow(3), m), c("clamp", x -> x[0].clamp(-0.5, 0.7), m), fwd("sign", x -> x[0].sign(), m),
                c("add-broadcast", x -> x[0].add(x[1]), m, s(5)), c("sub-broadcast", x -> x[0].sub(x[1]), s(3, 1), m),
                c("mul", x -> x[0].mul(x[1]), m, m), pos("div", x -> x[0].div(x[1]), m, s(1, 5)),
                pos("pow", x -> x[0].pow(x[1]), m, m), c("maximum", x -> x[0].maximum(x[1]), m, m),
                c("minimum", x -> x[0].minimum(x[1].t()), m, s(5, 3)), c("scalar-ops", x -> x[0].mul(2).sub(1).div(3).add(0.5), m),
                c("where", x -> Tensor.where(x[0].gt(0), x[0], x[1]), m, m), fwd("compare", x -> x[0].ge(x[1]).add(x[0].ne(x[1])), m, m),
                c("sum", x -> x[0].sum(), s(4, 6)), c("sum-axis0", x -> x[0].sum(0), s(4, 6)),
                c("sum-middle", x -> x[0].sum(1, true), s(2, 3, 4)), c("sum-outer-axes", x -> x[0].sum(new int[] {0, 2}, false), s(2, 3, 4)),
                c("sum-of-transpose", x -> x[0].t().sum(1), s(4, 6)), c("mean", x -> x[0].mean(1, true), s(4, 6)),
                c("max", x -> x[0].max(1), s(4, 6)), c("min", x -> x[0].min(0), s(4, 6)), c("var", x -> x[0].var(new int[] {1}, false, 1), s(4, 6)),
                fwd("argmax", x -> x[0].argmax(1), s(4, 6)), fwd("argmin", x -> x[0].argmin(0), s(4, 6)),
                c("logsumexp", x -> x[0].logsumexp(1, false), s(4, 6)), c("softmax", x -> x[0].softmax(-1), s(4, 6)),
                c("logSoftmax", x -> x[0].logSoftmax(0), s(4, 6)),
                c("matmul", x -> x[0].matmul(x[1]), s(4, 6), s(6, 3)), c("matmul-t", x -> x[0].t().matmul(x[1]), s(6, 4), s(6, 3)),
                c("matmul-batched-broadcast", x -> x[0].matmul(x[1]), s(2, 3, 4, 5), s(3, 5, 2)), c("matvec", x -> x[0].matmul(x[1]), s(4, 6), s(6)),
                c("gather", x -> x[0].gather(1, idx(x[0], new double[] {0, 2, 4, 1, 1, 3}, 3, 2)), m),
                c("indexSelect", x -> x[0].indexSelect(0, 2, 0, 2, -1), m),
                c("scatterAdd", x -> x[0].scatterAdd(1, idx(x[0], new double[] {0, 3, 0, 1, 1, 1}, 2, 3), 2, 4), s(2, 3)),
                c("crossEntropy", x -> x[0].crossEntropy(4, 0, 2), m),
                c("concat", x -> Tensor.concat(1, x[0], x[1]), m, s(3, 2)), c("stack", x -> Tensor.stack(0, x[0], x[1]), m, m),
                c("slice-pad", x -> x[0].slice(1, 1, 5, 2).pad(0, 1, 2), m), c("permute-reshape", x -> x[0].permute(2, 0, 1).reshape(4, 6), s(2, 3, 4)),
                c("expand", x -> x[0].unsqueeze(0).expand(3, -1, -1).mul(x[1]), m, s(3, 3, 5)),
                c("mse", x -> x[0].mse(x[1]), m, m)));
        return l;
    }

    static Stream<Arguments> casesByDtype() {
        return byDtype(cases());
    }

    /** Each case once per dtype: the arguments of a parameterized test. */
    static Stream<Arguments> byDtype(List<?> cases) {
        return cases.stream().flatMap(k -> Stream.of(Arguments.of(k, DType.F32), Arguments.of(k, DType.F64)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("casesByDtype")
    void forwardAndGradientsAgree(Case k, DType dt) {
        Device cl = openCl();
        assumeTrue(dt == DType.F32 || cl.capabilities().fp64(), "the OpenCL device has no fp64");
        Tensor[] inputs = new Tensor[k.shapes.length];
        for (int i = 0; i < inputs.length; i++) {
            Tensor x = Tensor.randn(dt, 100 + i, k.shapes[i]);
            inputs[i] = k.positive ? x.abs().add(0.5) : x;
        }
        Result onJvm = run(k, inputs, jvm());
        Result onCl = run(k, inputs, cl);
        double tol = dt == DType.F32 ? 1e-5 : 1e-12;
        close(k + " forward", onJvm.value, onCl.value, tol);
        for (int i = 0; i < onJvm.grads.size(); i++) {
            close(k + " gradient " + i, onJvm.grads.get(i), onCl.grads.get(i), tol);
        }
    }

    private record Result(double[] value, List<double[]> grads) {}

    private static Result run(Case k, Tensor[] host, Device d) {
        Tensor[] xs = new Tensor[host.length];
        for (int i = 0; i < xs.length; i++) {
            xs[i] = host[i].to(d).detach().requiresGrad(k.differentiable);
        }
        Tensor y = k.f.apply(xs);
        assertEquals(d.name(), y.device(), k + " result device");
        List<double[]> grads = new ArrayList<>();
        if (k.differentiable) {
            Tensor w = Tensor.randn(y.dtype(), 7, y.shape()).to(d);
            for (Tensor g : Autodiff.grad(y.mul(w).sum(), Arrays.asList(xs), null, false)) {
                assertEquals(d.name(), g.device(), k + " gradient device");
                grads.add(g.toDoubleArray());
            }
        }
        return new Result(y.toDoubleArray(), grads);
    }

    /** |a - b| <= tol * max(|b|_inf, 1e-3) element by element. */
    private static void close(String what, double[] a, double[] b, double tol) {
        assertEquals(a.length, b.length, what + " length");
        double scale = 1e-3;
        for (double v : b) {
            scale = Math.max(scale, Math.abs(v));
        }
        for (int i = 0; i < a.length; i++) {
            double err = Math.abs(a[i] - b[i]);
            if (!(err <= tol * scale) && a[i] != b[i]) {
                throw new AssertionError(what + " differs at " + i + ": jvm " + a[i] + " vs opencl " + b[i]
                        + " (|diff| " + err + " > " + tol + " * " + scale + ")");
            }
        }
    }

    @Test
    void randnAndRandAreTheSameStreamOnEveryDevice() {
        Device cl = openCl();
        try {
            for (DType dt : DType.values()) {
                Devices.use("jvm");
                Tensor a = Tensor.randn(dt, 42, 3, 1000);
                Tensor u = Tensor.rand(dt, 43, 777);
                Devices.use("opencl");
                Tensor b = Tensor.randn(dt, 42, 3, 1000);
                Tensor v = Tensor.rand(dt, 43, 777);
                assertEquals("opencl", b.device());
                assertTrue(a.allClose(b, dt == DType.F32 ? 1e-6 : 1e-12, 1e-6), "randn " + dt);
                assertArrayEquals(u.toDoubleArray(), v.toDoubleArray(), 0, "rand " + dt);
                assertSame(cl, b.buffer().device());
            }
        } finally {
            Devices.reset();
        }
    }

    @Test
    void mixingDevicesNamesBoth() {
        openCl();
        Tensor a = Tensor.ones(3);
        Tensor b = Tensor.ones(3).to("opencl");
        var e = assertThrows(IllegalArgumentException.class, () -> a.add(b));
        assertEquals("add: tensors on different devices ('jvm' and 'opencl'); move one with to(\"jvm\") first", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> a.matmul(b.reshape(3, 1)));
        assertThrows(IllegalStateException.class, b::f64Array, "no heap array behind an OpenCL buffer");
        assertArrayEquals(new double[] {2, 2, 2}, a.add(b.to("jvm")).toDoubleArray());
    }

    @Test
    void gradientsFlowBackAcrossTo() {
        openCl();
        Tensor x = Tensor.of(1, 2, 3).requiresGrad(true);
        Tensor y = x.to("opencl").square().sum();
        assertEquals("opencl", y.device());
        y.backward();
        assertEquals("jvm", x.grad().device());
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().toDoubleArray());
    }

    /** The path the optimizers use: a fused kernel updating a parameter's storage in place. */
    @ParameterizedTest
    @MethodSource("devices")
    void fusedInPlaceUpdateThroughBuffer(String device) {
        if (!device.equals("jvm")) {
            openCl();
        }
        Tensor p = Tensor.of(new float[] {1, 2, 3, 4}, 4).to(device);
        Tensor g = Tensor.of(new float[] {0.5f, 0.5f, -1, 2}, 4).to(device);
        var sgd = ElementwiseKernel.of("sgd", 2, 1, Expr.in(0).sub(Expr.param(0).mul(Expr.in(1))));
        p.buffer().device().run(sgd, new int[] {p.numel()}, List.of(p.operand(), g.operand()), List.of(p.operand()), 0.1);
        assertArrayEquals(new float[] {0.95f, 1.95f, 3.1f, 3.8f}, p.toFloatArray(), 1e-6f);
        if (device.equals("jvm")) {
            assertSame(p.f32Array(), p.buffer().heapFloats(), "the jvm device hands out the array itself");
        }
    }

    static Stream<String> devices() {
        return Stream.of("jvm", "opencl");
    }
}
