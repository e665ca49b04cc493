package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.implicit.BilevelPenalty;
import org.reprolab.implicit.BoRep;
import org.reprolab.implicit.Minimizer;
import org.reprolab.optim.Optimizer;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

class BilevelLabTest {
    private final RidgeBar ridge = new RidgeBar();

    @Test
    void adamOnLogLambdaFollowsTheHandLoopAndReachesLambdaStar() {
        // the implicit-ridge notebook's loop: λ = exp(u), du = λ dL/dλ
        Tensor u = Tensor.scalar(0.0);
        try (var opt = Optimizer.of(Map.of("u", u), adam(0.05))) {
            for (int t = 0; t < 60; t++) {
                double lam = Math.exp(u.item());
                double g = Autodiff.grad(l -> ridge.validationLoss(ridge.root().apply(Tensor.zeros(RidgeBar.D), l)), Tensor.scalar(lam)).item();
                u.setGrad(Tensor.scalar(lam * g));
                opt.step();
            }
        }
        Runs runs = Lab.bilevel(ridge.problem()).progress(Progress.none()).through(Tensor::exp).from(0.0).optimizer(adam(0.05))
                .compare(Hypergradient.implicit()).steps(60).track("lambda", (th, w) -> th.item()).run();
        double[] lambda = runs.history("implicit", "lambda"), loss = runs.history("implicit", "loss");
        assertEquals(61, lambda.length);
        assertEquals(1.0, lambda[0]);
        assertEquals(Math.exp(u.item()), runs.rows().getFirst().scalars().get("theta").mean(), 1e-15);
        assertEquals(ridge.problem().loss(Tensor.scalar(lambda[60])), loss[60], 1e-15);
        Runs long_ = Lab.bilevel(ridge.problem()).progress(Progress.none()).through(Tensor::exp).from(0.0).optimizer(adam(0.05))
                .compare(Hypergradient.implicit()).steps(300).run();
        assertEquals(RidgeBar.LAMBDA_STAR, long_.rows().getFirst().scalars().get("theta").mean(), 1e-4);
        assertEquals(0.386358953601807, long_.rows().getFirst().last("loss").mean(), 1e-8);
    }

    @Test
    void boRepRecordsItsUpperValuesAndTheLastIterate() {
        // a strongly convex toy: g(y, x) = ½‖y − x‖², f(y, x) = ½‖y − c‖²: y*(x) = x, F(x) = ½‖x − c‖²
        Tensor c = Tensor.of(1.0, -2.0);
        BilevelProblem toy = BilevelProblem.argmin("toy", (y, th) -> y.sub(th[0]).square().sum().mul(0.5), Minimizer.lbfgs(), Tensor.zeros(2),
                (y, th) -> y.sub(c).square().sum().mul(0.5));
        BoRep bo = new BoRep(0.05, 0.5, 0.5, 10, 0.5, 1, 2, 20);
        var lab = Lab.bilevel(toy).progress(Progress.none()).from(Tensor.zeros(2)).optimizer(adam(0.1))
                .compare(bo, Hypergradient.implicit()).steps(80).report("distance", (x, y) -> x.sub(c).square().sum().sqrt().item());
        Runs runs = lab.run();
        BoRep.Trace trace = bo.run((x, y) -> y.sub(c).square().sum().mul(0.5), (x, y) -> y.sub(x).square().sum().mul(0.5),
                Tensor.zeros(2), Tensor.zeros(2), 80);
        double[] loss = runs.history("BO-REP", "loss");
        assertEquals(81, loss.length);
        for (int t = 0; t < 80; t++) assertEquals(trace.upperValues()[t], loss[t], 0.0, "step " + t);
        assertEquals(trace.x().get(0), lab.last("BO-REP").theta().get(0), 0.0);
        // both approach c; the implicit loop with Adam gets there too
        assertTrue(runs.rows().get(0).scalars().get("distance").mean() < 0.5, runs.toString());
        assertTrue(runs.rows().get(1).scalars().get("distance").mean() < 0.5, runs.toString());
        assertTrue(loss[80] < loss[0]);
    }

