package org.reprolab.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every notebook in {@code notebooks/} runs headless through nbclient against the kernel, with
 * no error output, and shows the numbers and figures its text claims.
 */
class NotebookTest {

    /** The notebooks this class checks; a notebook added without checks fails {@link #everyNotebookIsChecked}. */
    private static final Set<String> CHECKED = Set.of("rosenbrock-descent");

    @Test
    void everyNotebookIsChecked() throws IOException {
        try (Stream<Path> files = Files.list(Python.projectRoot().resolve("notebooks"))) {
            Set<String> present = files.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".ipynb")).map(n -> n.substring(0, n.length() - ".ipynb".length()))
                    .collect(Collectors.toSet());
            assertEquals(CHECKED, present);
        }
    }

    @Test
    void rosenbrockDescent() throws Exception {
        NotebookRun run = NotebookRun.execute("rosenbrock-descent");
        assertEquals(List.of(), run.errors(), run.log());
        assertEquals("12.5", run.data("text/plain").getFirst());
        // plain gradient descent still crawls along the valley floor after 3000 steps at lr 1e-3 ...
        assertEquals(4.867e-2, run.number("gradient descent final loss"), 1e-5);
        // ... while heavy-ball momentum (beta 0.9) has converged to round-off level
        assertTrue(run.number("heavy ball final loss") < 1e-10);
        assertEquals(2, run.count("image/png"), "the contour map and the loss curves");
        String table = run.data("text/html").getFirst();
        assertTrue(table.contains("<td>gradient descent</td>") && table.contains("<td>heavy ball</td>"), table);
    }

    @Test
    void jshellLauncherRunsTheSampleScriptWithTheNotebookImports() throws Exception {
        String javaExecutable = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(javaExecutable));
        command.addAll(JvmFlags.required());
        command.addAll(List.of("-cp", TestClasspath.get(), JShellLauncher.class.getName(),
                Python.projectRoot().resolve("notebooks/jshell/rosenbrock.jsh").toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes());
        assertTrue(process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(0, process.exitValue(), output);
        assertTrue(output.contains("gradient descent final loss = 4.867e-02"), output);
        assertTrue(output.contains("heavy ball final loss = 3.319e-12"), output);
        assertTrue(output.matches("(?s).*<XYChart \"a line\" 640x400> -> \\S+\\.png.*"), output);
    }
}
