package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
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

    /**
     * Every public library type in a wildcard-imported package resolves, by its simple name alone, to
     * itself: no clash among the library's packages, nor with java.util, XChart or the rest.
     */
    @Test
    void everyLibraryTypeIsReachableByItsSimpleName() {
        Set<String> wildcardPackages = DefaultImports.IMPORTS.stream()
                .filter(i -> i.startsWith("import org.reprolab.") && i.endsWith(".*;"))
                .map(i -> i.substring("import ".length(), i.length() - ".*;".length()))
                .collect(Collectors.toSet());
        List<Class<?>> visible = LibraryTypes.publicTopLevel().stream()
                .filter(c -> wildcardPackages.contains(c.getPackageName())).toList();
        assertTrue(visible.size() > 100, "only " + visible.size() + " library types found");
        assertTrue(visible.stream().anyMatch(c -> c.getName().equals("org.reprolab.random.RngKey")));
        String expression = visible.stream().map(c -> c.getSimpleName() + ".class.getName()")
                .collect(Collectors.joining(", ", "String.join(\",\", ", ")"));
        String expected = visible.stream().map(Class::getName).collect(Collectors.joining(","));
        try (JShellSession session = JShellSession.start(TestClasspath.get(), List.of(), System.out, System.err, System.in)) {
            session.addImports(DefaultImports.IMPORTS);
            assertEquals(expected, session.eval(expression).value());
        }
    }

    /** The only single-type imports of library types are tie-breakers against java.lang (nn.Module). */
    @Test
    void singleTypeImportsOnlyBreakJavaLangTies() {
        for (String line : DefaultImports.IMPORTS) {
            if (!line.startsWith("import org.reprolab.") || line.endsWith(".*;")) continue;
            String simpleName = line.substring(line.lastIndexOf('.') + 1, line.length() - 1);
            assertDoesNotThrow(() -> Class.forName("java.lang." + simpleName),
                    line + " is a tie-breaker between library types; rename one of them instead");
        }
    }

    @Test
    void theScriptFormHasOneImportPerLine() {
        assertEquals(DefaultImports.IMPORTS.size(), DefaultImports.asScript().lines().count());
    }
}