    @Test
    void penaltyMethodRunsThroughTheLabWithItsOracleCounts() {
        // the toy above: ψ_σ(x) = ‖x − c‖²/(2(1 + σ)) up to a constant, so every σ has its minimiser at c
        Tensor c = Tensor.of(1.0, -2.0);
        BilevelProblem toy = BilevelProblem.argmin("toy", (y, th) -> y.sub(th[0]).square().sum().mul(0.5), Minimizer.lbfgs(), Tensor.zeros(2),
                (y, th) -> y.sub(c).square().sum().mul(0.5));
        BilevelPenalty penalty = new BilevelPenalty(0.5, 1.0, 0.01, 1.0, 0.5, 2, 0);
        var lab = Lab.bilevel(toy).progress(Progress.none()).from(Tensor.zeros(2))
                .compare(penalty, new BoRep(0.05, 0.5, 0.5, 10, 0.5, 1, 2, 20)).steps(60)
                .report("distance", (x, y) -> x.sub(c).square().sum().sqrt().item());
        Runs runs = lab.run();
        var trace = penalty.run((x, y) -> y.sub(c).square().sum().mul(0.5), (x, y) -> y.sub(x).square().sum().mul(0.5),
                Tensor.zeros(2), Tensor.zeros(2), 60);
        double[] loss = runs.history("penalty", "loss");
        for (int t = 0; t < 60; t++) assertEquals(trace.upperValues()[t], loss[t], 0.0, "step " + t);
        var scalars = runs.rows().getFirst().scalars();
        assertEquals(60 * (3 * 2 + 3), scalars.get("gradients").mean());
        assertEquals(0, scalars.get("HVPs").mean());
        assertTrue(scalars.get("distance").mean() < 1e-3, runs.toString());
        var boRep = runs.rows().get(1).scalars();
        assertEquals(60, boRep.get("HVPs").mean(), "one Hessian-vector product per BO-REP step");
        assertEquals(20 + 59 * 2 + 60, boRep.get("gradients").mean(), "refinement, periodic lower steps, one gradient of f per step");
        assertEquals(trace.x().get(1), lab.last("penalty").theta().get(1), 0.0);
        // the schedule's floor is a hyper-parameter a sweep can set
        Runs swept = Lab.bilevel(toy).progress(Progress.none()).from(Tensor.zeros(2)).compare(penalty).sweep("sigmaMin", 0.1, 0.5).steps(5).run();
        assertEquals(2, swept.rows().size());
    }

    @Test
    void badInputIsNamed() {
        var base = Lab.bilevel(ridge.problem()).progress(Progress.none()).from(0.1).steps(3);
        var fd = assertThrows(IllegalArgumentException.class, () -> base.optimizer(adam(0.1)).compare(Hypergradient.finiteDifference(1e-6)).run());
        assertTrue(fd.getMessage().contains("directional"), fd.getMessage());
        var noOpt = assertThrows(IllegalStateException.class,
                () -> Lab.bilevel(ridge.problem()).progress(Progress.none()).from(0.1).compare(Hypergradient.implicit()).run());
        assertTrue(noOpt.getMessage().contains("optimizer"), noOpt.getMessage());
        var noLower = assertThrows(IllegalStateException.class, () -> Lab.bilevel(ridge.problem()).progress(Progress.none()).from(0.1)
                .compare(new BoRep(0.1, 0.9, 0.5, 10, 0.1, 1, 1, 1)).steps(2).run());
        assertTrue(noLower.getMessage().contains("argmin"), noLower.getMessage());
        var wrongKind = assertThrows(IllegalArgumentException.class, () -> Lab.bilevel(ridge.problem()).progress(Progress.none()).from(0.1)
                .compare("adam").run());
        assertTrue(wrongKind.getMessage().contains("String"), wrongKind.getMessage());
        assertThrows(IllegalArgumentException.class, () -> base.track("loss", (t, x) -> 0));
    }
}
