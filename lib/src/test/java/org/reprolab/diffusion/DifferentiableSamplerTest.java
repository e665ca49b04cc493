package org.reprolab.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.ode.Sensitivity;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Gradients through the probability-flow ODE sampler (AdjointDPM, Pan et al. 2024) on the exact-score two-cluster
 * mixture (anisotropic covariances), against central finite differences and the recorded (direct) chain.
 */
class DifferentiableSamplerTest {
    static final NoiseSchedule VP = NoiseSchedule.vpLinear();
    static final GaussianMixture MIX = GaussianMixture.twoClusters();
    static final Tensor XT = Tensor.randn(3, 16, 2);
    static final Tensor WEIGHTS = Tensor.randn(4, 16, 2);

    /** L = Σ w·x₀ and its gradients with respect to the means and the noise. */
    record Grad(double loss, double[] means, double[] noise) {}

    static Grad grad(DifferentiableSampler s, double[][] means) {
        Tensor mu = Tensor.of(means).requiresGrad(true), xT = XT.detach().requiresGrad(true);
        Tensor loss = s.sample(MIX.noise(VP, mu), VP, xT, List.of(mu)).mul(WEIGHTS).sum();
        loss.backward();
        return new Grad(loss.item(), mu.grad().toDoubleArray(), xT.grad().toDoubleArray());
    }

    static double loss(DifferentiableSampler s, double[][] means) {
        try (var _ = Autodiff.noGrad()) {
            return s.sample(MIX.noise(VP, Tensor.of(means)), VP, XT, List.of()).mul(WEIGHTS).sum().item();
        }
    }

    static double relErr(double[] a, double[] ref) {
        double num = 0, den = 0;
        for (int i = 0; i < a.length; i++) {
            num += (a[i] - ref[i]) * (a[i] - ref[i]);
            den += ref[i] * ref[i];
        }
        return Math.sqrt(num / den);
    }

    static double[][] means() {
        return new double[][] {MIX.means()[0].clone(), MIX.means()[1].clone()};
    }

    @Test
    void tensorNoiseIsTheMixtureModel() {
        Batch x = Batch.normal(20, 2, 5);
        for (double t : new double[] {0.02, 0.3, 0.9}) {
            double[] want = new double[40];
            MIX.model(VP).eval(x, t, want);
            double[] got = MIX.noise(VP, Tensor.of(MIX.means())).apply(x.toTensor(), t).toDoubleArray();
            for (int i = 0; i < want.length; i++) assertEquals(want[i], got[i], 1e-12);
        }
        assertThrows(IllegalArgumentException.class, () -> MIX.noise(VP, Tensor.zeros(3, 2)));
    }

    @Test
    void samplesAreTheProbabilityFlowSolution() {
        SampleResult ref = ProbabilityFlowOde.reference(MIX.model(VP), Batch.of(XT));
        double[] exp = DifferentiableSampler.direct(40).with(Sensitivity.none()).sample(MIX.noise(VP, Tensor.of(MIX.means())), VP, XT, List.of()).toDoubleArray();
        double[] time = DifferentiableSampler.direct(400).with(Sensitivity.none()).in(DifferentiableSampler.Variables.TIME)
                .sample(MIX.noise(VP, Tensor.of(MIX.means())), VP, XT, List.of()).toDoubleArray();
        System.out.printf("forward: log-sigma 40 steps %.3g, time 400 steps %.3g%n", relErr(exp, ref.x().data()), relErr(time, ref.x().data()));
        assertTrue(relErr(exp, ref.x().data()) < 1e-4);
        assertTrue(relErr(time, ref.x().data()) < 1e-2);
    }

    @Test
    void directGradientIsTheFiniteDifferenceOfTheChain() {
        var s = DifferentiableSampler.direct(20);
        Grad g = grad(s, means());
        double h = 1e-5;
        double[] fd = new double[4];
        for (int i = 0; i < 4; i++) {
            double[][] p = means(), m = means();
            p[i / 2][i % 2] += h;
            m[i / 2][i % 2] -= h;
            fd[i] = (loss(s, p) - loss(s, m)) / (2 * h);
        }
        System.out.printf("direct vs fd: %.3g%n", relErr(g.means(), fd));
        assertTrue(relErr(g.means(), fd) < 1e-7);
    }

