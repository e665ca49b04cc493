package org.reprolab.kernel.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import jdk.jshell.Diag;
import jdk.jshell.EvalException;
import jdk.jshell.JShell;
import jdk.jshell.Snippet;
import jdk.jshell.UnresolvedReferenceException;

/**
 * Turns what went wrong in a snippet into a {@link CellException} a person can read: compiler
 * diagnostics with the offending source underlined, run-time exceptions with only the user's
 * frames (the kernel's reflection and JShell plumbing below the snippet are cut), causes kept.
 */
final class CellErrors {

    private CellErrors() {}

    static CellException compilation(JShell shell, Snippet snippet) {
        List<Diag> diagnostics = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
        if (diagnostics.isEmpty()) {
            diagnostics = shell.diagnostics(snippet).collect(Collectors.toList());
        }
        List<String> lines = new ArrayList<>();
        String first = diagnostics.isEmpty() ? "the snippet was rejected" : message(diagnostics.getFirst());
        for (Diag diag : diagnostics) {
            lines.add((diag.isError() ? "error: " : "warning: ") + message(diag));
            lines.addAll(underline(snippet.source(), diag));
        }
        if (diagnostics.isEmpty()) {
            lines.add("error: the snippet was rejected: " + snippet.source().strip());
        }
        return new CellException("CompilationError", first, lines);
    }

    static CellException runtime(Throwable thrown) {
        List<String> lines = new ArrayList<>();
        Throwable current = thrown;
        String name = className(thrown);
        boolean firstInChain = true;
        while (current != null) {
            lines.add((firstInChain ? "" : "Caused by: ") + className(current)
                    + (current.getMessage() == null ? "" : ": " + current.getMessage()));
            for (StackTraceElement frame : current.getStackTrace()) {
                if (isBelowSnippet(frame)) {
                    break;
                }
                lines.add("    at " + frame(frame));
            }
            firstInChain = false;
            current = current.getCause() == current ? null : current.getCause();
        }
        return new CellException(name, thrown.getMessage() == null ? "" : thrown.getMessage(), lines);
    }

    static CellException unresolved(JShell shell, UnresolvedReferenceException e) {
        String missing = shell.unresolvedDependencies(e.getSnippet()).collect(Collectors.joining(", "));
        String message = "'" + describe(e.getSnippet()) + "' cannot be used until " + missing + " is declared";
        return new CellException("UnresolvedReference", message, List.of("UnresolvedReference: " + message));
    }

    static CellException interrupted() {
        String message = "the cell was interrupted; the kernel is still running and its state is kept";
        return new CellException("Interrupted", message, List.of("Interrupted: " + message));
    }

    static CellException incomplete(String source) {
        String message = "the cell ends in the middle of a statement";
        return new CellException("IncompleteInput", message,
                List.of("IncompleteInput: " + message + ":", "    " + source.strip().lines().reduce((a, b) -> b).orElse("")));
    }

    private static String className(Throwable t) {
        return t instanceof EvalException eval ? eval.getExceptionClassName() : t.getClass().getName();
    }

    /** The first frame that is reflection, JShell or kernel plumbing marks the end of the user's part. */
    private static boolean isBelowSnippet(StackTraceElement frame) {
        String c = frame.getClassName();
        return c.startsWith("jdk.internal.reflect.") || c.startsWith("java.lang.reflect.")
                || c.startsWith("jdk.jshell.") || c.startsWith("org.reprolab.kernel.shell.");
    }

    /**
     * Snippet frames (JShell names their file {@code #id}) read like JShell's own:
     * {@code method (#12:3)} is snippet 12, line 3; a top-level statement has no method name.
     */
    private static String frame(StackTraceElement frame) {
        String file = frame.getFileName();
        if (file != null && file.startsWith("#")) {
            String method = frame.getMethodName().isEmpty() || frame.getMethodName().equals("do_it$")
                    ? "" : frame.getMethodName() + " ";
            return method + "(" + file + ":" + frame.getLineNumber() + ")";
        }
        return frame.toString();
    }

    private static String describe(Snippet snippet) {
        return switch (snippet) {
            case jdk.jshell.MethodSnippet m -> m.name() + "(" + m.parameterTypes() + ")";
            case jdk.jshell.DeclarationSnippet d -> d.name();
            default -> snippet.source().strip();
        };
    }

    private static String message(Diag diag) {
        return diag.getMessage(Locale.ROOT);
    }

    /** The source line that holds the error, with {@code ^---^} under the span, as javac prints it. */
    private static List<String> underline(String source, Diag diag) {
        long start = Math.max(0, diag.getStartPosition());
        long end = Math.max(start, diag.getEndPosition());
        if (start > source.length()) {
            return List.of();
        }
        int lineStart = source.lastIndexOf('\n', (int) Math.max(0, start - 1)) + 1;
        if (start == 0) {
            lineStart = 0;
        }
        int lineEnd = source.indexOf('\n', (int) start);
        if (lineEnd < 0) {
            lineEnd = source.length();
        }
        String line = source.substring(lineStart, lineEnd);
        int from = (int) start - lineStart;
        int to = (int) Math.min(end, lineEnd) - lineStart;
        String marker = " ".repeat(from) + (to - from <= 1 ? "^" : "^" + "-".repeat(Math.max(0, to - from - 2)) + "^");
        return List.of("    " + line, "    " + marker);
    }
}
