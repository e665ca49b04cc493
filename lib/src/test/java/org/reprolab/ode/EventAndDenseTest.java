package org.reprolab.ode;

import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.RosenbrockTableau;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.ode.solvers.Tableau;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Events located on the dense output, and the dense output itself, against closed forms. */
class EventAndDenseTest {
    static final List<Solver> ADAPTIVE = List.of(Tableau.HEUN, Tableau.BS3, Tableau.DOPRI5, Tableau.TSIT5, Tableau.DOP853,
            RosenbrockTableau.RODAS4);

    static Solution<double[]> solve(OdeProblems.Problem p, Solver m, double t1, StepController c, OdeOptions o) {
        return Ode.solve(OdeProblem.of(p.f(), p.t0(), t1, p.y0()).jacobian(p.jac(), true), m, c, o);
    }

    @Test
    void terminalEventOnTheOscillator() {
        var p = OdeProblems.harmonic(); // x = cos t
        for (Solver m : ADAPTIVE) {
            double rtol = m == Tableau.HEUN ? 1e-8 : 1e-10;
            var o = OdeOptions.defaults().event(Event.of("x=0", (t, y) -> y[0]).falling().terminating());
            Solution<double[]> s = solve(p, m, 10, Controllers.pid(rtol, rtol * 1e-2), o);
            var stop = assertInstanceOf(Termination.StoppedByEvent.class, s.termination(), m.name());
            assertEquals(Math.PI / 2, stop.hit().t(), m == Tableau.HEUN ? 1e-6 : 1e-8, m.name());
            assertEquals(stop.hit().t(), s.tEnd(), 0, m.name());
            assertEquals(-1, s.yEnd()[1], m == Tableau.HEUN ? 1e-6 : 1e-8, m.name());
        }
    }

    @Test
    void directionsAndNonTerminalEvents() {
        var p = OdeProblems.harmonic();
        var o = OdeOptions.defaults()
                .event(Event.of("any", (t, y) -> y[0]))
                .event(Event.of("up", (t, y) -> y[0]).rising());
        Solution<double[]> s = Ode.solve(p.problem(), Solvers.dopri5(), Controllers.pid(1e-9, 1e-12), o);
        assertInstanceOf(Termination.Completed.class, s.termination());
        List<EventHit> any = s.events().stream().filter(h -> h.index() == 0).toList();
        List<EventHit> up = s.events().stream().filter(h -> h.index() == 1).toList();
        assertEquals(3, any.size());
        for (int k = 0; k < 3; k++) assertEquals(Math.PI / 2 + k * Math.PI, any.get(k).t(), 1e-8);
        assertEquals(1, up.size());
        assertEquals(1.5 * Math.PI, up.get(0).t(), 1e-8);
        assertEquals(10, s.tEnd(), 0);
    }

    @Test
    void saveAtReportsTheRequestedTimesFromTheDenseOutput() {
        var p = OdeProblems.harmonic(); // (cos t, −sin t)
        double[] at = {0, 0.3, 1, 2.5, 7, 10};
        Solution<double[]> saved = Ode.solve(p.problem(), Solvers.tsit5(), Controllers.pid(1e-9, 1e-12), OdeOptions.defaults().saveAt(at));
        Solution<double[]> dense = Ode.solve(p.problem(), Solvers.tsit5(), Controllers.pid(1e-9, 1e-12), OdeOptions.defaults().dense(true));
        assertArrayEquals(at, saved.ts());
        assertEquals(dense.stats(), saved.stats());
        for (int i = 0; i < at.length; i++) {
            assertArrayEquals(dense.y(at[i]), saved.y(i), 1e-14, "t=" + at[i]);
            assertEquals(Math.cos(at[i]), saved.y(i)[0], 1e-8);
            assertEquals(-Math.sin(at[i]), saved.y(i)[1], 1e-8);
        }
        var bad = assertThrows(IllegalArgumentException.class,
                () -> Ode.solve(p.problem(), Solvers.tsit5(), Controllers.defaults(), OdeOptions.defaults().saveAt(0, 5)));
        assertTrue(bad.getMessage().contains("t1"), bad.getMessage());
    }