    @Test
    void adjointConvergesToTheDirectGradientAndCheckpointingEqualsIt() {
        double[] errs = new double[2];
        int[] steps = {8, 32};
        for (int k = 0; k < 2; k++) {
            Grad direct = grad(DifferentiableSampler.direct(steps[k]), means());
            Grad adjoint = grad(DifferentiableSampler.adjoint(steps[k]), means());
            errs[k] = Math.max(relErr(adjoint.means(), direct.means()), relErr(adjoint.noise(), direct.noise()));
            Grad ck = grad(DifferentiableSampler.direct(steps[k]).with(Sensitivity.checkpointed(3)), means());
            assertTrue(relErr(ck.means(), direct.means()) < 1e-12 && relErr(ck.noise(), direct.noise()) < 1e-12);
            assertEquals(direct.loss(), adjoint.loss(), 1e-12 * Math.abs(direct.loss()));
        }
        System.out.printf("adjoint vs direct: 8 steps %.3g, 32 steps %.3g%n", errs[0], errs[1]);
        assertTrue(errs[1] < 1e-4 && errs[1] < errs[0] / 30, "adjoint error should fall like h^4: " + errs[0] + " -> " + errs[1]);
    }

    /**
     * The paper's reparameterisation (y = x/α against σ/α) makes the adjoint more accurate at a given number of steps
     * on the ring (sharp modes: 0.00035 against 0.0094 relative error at 32 RK4 steps). Not universal: on the
     * two-cluster mixture the time form is the more accurate one at 8 to 64 steps (measured while writing this).
     */
    @Test
    void theExponentialIntegratorFormIsTheMoreAccurateAdjointOnTheRing() {
        GaussianMixture ring = GaussianMixture.ring(8, 1, 0.08);
        double[] ref = ringGrad(ring, DifferentiableSampler.direct(200));
        double eExp = relErr(ringGrad(ring, DifferentiableSampler.adjoint(32)), ref);
        double eTime = relErr(ringGrad(ring, DifferentiableSampler.adjoint(32).in(DifferentiableSampler.Variables.TIME)), ref);
        System.out.printf("adjoint at 32 steps vs converged: log-sigma %.3g, time %.3g%n", eExp, eTime);
        assertTrue(eExp < 1e-3 && eExp < eTime / 10, "log-sigma " + eExp + ", time " + eTime);
    }

    static double[] ringGrad(GaussianMixture ring, DifferentiableSampler s) {
        Tensor mu = Tensor.of(ring.means()).requiresGrad(true);
        s.sample(ring.noise(VP, mu), VP, XT, List.of(mu)).mul(WEIGHTS).sum().backward();
        return mu.grad().toDoubleArray();
    }

    @Test
    void theAdjointRecordsOneOpWhateverTheSteps() {
        Tensor mu = Tensor.of(MIX.means()).requiresGrad(true);
        var eps = MIX.noise(VP, mu);
        Autodiff.Tape d10 = Autodiff.tape(DifferentiableSampler.direct(10).sample(eps, VP, XT, List.of(mu)));
        Autodiff.Tape d20 = Autodiff.tape(DifferentiableSampler.direct(20).sample(eps, VP, XT, List.of(mu)));
        Autodiff.Tape a10 = Autodiff.tape(DifferentiableSampler.adjoint(10).sample(eps, VP, XT, List.of(mu)));
        Autodiff.Tape a20 = Autodiff.tape(DifferentiableSampler.adjoint(20).sample(eps, VP, XT, List.of(mu)));
        System.out.println("tapes " + d10 + " " + d20 + " " + a10 + " " + a20);
        assertEquals(a10, a20);
        assertEquals(2 * (d10.ops() - a10.ops()), d20.ops() - a10.ops(), 2 * 10);
        assertTrue(d10.elements() > 20 * a10.elements());
    }

    @Test
    void badInputIsNamed() {
        assertThrows(IllegalArgumentException.class, () -> DifferentiableSampler.adjoint(0));
        var s = DifferentiableSampler.adjoint(4);
        var eps = MIX.noise(VP, Tensor.of(MIX.means()));
        assertThrows(IllegalArgumentException.class, () -> s.sample(eps, VP, XT, 0.01, 0.5, List.of()));
        assertThrows(IllegalArgumentException.class, () -> s.sample(eps, VP, Tensor.zeros(4, 3), List.of()));
    }
}
