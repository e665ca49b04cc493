package org.reprolab.kernel.shell;

import java.util.List;

/**
 * Why a cell failed, already in the shape a Jupyter error message wants: a name, a value and a
 * readable traceback with no kernel-internal frames. Thrown by {@link JShellSession#eval}.
 */
public final class CellException extends RuntimeException {

    private final String name;
    private final List<String> traceback;

    CellException(String name, String message, List<String> traceback) {
        super(message, null, false, false);
        this.name = name;
        this.traceback = List.copyOf(traceback);
    }

    /** A failure outside JShell, e.g. a magic's bad arguments: a one-line report. */
    public static CellException of(String name, String message) {
        return new CellException(name, message, List.of(name + ": " + message));
    }

    /**
     * An {@link OutOfMemoryError} that struck outside the snippet (while its failure or result was
     * being prepared): reported like one from the snippet, with the heap limit and how to raise it.
     */
    public static CellException outOfMemory(OutOfMemoryError error) {
        return CellErrors.runtime(error, new CellOrigins());
    }

    /** Jupyter's {@code ename}: the exception class for run-time errors, {@code CompilationError}, {@code Interrupted}. */
    public String name() {
        return name;
    }

    /** Jupyter's {@code traceback}: the lines a person reads. */
    public List<String> traceback() {
        return traceback;
    }
}
