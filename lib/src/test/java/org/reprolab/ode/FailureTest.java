package org.reprolab.ode;

import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.ode.solvers.Tableau;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/** Failures are errors naming the solver, t and h, never a silent wrong answer; solves are interruptible. */
class FailureTest {
    static final StepController TIGHT = Controllers.pid(1e-6, 1e-9);

    static void assertNames(OdeException e, String solver) {
        assertTrue(e.getMessage().contains(solver) && e.getMessage().contains("t=") && e.getMessage().contains("h="), e.getMessage());
        assertEquals(solver, e.solver());
    }

    @Test
    void nanInInitialState() {
        var e = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of((t, y, d) -> d[0] = -y[0], 0, 1,
                new double[]{Double.NaN}), Solvers.dopri5(), TIGHT));
        assertEquals(OdeException.Reason.NON_FINITE, e.reason());
        assertNames(e, "DOPRI5");
    }

    @Test
    void nanAppearingInTheRightHandSide() {
        OdeSystem f = (t, y, d) -> d[0] = t > 1 ? Double.NaN : -y[0];
        var e = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of(f, 0, 2, new double[]{1}), Solvers.tsit5(), TIGHT));
        assertEquals(OdeException.Reason.NON_FINITE, e.reason());
        assertNames(e, "Tsit5");
        assertTrue(e.t() > 0.99 && e.t() <= 1, "failed at t=" + e.t());
        var fixed = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of(f, 0, 2, new double[]{1}), Solvers.rk4(),
                Controllers.constant(0.1)));
        assertEquals(OdeException.Reason.NON_FINITE, fixed.reason());
        assertEquals(1.0, fixed.t(), 1e-9);
    }

    @Test
    void blowUpIsAStepUnderflowAtTheSingularity() {
        // y' = y², y(0) = 1: y = 1/(1 - t) blows up at t = 1
        var e = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of((t, y, d) -> d[0] = y[0] * y[0], 0, 2,
                new double[]{1}), Solvers.dopri5(), TIGHT));
        assertEquals(OdeException.Reason.STEP_UNDERFLOW, e.reason(), e.getMessage());
        assertEquals(1, e.t(), 1e-3);
        assertTrue(Math.abs(e.h()) < 1e-12, e.getMessage());
    }

    @Test
    void tooManySteps() {
        var p = OdeProblems.harmonic();
        var e = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of(p.f(), 0, 100, p.y0()), Solvers.dopri5(), TIGHT,
                OdeOptions.defaults().maxSteps(20)));
        assertEquals(OdeException.Reason.TOO_MANY_STEPS, e.reason());
        assertNames(e, "DOPRI5");
    }

    @Test
    void stiffnessIsDetectedEarlyOnStiffProblemsAndNotOnTheOthers() {
        for (var p : new OdeProblems.Problem[]{OdeProblems.vanDerPol(1000), OdeProblems.robertson()}) {
            for (Tableau tab : new Tableau[]{Tableau.DOPRI5, Tableau.TSIT5, Tableau.DOP853}) {
                var e = assertThrows(OdeException.class, () -> Ode.solve(p.problem(), tab, TIGHT),
                        p.name() + " " + tab);
                assertEquals(OdeException.Reason.STIFF, e.reason(), e.getMessage());
                assertTrue(e.t() < 100 && e.getMessage().contains("Rosenbrock"), e.getMessage());
            }
            // not failing on it: the limit on steps reports the suspicion
            var e = assertThrows(OdeException.class, () -> Ode.solve(p.problem(), Solvers.dopri5(), TIGHT,
                    OdeOptions.defaults().failOnStiffness(false).maxSteps(3000)));
            assertEquals(OdeException.Reason.TOO_MANY_STEPS, e.reason());
            assertTrue(e.getMessage().contains("stiff"), e.getMessage());
        }
        for (var p : OdeProblems.all()) {
            if (p.stiff()) continue;
            for (double rtol : new double[]{1e-3, 1e-6, 1e-9}) {
                var s = Ode.solve(p.problem(), Solvers.dopri5(), Controllers.pid(rtol, rtol * 1e-3));
                assertFalse(s.stats().stiffnessDetected(), p.name() + " rtol " + rtol + ": " + s.stats());
            }
        }
    }

    @Test
    void interruptedBeforeAndDuring() throws Exception {
        var p = OdeProblems.harmonic();
        Thread.currentThread().interrupt();
        var e = assertThrows(OdeException.class, () -> Ode.solve(OdeProblem.of(p.f(), 0, 10, p.y0()), Solvers.dopri5(), TIGHT));
        assertEquals(OdeException.Reason.INTERRUPTED, e.reason());
        assertTrue(Thread.interrupted(), "the interrupt flag is restored");

        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread worker = new Thread(() -> {
            try {
                Ode.solve(OdeProblem.of(p.f(), 0, 1e12, p.y0()), Solvers.rk4(), Controllers.constant(1e-3),
                        OdeOptions.defaults().maxSteps(Long.MAX_VALUE));
            } catch (Throwable t) {
                thrown.set(t);
            }
        });
        worker.start();
        Thread.sleep(100);
        worker.interrupt();
        worker.join(5_000);
        assertFalse(worker.isAlive(), "solve did not stop on interrupt");
        assertTrue(thrown.get() instanceof OdeException oe && oe.reason() == OdeException.Reason.INTERRUPTED, String.valueOf(thrown.get()));
    }

    @Test
    void badOptionsAreRejectedWithTheirName() {
        var e = assertThrows(IllegalArgumentException.class, () -> Controllers.pid(0, 1e-6));
        assertTrue(e.getMessage().contains("rtol"));
        var e2 = assertThrows(IllegalArgumentException.class, () -> Ode.solve(OdeProblem.of((t, y, d) -> d[0] = 1, 0, 1,
                new double[]{0}), Solvers.euler()));
        var e3 = assertThrows(IllegalArgumentException.class, () -> Ode.solve(OdeProblem.of((t, y, d) -> d[0] = 1, 0, 1,
                new double[]{0}), Solvers.eulerMaruyama()));
        assertTrue(e3.getMessage().contains("SDE scheme"), e3.getMessage());
        assertTrue(e2.getMessage().contains("Euler") && e2.getMessage().contains("constant"), e2.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Controllers.constant(-1));
        assertThrows(IllegalArgumentException.class, () -> new StepController.I(0.9, 2, 10));
    }
}
