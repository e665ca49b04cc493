package org.reprolab.tornado.graph;

import static org.junit.jupiter.api.Assertions.*;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.ProviderStatus;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

class TaskGraphTest {
    /** SGD with momentum (PyTorch's form: buf = mu*buf + g; p -= lr*buf), fused, in place. */
    static final ElementwiseKernel SGD_M = ElementwiseKernel.of("sgd_m", 3, 2,
            in(0).sub(param(0).mul(param(1).mul(in(2)).add(in(1)))), param(1).mul(in(2)).add(in(1)));

    static Device device(String name) {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals(name)).findFirst().orElseThrow();
        org.junit.jupiter.api.Assumptions.assumeTrue(s.loaded(), () -> name + " unavailable: " + s.failure());
        return s.device();
    }

    @ParameterizedTest
    @ValueSource(strings = {"jvm", "opencl"})
    void stateStaysResidentAndParamsAreReadEachExecution(String dev) {
        int n = 300;
        float[] p = new float[n], g = new float[n], buf = new float[n], norm = new float[1];
        for (int i = 0; i < n; i++) {
            p[i] = i * 0.01f;
            g[i] = 1f;
        }
        double[] hyper = {0.1, 0.9};
        ImmutableTaskGraph itg = new TaskGraph("sgd")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, p, buf)
                .transferToDevice(DataTransferMode.EVERY_EXECUTION, g)
                .elementwise("step", SGD_M, List.of(p, g, buf), List.of(p, buf), hyper)
                .reduce("norm", ReduceOp.SUM_SQUARES, buf, norm)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, norm)
                .transferToHost(DataTransferMode.UNDER_DEMAND, p)
                .snapshot();
        float[] p0 = p.clone();
        try (ExecutionPlan plan = new ExecutionPlan(itg).withDevice(device(dev))) {
            double b = 0, shift = 0;
            for (int t = 0; t < 5; t++) {
                hyper[0] = 0.1 / (t + 1); // a schedule: changes between executions
                ExecutionResult r = plan.execute();
                b = 0.9 * b + 1;
                shift += hyper[0] * b;
                assertEquals(t, r.execution());
                assertEquals((t == 0 ? 3 : 1) * n * 4L, r.bytesToDevice(), "p and buf only on the first execution");
                assertEquals(n * b * b, norm[0], 1e-3 * n * b * b, "sum of squares of the momentum buffer");
                p[0] = 1000; // host changes to a FIRST_EXECUTION array do not reach the device...
            }
            assertEquals(1000f, p[0]); // ...and UNDER_DEMAND p has not come back yet
            plan.transferToHost(p);
            for (int i = 0; i < n; i++) assertEquals(p0[i] - shift, p[i], 1e-5, "p[" + i + "]");
            java.util.Arrays.fill(p, 0);
            plan.copyIn(p).execute(); // explicit copy-in refreshes a resident array
            plan.transferToHost(p);
            assertTrue(p[5] < 0);
        }
    }

    @Test
    void matmulAndRandomTasksContinueTheStream() {
        float[] a = {1, 2, 3, 4}, b = {5, 6, 7, 8}, c = new float[4], r = new float[10];
        ImmutableTaskGraph itg = new TaskGraph("mm")
                .transferToDevice(DataTransferMode.FIRST_EXECUTION, a, b)
                .matmul("mm", 1, 2, 2, 2, a, b, c, false)
                .random("noise", Distribution.UNIFORM, RngKey.of(3), r)
                .transferToHost(DataTransferMode.EVERY_EXECUTION, c, r)
                .snapshot();
        assertEquals(List.of("mm", "noise"), itg.taskIds());
        try (ExecutionPlan plan = new ExecutionPlan(itg).withDevice(Devices.get("jvm"))) {
            plan.execute();
            assertArrayEquals(new float[] {19, 22, 43, 50}, c);
            plan.execute();
            float[] want = new float[10];
            Philox.fill(RngKey.of(3), false, 10, want, 0, 10);
            assertArrayEquals(want, r);
        }
    }

    @Test
    void badGraphsFailEarlyWithNames() {
        float[] x = new float[4], y = new float[5];
        assertThrows(IllegalArgumentException.class, () -> new TaskGraph("g").transferToDevice(DataTransferMode.FIRST_EXECUTION, new int[3]));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new TaskGraph("g").elementwise("s", SGD_M, List.of(x, x, x), List.of(x, x), new double[1]));
        assertTrue(e.getMessage().contains("2 params"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class,
                () -> new TaskGraph("g").elementwise("s", SGD_M, List.of(x, y, x), List.of(x, x), new double[2]));
        assertTrue(e.getMessage().contains("'s'") && e.getMessage().contains("5") && e.getMessage().contains("4"), e.getMessage());
        ImmutableTaskGraph itg = new TaskGraph("g").matmul("mm", 1, 2, 2, 2, x, x, new float[3], false).snapshot();
        try (ExecutionPlan plan = new ExecutionPlan(itg).withDevice(Devices.get("jvm"))) {
            DeviceException d = assertThrows(DeviceException.class, plan::execute);
            assertTrue(d.getMessage().contains("'g'") && d.getMessage().contains("'mm'") && d.getMessage().contains("3"), d.getMessage());
        }
    }
}
