package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.Function;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** EP's estimate against implicit differentiation, and the homeostatic loss against the explicit Jacobian. */
class EquilibriumPropagationTest {

    static final int N = 6;
    static final Tensor X = Tensor.of(new double[] {0.5, -1.0, 1.2, 0.3, -0.4, 0.8}, 3, 2);
    static final Tensor U = Tensor.randn(DType.F64, 11, N, 2).mul(0.8);
    static final Tensor B = Tensor.randn(DType.F64, 12, N).mul(0.1);
    /** Squared error of the last two units against fixed targets. */
    static final Function<Tensor, Tensor> LOSS = s -> s.mul(Tensor.of(new double[] {0, 0, 0, 0, 1, 1}))
            .sub(Tensor.of(new double[] {0, 0, 0, 0, 0.4, -0.4, 0, 0, 0, 0, -0.3, 0.2, 0, 0, 0, 0, 0.1, 0.5}, 3, N))
            .square().sum().mul(0.5);

    /** {@code sym·(S + Sᵀ)/2 + anti·(A − Aᵀ)/2} from fixed random matrices, scaled to a contraction. */
    static Tensor weights(double anti) {
        Tensor s = Tensor.randn(DType.F64, 3, N, N).mul(0.25);
        Tensor a = Tensor.randn(DType.F64, 4, N, N).mul(0.25);
        return s.add(s.t()).mul(0.5).add(a.sub(a.t()).mul(0.5 * anti));
    }

    static Tensor[] theta(double anti) {
        return new Tensor[] {weights(anti), U, B, X};
    }

    static double maxError(List<Tensor> a, List<Tensor> b) {
        double worst = 0;
        for (int i = 0; i < 3; i++) {
            worst = Math.max(worst, a.get(i).sub(b.get(i)).abs().max().item());
        }
        return worst;
    }

    @Test
    void hopfieldFieldIsMinusTheEnergyGradientForSymmetricWeights() {
        Tensor[] th = theta(0);
        Tensor s = Tensor.randn(DType.F64, 5, 3, N);
        Function<Tensor, Tensor> energy = z -> {
            Tensor rho = z.tanh();
            return z.square().sum().mul(0.5).sub(rho.matmul(th[0].t()).mul(rho).sum().mul(0.5))
                    .sub(rho.mul(X.matmul(U.t()).add(B)).sum());
        };
        Tensor minusGrad = Autodiff.grad(energy, s).neg();
        assertTrue(EquilibriumPropagation.hopfield().apply(s, th).sub(minusGrad).abs().max().item() < 1e-12);
    }

    @Test
    void symmetricNudgingConvergesToTheExactGradientAsBetaShrinks() {
        Tensor[] th = theta(0);
        Tensor s0 = Tensor.zeros(3, N);
        List<Tensor> exact = EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 0.1).exact(LOSS, s0, th);
        double coarse = maxError(EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 0.1).estimate(LOSS, s0, th), exact);
        double fine = maxError(EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 0.05).estimate(LOSS, s0, th), exact);
        double scale = exact.getFirst().abs().max().item();
        assertTrue(coarse < 0.05 * scale, "EP at beta 0.1 off by " + coarse + " of " + scale);
        // the centred difference's bias is O(β²): halving β divides the error by about four
        assertEquals(4, coarse / fine, 0.5);
        List<Tensor> tiny = EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 1e-3).estimate(LOSS, s0, th);
        assertTrue(EquilibriumPropagation.cosine(tiny, exact) > 1 - 1e-8);
    }

    @Test
    void asymmetricWeightsBiasTheEstimate() {
        Tensor[] th = theta(1.5);
        Tensor s0 = Tensor.zeros(3, N);
        EquilibriumPropagation ep = EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 1e-3);
        double cos = EquilibriumPropagation.cosine(ep.estimate(LOSS, s0, th), ep.exact(LOSS, s0, th));
        assertTrue(cos < 0.999, "asymmetric weights left cosine " + cos);
    }

    @Test
    void surrogateGradientIsTheEstimate() {
        Tensor[] th = theta(0.7);
        EquilibriumPropagation ep = EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 0.01);
        Tensor free = ep.equilibrium(0, LOSS, Tensor.zeros(3, N), th);
        List<Tensor> viaSurrogate = Autodiff.gradAll(ps -> ep.surrogate(LOSS, free, ps), th);
        assertTrue(maxError(viaSurrogate, ep.estimate(LOSS, Tensor.zeros(3, N), th)) < 1e-9);
    }

    @Test
    void homeostaticLossIsHalfTheSquaredAsymmetryOverUnits() {
        Condition field = EquilibriumPropagation.hopfield();
        Tensor x = Tensor.of(new double[] {0.5, -1.0}, 1, 2);
        Tensor[] th = {weights(0.8), U, B, x};
        Tensor s = Tensor.randn(DType.F64, 7, 1, N).mul(0.5);
        double[] j = Autodiff.jacobian(z -> field.apply(z.reshape(1, N), th).reshape(N), s.reshape(N)).toDoubleArray();
        double asym = 0;
        for (int r = 0; r < N; r++) {
            for (int c = 0; c < N; c++) {
                asym += Math.pow(j[r * N + c] - j[c * N + r], 2);
            }
        }
        // summed over the basis vectors the estimator is exact: ‖J‖²_F − tr J² = ½‖J − Jᵀ‖²_F
        double sum = 0;
        for (int i = 0; i < N; i++) {
            double[] e = new double[N];
            e[i] = 1;
            sum += EquilibriumPropagation.homeostaticLoss(field, s, Tensor.of(e, 1, N), th).item();
        }
        assertEquals(asym / (2 * N), sum, 1e-10 * asym);
        assertTrue(asym > 1e-3);
    }

    @Test
    void homeostaticLossVanishesForASymmetricJacobianAndHasAGradientOtherwise() {
        Condition field = EquilibriumPropagation.hopfield();
        Tensor s = Tensor.randn(DType.F64, 8, 3, N);
        Tensor eps = Tensor.randn(DType.F64, 9, 3, N);
        assertEquals(0, EquilibriumPropagation.homeostaticLoss(field, s, eps, theta(0)).item(), 1e-12);
        Tensor w = weights(0.5);
        Tensor g = Autodiff.grad(v -> EquilibriumPropagation.homeostaticLoss(field, s, eps, v, U, B, X), w);
        assertTrue(g.abs().max().item() > 1e-3);
    }

    @Test
    void badInputIsNamed() {
        var e = assertThrows(IllegalArgumentException.class, () -> EquilibriumPropagation.of(EquilibriumPropagation.hopfield(), 0));
        assertTrue(e.getMessage().contains("beta"));
        var shape = assertThrows(IllegalArgumentException.class, () -> EquilibriumPropagation.homeostaticLoss(
                EquilibriumPropagation.hopfield(), Tensor.zeros(3, N), Tensor.zeros(3, 2), theta(0)));
        assertTrue(shape.getMessage().contains("eps"));
    }
}
