package org.reprolab.ode.solvers;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/**
 * Rodas4's coefficients, checked through one step of the stepper against a closed form: on the smooth nonlinear
 * system y₀' = y₀², y₁' = −y₀y₁ from (1, 1) (solution 1/(1 − t), 1 − t) the local error of the solution must be
 * O(h⁵) (order 4) and the error estimate k₆ = y₁ − ŷ O(h⁴) (embedded order 3). This is why the step growth of
 * Rodas4 on Van der Pol μ = 1000 at tight tolerances (docs/performance.md, "Stiff solvers") is the method's order
 * reduction on a singularly perturbed problem, not a wrong coefficient.
 */
class Rodas4OrderTest {

    @Test
    void localErrorOrderFiveAndEstimateOrderFour() {
        VectorField<double[]> f = (t, y, d) -> { d[0] = y[0] * y[0]; d[1] = -y[0] * y[1]; };
        JacobianFunction jac = (t, y, j) -> { j[0][0] = 2 * y[0]; j[0][1] = 0; j[1][0] = -y[1]; j[1][1] = -y[0]; };
        double[] hs = {0.04, 0.02}, local = new double[2], estimate = new double[2];
        for (int r = 0; r < 2; r++) {
            double h = hs[r];
            // rtol 0, atol 1: the returned error norm is the rms of k₆ itself
            Stepper<double[]> st = Stepper.rosenbrock(RosenbrockTableau.RODAS4, f, jac, true, 2, new Counters(), 0, 1);
            double[] y = {1, 1}, yNew = new double[2];
            st.start(0, y);
            estimate[r] = st.attempt(0, y, h, yNew);
            local[r] = Math.max(Math.abs(yNew[0] - 1 / (1 - h)), Math.abs(yNew[1] - (1 - h)));
        }
        assertEquals(5, Math.log(local[0] / local[1]) / Math.log(2), 0.15, "local error order + 1");
        assertEquals(4, Math.log(estimate[0] / estimate[1]) / Math.log(2), 0.15, "error estimate order + 1");
    }
}
