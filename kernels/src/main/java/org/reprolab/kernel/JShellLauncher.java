package org.reprolab.kernel;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import jdk.jshell.tool.JavaShellToolBuilder;

/**
 * {@code ./reprolab jshell [script.jsh ...]}: the JDK's jshell tool with the library on its class
 * path and the notebook's default imports. With scripts it runs them and exits (add {@code -i}
 * to stay at the prompt); without, it is interactive. Snippets run in this JVM, like the
 * kernel's, so library code behaves the same in both.
 */
public final class JShellLauncher {

    private JShellLauncher() {}

    public static void main(String[] args) throws Exception {
        boolean interactive = false;
        List<String> scripts = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("-i") || arg.equals("--interactive")) {
                interactive = true;
            } else {
                scripts.add(arg);
            }
        }
        Path imports = Files.createTempFile("reprolab-imports-", ".jsh");
        Files.writeString(imports, DefaultImports.asScript());
        imports.toFile().deleteOnExit();
        List<String> toolArgs = new ArrayList<>(List.of(
                "--execution", "local",
                "--class-path", System.getProperty("java.class.path"),
                "--startup", "DEFAULT", "--startup", imports.toString()));
        toolArgs.addAll(scripts);
        if (!scripts.isEmpty() && !interactive) {
            Path exit = Files.createTempFile("reprolab-exit-", ".jsh");
            Files.writeString(exit, "/exit\n");
            exit.toFile().deleteOnExit();
            toolArgs.add(exit.toString());
        }
        int status = JavaShellToolBuilder.builder().start(toolArgs.toArray(String[]::new));
        System.exit(status);
    }
}
