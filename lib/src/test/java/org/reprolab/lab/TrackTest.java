package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.reprolab.optim.Optimizers.sgd;

import org.junit.jupiter.api.Test;
import org.reprolab.problems.Problems;

class TrackTest {

    @Test
    void trackRecordsAFunctionOfThePointAtEveryStep() {
        // x -> x - 0.1 * 2x on x^2: x_t = 0.8^t x0, so |x| and x^2 are known in closed form
        var bowl = Problems.of("bowl", 1, x -> x.mul(x).sum());
        Runs runs = Lab.optimize(bowl).from(1.0).compare(sgd(0.1)).steps(5).progress(Progress.none())
                .track("abs", s -> Math.abs(s.point()[0])).run();
        String label = runs.methods().getFirst();
        double[] abs = runs.history(label, "abs");
        assertEquals(6, abs.length);
        for (int t = 0; t <= 5; t++) assertEquals(Math.pow(0.8, t), abs[t], 1e-12);
        double[] loss = runs.history(label, "loss");
        for (int t = 0; t <= 5; t++) assertEquals(abs[t] * abs[t], loss[t], 1e-12);
    }

    @Test
    void trackRejectsNamesThatClash() {
        var e = Lab.optimize(Problems.rosenbrock()).from(0, 0);
        assertThrows(IllegalArgumentException.class, () -> e.track("loss", s -> 0));
        assertThrows(IllegalArgumentException.class, () -> e.track("x1", s -> 0));
        e.track("q", s -> 0);
        assertThrows(IllegalArgumentException.class, () -> e.track("q", s -> 1));
    }

    @Test
    void aNonFiniteTrackedValueEndsTheRunAsDiverged() {
        var bowl = Problems.of("bowl", 1, x -> x.mul(x).sum());
        Runs runs = Lab.optimize(bowl).from(1.0).compare(sgd(0.1)).steps(5).progress(Progress.none())
                .track("blows up", s -> s.point()[0] < 0.7 ? Double.NaN : 1).run();
        assertEquals(Run.Status.DIVERGED, runs.runs().getFirst().status());
        assertArrayEquals(new double[] {1, 1}, runs.history(runs.methods().getFirst(), "blows up"), 0);
    }
}
