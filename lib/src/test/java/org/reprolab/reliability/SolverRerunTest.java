package org.reprolab.reliability;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblems;
import org.reprolab.ode.Solution;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.SdeScheme;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.ode.solvers.Tableau;

/**
 * Same inputs, same outputs, for the ODE solvers (issue 13): every solver of {@link Solvers} solves Van der
 * Pol (μ = 1) twice, with the JIT warmed by many solves in between, and must give the same bits (end state,
 * every saved state, NFE). The test enumerates the factories, so a new solver is covered or fails it.
 */
class SolverRerunTest {

    private static Map<String, Solver> odeSolvers() throws ReflectiveOperationException {
        Map<String, Solver> solvers = new LinkedHashMap<>();
        for (Method m : Solvers.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers()) && m.getParameterCount() == 0 && Solver.class.isAssignableFrom(m.getReturnType())
                    && !SdeScheme.class.isAssignableFrom(m.getReturnType())) {
                solvers.put(m.getName(), (Solver) m.invoke(null));
            }
        }
        return solvers;
    }

    /** Adaptive methods at rtol 1e-6; methods without an error estimate at a fixed step of 1e-3. */
    private static Solution<double[]> solve(Solver solver) {
        var problem = OdeProblems.vanDerPol(1).problem();
        boolean fixedStep = solver instanceof Tableau t && !t.adaptive();
        return Ode.solve(problem, solver, fixedStep ? Controllers.constant(1e-3) : Controllers.pid(1e-6, 1e-9));
    }

    @Test
    void everyOdeSolverRerunsBitForBit() throws Exception {
        Map<String, Solver> solvers = odeSolvers();
        assertTrue(solvers.keySet().containsAll(java.util.List.of("dopri5", "tsit5", "dop853", "rodas4", "radau5", "rk4")), solvers.keySet().toString());
        Map<String, Solution<double[]>> first = new LinkedHashMap<>();
        solvers.forEach((name, s) -> first.put(name, solve(s)));
        for (int round = 0; round < 20; round++) solvers.values().forEach(SolverRerunTest::solve);   // let C2 compile the loops
        for (var e : solvers.entrySet()) {
            Solution<double[]> a = first.get(e.getKey()), b = solve(e.getValue());
            assertArrayEquals(a.yEnd(), b.yEnd(), 0.0, e.getKey() + ": end state differs on rerun");
            assertEquals(a.stats().nfev(), b.stats().nfev(), e.getKey() + ": NFE differs on rerun");
            assertEquals(a.ts().length, b.ts().length, e.getKey());
            for (int i = 0; i < a.ts().length; i++) assertArrayEquals(a.y(i), b.y(i), 0.0, e.getKey() + " state " + i);
            assertTrue(Math.abs(a.yEnd()[0]) < 3, e.getKey() + " did not solve: " + a.yEnd()[0]);
        }
    }
}
