package org.reprolab.implicit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * Trajectory matching (MTT, AST): the matching loss against its closed form on a quadratic student, its gradient
 * to the images and the student lr through the unrolled steps against central differences on a softmax student,
 * expert training against hand-computed SGD steps (loss scaling and clipping), and the representative pick.
 */
class TrajectoryMatchingTest {

    /** ℓ(w, X) = ½‖w − mean of X's rows‖²: gradient descent from w0 gives w_N = m + (1 − α)^N (w0 − m). */
    private static final ParametricObjective QUADRATIC = (w, th) -> w.sub(th[0].mean(0)).square().sum().div(2);

    /** Linear softmax regression on flat parameters (3 inputs, 2 classes: a 3x2 matrix). */
    private static final ParametricObjective SOFTMAX = (w, th) -> th[0].matmul(w.reshape(3, 2)).crossEntropy(th[1]);

    private static ExpertTrajectory randomExpert(int epochs, int size, long seed) {
        List<Tensor> checkpoints = new ArrayList<>();
        for (int e = 0; e <= epochs; e++) checkpoints.add(Tensor.randn(DType.F64, seed + e, size).mul(0.5));
        return new ExpertTrajectory(checkpoints);
    }

    @Test
    void matchingLossIsTheClosedFormOnAQuadraticStudent() {
        var expert = randomExpert(3, 2, 1);
        Tensor images = Tensor.of(new double[][] {{1, 2}, {3, -2}});   // mean (2, 0)
        double alpha = 0.3;
        int n = 4;
        var tm = TrajectoryMatching.of(QUADRATIC, List.of(expert), Tensor.zeros(2), n, 2, 1);
        double got = tm.loss(images, Tensor.scalar(alpha), expert, 1, 0).item();
        double[] w0 = expert.at(1).toDoubleArray(), target = expert.at(3).toDoubleArray(), m = {2, 0};
        double num = 0, den = 0, shrink = Math.pow(1 - alpha, n);
        for (int i = 0; i < 2; i++) {
            num += Math.pow(m[i] + shrink * (w0[i] - m[i]) - target[i], 2);
            den += Math.pow(w0[i] - target[i], 2);
        }
        assertEquals(num / den, got, 1e-13);

        // intermediate matching adds the step-N/M iterate against θ*_{t+1}, normalised by its own displacement
        double got2 = tm.intermediate(true).loss(images, Tensor.scalar(alpha), expert, 1, 0).item();
        double[] mid = expert.at(2).toDoubleArray();
        double num2 = 0, den2 = 0, shrink2 = Math.pow(1 - alpha, 2);
        for (int i = 0; i < 2; i++) {
            num2 += Math.pow(m[i] + shrink2 * (w0[i] - m[i]) - mid[i], 2);
            den2 += Math.pow(w0[i] - mid[i], 2);
        }
        assertEquals(num / den + num2 / den2, got2, 1e-13);

        // heavy ball on the same quadratic from 0: w1 = 2α = 0.6, b2 = μ(−2) + (0.6 − 2) = −2.4, w2 = 0.6 + 0.3·2.4
        Tensor w2 = TrajectoryMatching.unroll(QUADRATIC, Tensor.of(0.0, 0.0), images, Tensor.zeros(2), alpha, 0.5, 2);
        assertArrayEquals(new double[] {1.32, 0}, w2.toDoubleArray(), 1e-14);
    }

    @Test
    void unrolledGradientMatchesCentralDifferences() {
        var expert = randomExpert(4, 6, 7);
        Tensor labels = Tensor.oneHot(new int[] {0, 1, 1, 0}, 2).to(DType.F64);
        var tm = TrajectoryMatching.of(SOFTMAX, List.of(expert), labels, 6, 3, 2).ast();
        Tensor images = Tensor.randn(DType.F64, 11, 4, 3);
        double lr = 0.4;
        var grads = Autodiff.gradAll(xs -> tm.loss(xs[0], xs[1], expert, 1, 0), images.requiresGrad(true), Tensor.scalar(lr).requiresGrad(true));
        Tensor v = Tensor.randn(DType.F64, 12, 4, 3);
        double h = 1e-5;
        double up = tm.loss(images.detach().add(v.mul(h)), Tensor.scalar(lr), expert, 1, 0).item();
        double down = tm.loss(images.detach().sub(v.mul(h)), Tensor.scalar(lr), expert, 1, 0).item();
        double fdImages = (up - down) / (2 * h);
        double adImages = grads.get(0).mul(v).sum().item();
        assertEquals(fdImages, adImages, 1e-7 * Math.max(1, Math.abs(fdImages)));
        assertTrue(Math.abs(adImages) > 1e-3, "a direction with a real derivative: " + adImages);

        double fdLr = (tm.loss(images.detach(), Tensor.scalar(lr + h), expert, 1, 0).item()
                - tm.loss(images.detach(), Tensor.scalar(lr - h), expert, 1, 0).item()) / (2 * h);
        assertEquals(fdLr, grads.get(1).item(), 1e-7 * Math.max(1, Math.abs(fdLr)));
    }

