package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.reprolab.kernel.shell.JShellSession;

class DefaultImportsTest {

    @Test
    void everyDefaultImportCompilesAndTheLibraryIsInScope() {
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            assertEquals(12.5, session.eval("new Rosenbrock().value(new double[] {-1.5, 2.0})").value());
            assertTrue(session.eval("ContourPlot.class").present());
            assertTrue(session.eval("XYChartBuilder.class").present());
            assertEquals("org.reprolab.problems.Objective", session.eval("Objective.class.getName()").value());
            // every library package is in scope: one class from each
            for (String type : List.of("Tensor", "MLP", "Module", "Optimizers", "Tableau", "Datasets", "LinePlot", "Rosenbrock", "Sinkhorn")) {
                assertTrue(session.eval(type + ".class.getName()").value().toString().startsWith("org.reprolab."), type);
            }
        }
    }

    @Test
    void theScriptFormHasOneImportPerLine() {
        assertEquals(DefaultImports.IMPORTS.size(), DefaultImports.asScript().lines().count());
    }
}
