package org.reprolab.kernel.shell;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Shift-Tab and {@code ?}/{@code ??}: Javadoc read from the library's sources, as Markdown. */
class InspectionTest {

    private static JShellSession session;

    @BeforeAll
    static void start() {
        session = JShellSession.start(org.reprolab.kernel.TestClasspath.get(), List.of(), System.out, System.err, System.in);
        session.eval("import org.reprolab.tensor.Tensor;");
    }

    @AfterAll
    static void stop() {
        session.close();
    }

    @Test
    void anInstanceMethodNamedThroughItsTypeShowsItsJavadoc() {
        String doc = session.inspect("Tensor.matmul", "Tensor.matmul".length(), true);
        assertTrue(doc.startsWith("public Tensor matmul(Tensor o)"), doc);
        assertTrue(doc.contains("Matrix product with NumPy semantics"), doc);
        assertFalse(doc.contains("Source:"), doc);
    }

    @Test
    void theCallTheCursorIsInIsDocumentedThroughTheVariablesType() {
        session.eval("var inspected = Tensor.of(new double[] {1, 2});");
        String code = "var y = inspected.matmul(Tensor.ones(2), ";
        String doc = session.inspect(code, code.length(), true);
        assertTrue(doc.contains("Matrix product with NumPy semantics"), doc);
        assertEquals(doc, session.inspect("inspected.matmul(", "inspected.matmul(".length(), true));
    }

    @Test
    void aClassShowsItsJavadocWithThePaperItCites() {
        String doc = session.inspect("org.reprolab.optim.ScaleByAdam", 25, true);
        assertTrue(doc.contains("Kingma and Ba"), doc);
        assertFalse(doc.contains("{@code") || doc.contains("<p>") || doc.contains("{@link"), doc);
    }

    @Test
    void withTheSourceItSaysWhereTheDeclarationIsAndShowsIt() {
        String doc = session.inspect("Tensor.matmul", 13, true, true);
        assertTrue(doc.matches("(?s).*Source: \\S*org/reprolab/tensor/Tensor\\.java:\\d+.*"), doc);
        assertTrue(doc.contains("```java\npublic Tensor matmul(Tensor o) {"), doc);
        assertTrue(doc.contains("throw new ShapeException"), doc);
    }

    @Test
    void jdkJavadocIsMarkdownToo() {
        String doc = session.inspect("Math.max", 8, true);
        assertTrue(doc.contains("Returns the greater of two `int` values"), doc);
        assertTrue(doc.contains("**Parameters**\n- `a`"), doc);
    }

    @Test
    void javadocHtmlAndTagsBecomeMarkdown() {
        String javadoc = """
                 Adam's step (Kingma and Ba, <i>ICLR</i> 2015): {@code m / (sqrt(v) + eps)}, see {@link Math#sqrt}.
                 <p>Second paragraph &lambda; &lt; 1.
                 <ul><li>one</li><li>two {@link java.util.List the list}</li></ul>
                 <pre>{@code
                   var x = 1;
                 }</pre>
                 @param lr  the step size
                 @return the update
                 @throws IllegalArgumentException when lr is negative
                """;
        assertEquals("""
                Adam's step (Kingma and Ba, *ICLR* 2015): `m / (sqrt(v) + eps)`, see `Math.sqrt`.

                Second paragraph λ < 1.

                - one
                - two the list

                ```java
                var x = 1;
                ```

                **Parameters**
                - `lr` the step size

                **Returns** the update

                **Throws**
                - `IllegalArgumentException` when lr is negative""", JavadocText.toMarkdown(javadoc));
    }
}
