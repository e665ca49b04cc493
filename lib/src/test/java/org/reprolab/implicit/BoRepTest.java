package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * BO-REP on the ridge bar (implicit.md §4), x = log λ: its hypergradient pieces at (y*, v*) give the
 * reference hypergradient, and its iterates reach λ* = 0.163406486946858.
 */
class BoRepTest {

    private static final Fixtures.Ridge R = Fixtures.ridge();
    private static final BoRep.Level UPPER = (x, w) -> R.validationLoss(w);
    private static final BoRep.Level LOWER = (x, w) -> R.xTrain().matmul(w).sub(R.yTrain()).square().sum().div(2)
            .add(w.square().sum().mul(x.exp()).mul(R.nTrain() / 2.0));

    @Test
    void hypergradientPiecesGiveTheReference() {
        double lam = 0.1;
        Tensor x = Tensor.scalar(Math.log(lam));
        Tensor w = Tensor.of(R.solution(lam));
        Tensor fy = Autodiff.grad(z -> UPPER.apply(x, z), w);
        Tensor v = Tensor.of(Dense.solve(R.shifted(lam), fy.toDoubleArray()));
        Tensor[] h = BoRep.secondOrder(LOWER, x, w, v);
        assertArrayEquals(fy.toDoubleArray(), h[1].toDoubleArray(), 1e-12, "∇²ᵧᵧg v* = ∇ᵧf");
        // dF/dlog λ = λ dF/dλ; ∇ₓf = 0 here
        assertEquals(lam * -0.134384531492049, h[0].neg().item(), 1e-12);
    }

    @Test
    void reachesTheOptimalRegularisation() {
        double bound = 0;
        for (double[] row : R.xtx()) {
            double s = 0;
            for (double e : row) {
                s += Math.abs(e);
            }
            bound = Math.max(bound, s);
        }
        double gamma = 1 / (bound + R.nTrain());
        BoRep bo = new BoRep(0.01, 0.5, gamma, 100, gamma, 2, 3, 2000);
        BoRep.Trace t = bo.run(UPPER, LOWER, Tensor.scalar(0), Tensor.zeros(8), 400);
        double lamStar = 0.163406486946858;
        assertEquals(Math.log(lamStar), t.x().item(), 0.05, "log λ");
        assertEquals(0.386358953601807, t.upperValues()[399], 1e-3);
        assertTrue(t.upperValues()[399] < t.upperValues()[0]);
    }
}