    @Test
    void fallingBallBackwardsAndForwards() {
        OdeSystem ball = (t, y, d) -> { d[0] = y[1]; d[1] = -9.81; };
        var o = OdeOptions.defaults().event(Event.of("ground", (t, y) -> y[0]).terminating());
        Solution<double[]> s = Ode.solve(OdeProblem.of(ball, 0, 10, new double[]{10, 0}), Solvers.dopri5(), Controllers.defaults(), o);
        assertEquals(Math.sqrt(2 * 10 / 9.81), s.tEnd(), 1e-10);
        Solution<double[]> back = Ode.solve(OdeProblem.of(ball, 0, -10, new double[]{10, 0}), Solvers.dopri5(), Controllers.defaults(), o);
        assertEquals(-Math.sqrt(2 * 10 / 9.81), back.tEnd(), 1e-10);
    }

    @Test
    void denseOutputMatchesTheClosedFormAndTheSteps() {
        var p = OdeProblems.harmonic();
        StringBuilder r = new StringBuilder();
        for (Solver m : ADAPTIVE) {
            double rtol = m == Tableau.HEUN ? 1e-7 : 1e-9;
            Solution<double[]> s = solve(p, m, 10, Controllers.pid(rtol, rtol * 1e-3), OdeOptions.defaults().dense(true));
            double worst = 0;
            for (int i = 0; i <= 997; i++) {
                double t = 10.0 * i / 997;
                double[] y = s.y(t);
                worst = Math.max(worst, Math.max(Math.abs(y[0] - Math.cos(t)), Math.abs(y[1] + Math.sin(t))));
            }
            double[] ts = s.ts();
            for (int i = 0; i < ts.length; i++) {
                double[] a = s.y(ts[i]), b = s.y(i);
                for (int j = 0; j < a.length; j++) assertEquals(b[j], a[j], 1e-12 * (1 + Math.abs(b[j])), m.name() + " at step " + i);
            }
            r.append(m.name()).append(": ").append(worst).append('\n');
            assertTrue(worst < 300 * rtol, m.name() + " dense error " + worst);
        }
        System.out.print("dense output max error on the oscillator\n" + r);
    }

    /**
     * The order of each interpolant, measured on one step from the exact state (so only the local error
     * counts): the error at the step's midpoint behaves like h^(q+1).
     */
    @Test
    void interpolantOrders() {
        OdeSystem f = ConvergenceTest.F;
        Object[][] cases = {{Tableau.BS3, 3}, {Tableau.DOPRI5, 4}, {Tableau.TSIT5, 4}, {Tableau.DOP853, 7}, {Tableau.RK4, 3}};
        StringBuilder r = new StringBuilder();
        for (Object[] c : cases) {
            Tableau tab = (Tableau) c[0];
            int q = (Integer) c[1];
            double e1 = midpointError(f, tab, 0.4), e2 = midpointError(f, tab, 0.2);
            double measured = Math.log(e1 / e2) / Math.log(2) - 1;
            r.append(String.format("%s interpolant order %.2f (expected >= %d)%n", tab.name(), measured, q));
            assertTrue(measured > q - 0.35, tab.name() + "\n" + r);
        }
        System.out.print(r);
    }

    static double midpointError(OdeSystem f, Tableau tab, double h) {
        double t0 = 0.3;
        double[] y0 = ConvergenceTest.exact(t0);
        Solution<double[]> s = Ode.solve(OdeProblem.of(f, t0, t0 + h, y0), tab, Controllers.constant(h), OdeOptions.defaults().dense(true));
        double[] y = s.y(t0 + h / 2), e = ConvergenceTest.exact(t0 + h / 2);
        return Math.max(Math.abs(y[0] - e[0]), Math.abs(y[1] - e[1]));
    }
}
