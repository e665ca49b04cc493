package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.reprolab.implicit.ImplicitRoot;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

class ImplicitLabTest {
    private final RidgeBar ridge = new RidgeBar();

    private ImplicitExperiment lab() {
        return Lab.implicit(ridge.problem()).progress(Progress.none()).reference(ridge::closedForm);
    }

    @Test
    void implicitModeEqualsADirectImplicitCallBitForBitAndTheClosedForm() {
        double direct = Autodiff.grad(l -> ridge.validationLoss(ridge.root().apply(Tensor.zeros(RidgeBar.D), l)), Tensor.scalar(0.1)).item();
        Runs runs = lab().at(0.1).compare(Hypergradient.implicit()).run();
        double viaLab = runs.rows().getFirst().scalars().get("hypergradient").mean();
        assertEquals(Double.doubleToLongBits(direct), Double.doubleToLongBits(viaLab));
        assertEquals(ridge.closedForm(0.1), viaLab, 1e-9);
        assertEquals(RidgeBar.HYPERGRADIENT_AT_0_1, viaLab, 1e-9);
        assertTrue(runs.at("implicit", 1, "error").mean() < 1e-12);
        assertTrue(runs.at("implicit", 1, "residual").mean() < 1e-6);
    }

    @Test
    void longUnrollsConvergeToTheImplicitGradientShortOnesAreBiased() {
        Runs runs = lab().at(0.1).compare(Hypergradient.unrolled(3000), Hypergradient.unrolled(30), Hypergradient.oneStep()).run();
        assertEquals(List.of("unrolled(3000)", "unrolled(30)", "one-step"), runs.methods());
        assertEquals(RidgeBar.HYPERGRADIENT_AT_0_1, runs.at("unrolled(3000)", 1, "hypergradient").mean(), 1e-12);
        assertTrue(runs.at("unrolled(30)", 1, "error").mean() > 1e-3);
        assertEquals(3000.0, runs.rows().getFirst().scalars().get("inner_iterations").mean());
        // JFB with a gradient step: dL/dλ through one step only, biased by the neglected (I − ∂T/∂w)⁻¹
        assertTrue(runs.at("one-step", 1, "error").mean() > 1e-3);
    }

    @Test
    void overAGridOfPointsTheHistoryFollowsTheClosedForm() {
        double[] lams = {0.01, 0.03, 0.1, 0.3, 1, 3};
        Runs runs = lab().at(lams).compare(Hypergradient.implicit()).run();
        double[] theta = runs.history("implicit", "theta"), g = runs.history("implicit", "hypergradient");
        for (int k = 0; k < lams.length; k++) {
            assertEquals(lams[k], theta[k]);
            assertEquals(ridge.closedForm(lams[k]), g[k], 1e-9);
        }
        assertEquals(6, runs.runs().getFirst().units());
    }

    @Test
    void sweepingTheInnerToleranceBoundsTheErrorByTheResidual() {
        Runs runs = lab().at(0.1).compare(Hypergradient.implicit()).sweep("tol", 1e-2, 1e-6, 1e-12).run();
        double loose = runs.at("implicit tol=0.01", 1, "error").mean(), tight = runs.at("implicit tol=1e-12", 1, "error").mean();
        assertTrue(loose > 1e-3, "loose " + loose);
        assertTrue(tight < 1e-12, "tight " + tight);
        for (Row r : runs.rows()) {
            double residual = r.last("residual").mean();
            if (residual > 1e-12) assertTrue(r.last("error").mean() < residual, r.label());
        }
        XYChart chart = (XYChart) runs.plot("tol", "error").chart();
        XYSeries series = chart.getSeries("implicit");
        assertEquals(3, series.getXData().length);
        assertTrue(chart.getStyler().isXAxisLogarithmic() && chart.getStyler().isYAxisLogarithmic());
    }

    @Test
    void implicitAtTheKthIterateBeatsUnrollingThroughKSteps() {
        Runs runs = lab().at(0.1).compare(Hypergradient.implicit(), Hypergradient.unrolled(1)).sweep("steps", 200, 2000).run();
        assertEquals(List.of("implicit", "unrolled"), runs.methods());
        assertTrue(runs.at("implicit steps=200", 1, "error").mean() < runs.at("unrolled steps=200", 1, "error").mean());
        assertTrue(runs.at("unrolled steps=2000", 1, "error").mean() < 1e-13);
    }

    @Test
    void aFiniteDifferenceReferenceChecksATensorGradientAlongADirection() {
        // θ = (λ, λ') of shape [2], the condition using λ + λ': dL/dλ = dL/dλ' = the scalar hypergradient at λ + λ' = 0.1
        var condition = ridge.condition();
        var root = org.reprolab.implicit.Implicit.root((w, th) -> condition.apply(w, th[0].sum()),
                (w0, th) -> ridge.cg(1e-13).solve(w0, th[0].sum()))
                .withLinearSolver(org.reprolab.implicit.LinearSolver.cg());
        var problem = BilevelProblem.of("ridge, two parts", root, (w, th) -> ridge.validationLoss(w)).start(Tensor.zeros(RidgeBar.D));
        Tensor v = Tensor.of(0.6, 0.8);
        Runs runs = Lab.implicit(problem).progress(Progress.none()).at(Tensor.of(0.04, 0.06)).direction(v)
                .compare(Hypergradient.implicit()).reference(Hypergradient.finiteDifference(1e-5)).run();
        // the central difference agrees to O(h²) and round-off; the directional derivative is 1.4 dL/dλ
        assertTrue(runs.at("implicit", 1, "relative_error").mean() < 1e-7, runs.toString());
        assertEquals(1.4 * RidgeBar.HYPERGRADIENT_AT_0_1, runs.rows().getFirst().scalars().get("hypergradient").mean(), 1e-9);
    }

    @Test
    void badInputNamesTheMethodAndTheParameter() {
        var e = assertThrows(IllegalArgumentException.class, () -> lab().at(0.1).compare(Hypergradient.unrolled(5)).sweep("lr", 0.1).run());
        assertTrue(e.getMessage().contains("unrolled") && e.getMessage().contains("'lr'"), e.getMessage());
        var noStep = Lab.implicit(BilevelProblem.of("ridge", ridge.root(), (w, th) -> ridge.validationLoss(w))).progress(Progress.none())
                .at(0.1).compare(Hypergradient.unrolled(5));
        var s = assertThrows(IllegalStateException.class, noStep::run);
        assertTrue(s.getMessage().contains("iteration map"), s.getMessage());
        assertThrows(IllegalStateException.class, () -> lab().compare(Hypergradient.implicit()).run(), "no point");
        assertThrows(IllegalArgumentException.class, () -> Hypergradient.unrolled(0));
    }
}