    @Test
    void balanceFactorFollowsTheOfficialFormula() {
        // max start 20: start 15 -> × log5(15 − 10 + 8), start 3 -> ÷ log5(10 − 3 + 8)
        assertEquals(Math.log(13) / Math.log(5), TrajectoryMatching.balance(15, 20), 1e-15);
        assertEquals(Math.log(5) / Math.log(15), TrajectoryMatching.balance(3, 20), 1e-15);
    }

    @Test
    void expertTrainingTakesTheScaledAndClippedSteps() {
        // ℓ(w, X) = ½‖w − mean X‖², one full batch per epoch: w ← w − η s_e (w − m), then clipped steps of length η c
        Tensor x = Tensor.of(new double[][] {{4, 0}, {0, 0}});   // m = (2, 0)
        var plain = ExpertTrajectory.train(QUADRATIC, Tensor.of(0.0, 0.0), x, Tensor.zeros(2), ExpertTrajectory.Training.sgd(2, 2, 0.5).lossScale(0.5), 0);
        assertArrayEquals(new double[] {0.5, 0}, plain.at(1).toDoubleArray(), 1e-15);      // 0 − 0.5·0.5·(0 − 2)
        assertArrayEquals(new double[] {1.25, 0}, plain.at(2).toDoubleArray(), 1e-15);     // 0.5 − 0.5·(0.5 − 2)
        var clipped = ExpertTrajectory.train(QUADRATIC, Tensor.of(0.0, 0.0), x, Tensor.zeros(2), ExpertTrajectory.Training.sgd(2, 2, 0.5).clipNorm(1), 0);
        assertArrayEquals(new double[] {0.5, 0}, clipped.at(1).toDoubleArray(), 1e-15);    // gradient (−2, 0) clipped to norm 1
        assertArrayEquals(new double[] {0.5, 0.75}, plain.displacements(), 1e-15);
        var momentum = ExpertTrajectory.train(QUADRATIC, Tensor.of(0.0, 0.0), x, Tensor.zeros(2), ExpertTrajectory.Training.sgd(2, 2, 0.5).momentum(0.5), 0);
        // b1 = (−2), w1 = 1; g2 = (1 − 2) = −1, b2 = 0.5·(−2) − 1 = −2, w2 = 1 + 1 = 2
        assertArrayEquals(new double[] {2, 0}, momentum.at(2).toDoubleArray(), 1e-15);
    }

    @Test
    void representativePicksTheMembersNearestTheClusterCentres() {
        // class 0: two clusters around 0 and 10, the member nearest each centre; class 1: one cluster, its middle member
        Tensor f = Tensor.of(new double[][] {{-1}, {0.2}, {1}, {9}, {10.1}, {11}, {5}, {6}, {7.4}});
        int[] classes = {0, 0, 0, 0, 0, 0, 1, 1, 1};
        int[] picks = TrajectoryMatching.representative(f, classes, 2, 2);
        assertEquals(4, picks.length);   // two per class, class 0's first
        assertEquals(List.of(1, 4), List.of(Math.min(picks[0], picks[1]), Math.max(picks[0], picks[1])));
        assertEquals(7, TrajectoryMatching.representative(f, classes, 2, 1)[1]);
    }

    @Test
    void badInputIsNamed() {
        var expert = randomExpert(3, 2, 1);
        var tooShort = assertThrows(IllegalArgumentException.class, () -> TrajectoryMatching.of(QUADRATIC, List.of(expert), Tensor.zeros(2), 4, 2, 3));
        assertTrue(tooShort.getMessage().contains("at least 4 epochs"), tooShort.getMessage());
        var lr = assertThrows(IllegalArgumentException.class,
                () -> TrajectoryMatching.of(QUADRATIC, List.of(expert), Tensor.zeros(2), 4, 2, 1).loss(Tensor.zeros(2, 2), Tensor.zeros(2), expert, 0, 0));
        assertTrue(lr.getMessage().contains("scalar"), lr.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new ExpertTrajectory(List.of(Tensor.zeros(2))));
        assertThrows(IllegalArgumentException.class, () -> ExpertTrajectory.Training.sgd(1, 1, 0.1).momentum(1.0));
    }
}
