package org.reprolab.kernel.shell;

import java.util.Map;
import jdk.jshell.spi.ExecutionControl;
import jdk.jshell.spi.ExecutionControlProvider;
import jdk.jshell.spi.ExecutionEnv;

/** Hands JShell our {@link SnippetExecution} and keeps it, so the evaluator can read live values. */
final class SnippetExecutionProvider implements ExecutionControlProvider {

    private final ClassLoader parent;
    private volatile SnippetExecution created;

    SnippetExecutionProvider(ClassLoader parent) {
        this.parent = parent;
    }

    @Override
    public String name() {
        return "reprolab-local";
    }

    @Override
    public ExecutionControl generate(ExecutionEnv env, Map<String, String> parameters) {
        created = new SnippetExecution(parent);
        return created;
    }

    SnippetExecution execution() {
        return created;
    }
}
