package org.reprolab.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ProviderStatus;

/**
 * The optimizer updates parameters in place on their own device: on {@code opencl} (PoCL in CI) the
 * trajectories of a set of chains (fused single-stage ones, reduction stages, host slots, clipping,
 * accumulation) match the {@code jvm} device's within f64 (1e-12) or f32 (1e-5) tolerance, and the
 * parameter keeps its buffer. Skipped with the provider's reason where no OpenCL platform exists.
 */
class CrossDeviceOptimizerTest {
    static final int STEPS = 40;

    static Device openCl() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElse(null);
        assumeTrue(s != null, "no opencl provider on the class path");
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        return s.device();
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        Map<String, Chain> chains = new LinkedHashMap<>();
        chains.put("sgd-nesterov", Optimizers.sgd(1e-2).with("momentum", 0.9).with("nesterov", true).with("weight_decay", 1e-3));
        chains.put("adamw-amsgrad", Optimizers.adamw(1e-2).with("amsgrad", true));
        chains.put("lion", Optimizers.lion(1e-3).with("weight_decay", 0.1));
        chains.put("lamb", Optimizers.lamb(1e-2).with("weight_decay", 0.01));
        chains.put("adan", Optimizers.adan(1e-2).with("weight_decay", 0.02));
        chains.put("sgd-sai", Optimizers.sgdSai(1e-3));
        chains.put("adabelief", Optimizers.adaBelief(1e-2));
        chains.put("lookahead-adam", Optimizers.lookahead(Optimizers.adam(1e-2), 3, 0.5));
        chains.put("schedule-free-adamw", Optimizers.scheduleFreeAdamw(1e-2).with("weight_decay", 0.01));
        chains.put("prodigy", Optimizers.prodigy(1).with("bias_correction", true));
        for (var e : chains.entrySet())
            for (DType dt : new DType[] {DType.F64, DType.F32}) out.add(Arguments.of(e.getKey(), e.getValue(), dt));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} {2}")
    @MethodSource("cases")
    void sameTrajectoryOnOpenClAsOnJvm(String name, Chain chain, DType dt) {
        Device cl = openCl();
        assumeTrue(dt == DType.F32 || cl.capabilities().fp64(), "the OpenCL device has no fp64");
        ReferenceProblems prob = ReferenceProblems.linreg();
        double[] jvm = run(prob, chain, dt, Devices.get("jvm"));
        double[] ocl = run(prob, chain, dt, cl);
        double tol = dt == DType.F64 ? 1e-12 : 1e-5;
        double d = TorchRef.maxRelDiff(ocl, jvm);
        assertTrue(d <= tol, name + " " + dt + ": opencl trajectory differs from jvm by " + d);
    }

    static Stream<Arguments> projections() {
        List<Arguments> out = new ArrayList<>();
        for (DType dt : new DType[] {DType.F64, DType.F32}) {
            out.add(Arguments.of("adamp channel", Optimizers.adamP(0.05).with("weight_decay", 0.01), OfficialRulesTest.channelInvariant(), dt));
            out.add(Arguments.of("adamp layer", Optimizers.adamP(0.05).with("nesterov", true), OfficialRulesTest.layerInvariant(), dt));
            out.add(Arguments.of("sgdp channel", Optimizers.sgdP(0.05, 0.9).with("weight_decay", 0.01), OfficialRulesTest.channelInvariant(), dt));
        }
        return out.stream();
    }

    /** The per-channel projection (row products, row sums, per-row values broadcast along rows) on both devices. */
    @ParameterizedTest(name = "{0} {3}")
    @MethodSource("projections")
    void projectionsOnOpenClMatchJvm(String name, Chain chain, ReferenceProblems prob, DType dt) {
        Device cl = openCl();
        assumeTrue(dt == DType.F32 || cl.capabilities().fp64(), "the OpenCL device has no fp64");
        double[] jvm = run(prob, chain, dt, Devices.get("jvm"));
        double[] ocl = run(prob, chain, dt, cl);
        double d = TorchRef.maxRelDiff(ocl, jvm);
        assertTrue(d <= (dt == DType.F64 ? 1e-12 : 1e-5), name + " " + dt + ": opencl trajectory differs from jvm by " + d);
    }

    /** Runs STEPS steps with gradient clipping and 2-step accumulation on {@code device}; the flattened trajectory. */
    static double[] run(ReferenceProblems prob, Chain chain, DType dt, Device device) {
        Map<String, Tensor> params = new LinkedHashMap<>();
        for (int i = 0; i < prob.x0().size(); i++)
            params.put(prob.names().get(i), Tensor.of(prob.x0().get(i).clone(), prob.shapes().get(i)).to(dt).to(device));
        List<Buffer> buffers = params.values().stream().map(Tensor::buffer).toList();
        List<Double> out = new ArrayList<>();
        try (Optimizer opt = Optimizer.builder(params, chain).clipGradNorm(2.0).accumulate(2).checkFinite(true).build()) {
            assertSame(device, opt.device());
            for (int s = 0; s < 2 * STEPS; s++) {
                List<double[]> vals = new ArrayList<>();
                for (Tensor t : params.values()) vals.add(t.toDoubleArray());
                List<double[]> gs = prob.grad().at(vals);
                int i = 0;
                for (Tensor t : params.values()) {
                    double scale = s % 2 == 0 ? 0.75 : 1.25; // micro-batches differ
                    double[] g = gs.get(i).clone();
                    for (int k = 0; k < g.length; k++) g[k] *= scale;
                    t.setGrad(Tensor.of(g, prob.shapes().get(i)).to(dt).to(device));
                    i++;
                }
                opt.step();
                if (s % 2 == 1) for (Tensor t : params.values()) for (double v : t.toDoubleArray()) out.add(v);
            }
        }
        int i = 0;
        for (Tensor t : params.values()) {
            assertSame(buffers.get(i++), t.buffer(), "the parameter keeps its buffer: the update ran in place");
            assertEquals(device.name(), t.device());
        }
        return out.stream().mapToDouble(Double::doubleValue).toArray();
    }

    @Test
    void gradientsFromBackwardOnOpenClAndStridedGradients() {
        Device cl = openCl();
        assumeTrue(cl.capabilities().fp64(), "the OpenCL device has no fp64");
        double[][] res = new double[2][];
        int k = 0;
        for (Device dev : new Device[] {Devices.get("jvm"), cl}) {
            Tensor x = Tensor.of(new double[][] {{0.5, -1.0, 2.0}, {1.5, 0.25, -0.5}, {-1.0, 2.0, 0.75}}).to(dev);
            Tensor y = Tensor.of(new double[][] {{1.0, -2.0}, {0.5, 0.5}, {-1.5, 2.5}}).to(dev);
            Tensor w = Tensor.of(new double[] {0.1, -0.2, 0.3, 0.4, 0.5, -0.6}, 2, 3).to(dev).requiresGrad(true);
            Tensor b = Tensor.of(new double[] {0.05, -0.05}, 2).to(dev).requiresGrad(true);
            try (Optimizer opt = Optimizer.of(Map.of("w", w, "b", b), Optimizers.adam(0.05))) {
                for (int s = 0; s < 20; s++) {
                    w.zeroGrad();
                    b.zeroGrad();
                    x.matmul(w.t()).add(b).sub(y).square().mean().backward();
                    // a transposed (strided) gradient view of the same values
                    w.setGrad(w.grad().t().copy().t());
                    assertTrue(!w.grad().isContiguous());
                    opt.step();
                }
            }
            double[] wv = w.toDoubleArray(), bv = b.toDoubleArray();
            res[k] = new double[] {wv[0], wv[1], wv[2], wv[3], wv[4], wv[5], bv[0], bv[1]};
            k++;
        }
        double d = TorchRef.maxRelDiff(res[1], res[0]);
        assertTrue(d <= 1e-12, "opencl differs from jvm by " + d);
    }

    @Test
    void parameterOnAnotherDeviceThanTheOptimizerIsRefusedByName() {
        Device cl = openCl();
        Map<String, Tensor> ps = new LinkedHashMap<>();
        ps.put("a", Tensor.of(1.0, 2.0));
        ps.put("b", Tensor.of(1.0, 2.0).to(cl));
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, () -> Optimizer.of(ps, Optimizers.sgd(0.1)));
        assertTrue(e.getMessage().contains("parameter 'b' lives on device 'opencl' but the optimizer runs on 'jvm'"), e.getMessage());
    }
}
