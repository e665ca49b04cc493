package org.reprolab.ode;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.tensor.TensorField;
import org.reprolab.ode.tensor.TensorProblem;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ProviderStatus;

/**
 * Tensor solves that record nothing ({@code Sensitivity.none()}) keep the state in device buffers and run each stage
 * combination as one fused kernel; they must take exactly the steps, and give exactly the f64 numbers, of the
 * recorded op-by-op path ({@code Sensitivity.direct()} with nothing requiring grad), on the jvm and opencl devices,
 * and copy nothing to the host between steps but the adaptive controller's few reduced scalars.
 */
class DeviceSolveTest {
    static final double[] SAVE = {0, 0.3, 0.75, 1.5};

    /** A batched neural-ODE-like field: f(y) = tanh(y·W1)·W2 − 0.1·y on [B, 3]. */
    static TensorField mlp(String device) {
        Tensor w1 = Tensor.randn(DType.F64, 7, 3, 16).mul(0.6).to(device);
        Tensor w2 = Tensor.randn(DType.F64, 8, 16, 3).mul(0.4).to(device);
        return (t, y) -> y.matmul(w1).tanh().matmul(w2).sub(y.mul(0.1));
    }

    static Solution<Tensor> solve(String device, Tableau tab, StepController c, Sensitivity s) {
        Tensor y0 = Tensor.randn(DType.F64, 3, 37, 3).to(device);
        return Ode.solve(TensorProblem.of(mlp(device), 0, 1.5, y0), tab, c, OdeOptions.defaults().saveAt(SAVE).sensitivity(s));
    }

    static void sameAsRecorded(String device) {
        Object[][] cases = {
                {Tableau.RK4, Controllers.constant(0.05)}, {Tableau.EULER, Controllers.constant(0.01)},
                {Tableau.DOPRI5, Controllers.pid(1e-7, 1e-9)}, {Tableau.TSIT5, Controllers.pid(1e-7, 1e-9)},
                {Tableau.BS3, Controllers.scipy(1e-5, 1e-8)}, {Tableau.DOP853, Controllers.pid(1e-9, 1e-11)}};
        for (Object[] c : cases) {
            Tableau tab = (Tableau) c[0];
            StepController ctl = (StepController) c[1];
            Solution<Tensor> fused = solve(device, tab, ctl, Sensitivity.none());
            Solution<Tensor> recorded = solve(device, tab, ctl, Sensitivity.direct());
            String what = device + " " + tab.name();
            assertEquals(recorded.stats().nfev(), fused.stats().nfev(), what);
            assertEquals(recorded.stats().naccept(), fused.stats().naccept(), what);
            assertEquals(recorded.stats().nreject(), fused.stats().nreject(), what);
            assertEquals(recorded.stats().maxHLambda(), fused.stats().maxHLambda(), what);
            for (int i = 0; i < SAVE.length; i++)
                assertArrayEquals(recorded.y(i).toDoubleArray(), fused.y(i).toDoubleArray(), 0, what + " at t = " + SAVE[i]);
        }
    }

    @Test
    void fusedDeviceSolvesEqualTheRecordedPathBitForBitOnJvm() {
        sameAsRecorded("jvm");
    }

    @Test
    void fusedDeviceSolvesEqualTheRecordedPathBitForBitOnOpenCl() {
        sameAsRecorded(openCl().name());
    }

    /** Transfers of a whole solve: the same for 10 and 60 fixed steps (none per step), one per attempt when adaptive. */
    static void transfersPerStep(Device d) {
        long rk10 = transfers(d, Tableau.RK4, Controllers.constant(0.15)).transfers;
        long rk60 = transfers(d, Tableau.RK4, Controllers.constant(0.025)).transfers;
        assertEquals(rk10, rk60, "fixed steps copy nothing between steps");
        Counted loose = transfers(d, Tableau.DOPRI5, Controllers.pid(1e-4, 1e-6));
        Counted tight = transfers(d, Tableau.DOPRI5, Controllers.pid(1e-9, 1e-11));
        assertTrue(tight.attempts > loose.attempts + 20, "tight tolerances take more steps");
        assertEquals(loose.transfers - loose.attempts, tight.transfers - tight.attempts,
                "one read (error sums and stiffness distances together) per attempt");
    }

    record Counted(long transfers, long attempts) {}

    static Counted transfers(Device d, Tableau tab, StepController c) {
        long before = d.hostTransfers();
        Solution<Tensor> s = solve(d.name(), tab, c, Sensitivity.none());
        long spent = d.hostTransfers() - before;
        return new Counted(spent, s.stats().naccept() + s.stats().nreject());
    }

    @Test
    void noHostCopiesBetweenStepsOnJvm() {
        transfersPerStep(Devices.get("jvm"));
    }

    @Test
    void noHostCopiesBetweenStepsOnOpenCl() {
        transfersPerStep(openCl());
    }

    @Test
    void aFixedStepDeviceSolveThatBlowsUpFailsAtTheEnd() {
        Tensor y0 = Tensor.of(1.0, 2.0);
        TensorField blowUp = (t, y) -> y.square().mul(50);
        var e = assertThrows(OdeException.class, () -> Ode.solve(TensorProblem.of(blowUp, 0, 1, y0), Tableau.RK4,
                Controllers.constant(0.1), OdeOptions.defaults().sensitivity(Sensitivity.none())));
        assertEquals(OdeException.Reason.NON_FINITE, e.reason());
    }

    /** f = y hands back the state's own buffer, which the fused path overwrites: it must be copied, so y(1) = e. */
    @Test
    void aFieldReturningTheStateItselfIsCopied() {
        TensorField identity = (t, y) -> y;
        for (Sensitivity s : new Sensitivity[] {Sensitivity.none(), Sensitivity.direct()}) {
            Solution<Tensor> sol = Ode.solve(TensorProblem.of(identity, 0, 1, Tensor.of(1.0, 2.0)), Tableau.RK4,
                    Controllers.constant(0.01), OdeOptions.defaults().sensitivity(s));
            double[] y = sol.yEnd().toDoubleArray();
            assertEquals(Math.E, y[0], 1e-9, s.toString());
            assertEquals(2 * Math.E, y[1], 2e-9, s.toString());
        }
    }

    static Device openCl() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElse(null);
        assumeTrue(s != null, "no opencl provider on the class path");
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        return s.device();
    }
}
