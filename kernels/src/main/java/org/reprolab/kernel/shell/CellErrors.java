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

    /**
     * The compiler's diagnostics for {@code snippet}, which starts on line {@code line} of cell
     * {@code cell}; {@code earlierRan} says whether snippets above it in the cell already ran
     * (the cell is parsed as a whole, but each snippet is attributed only when its turn comes).
     */
    static CellException compilation(JShell shell, Snippet snippet, int cell, int line, boolean earlierRan) {
        List<Diag> diagnostics = shell.diagnostics(snippet).filter(Diag::isError).collect(Collectors.toList());
        if (diagnostics.isEmpty()) {
            diagnostics = shell.diagnostics(snippet).collect(Collectors.toList());
        }
        List<String> lines = new ArrayList<>();
        String first = diagnostics.isEmpty() ? "the snippet was rejected" : message(diagnostics.getFirst());
        for (Diag diag : diagnostics) {
            int at = line + lineWithin(snippet.source(), diag.getStartPosition());
            lines.add((diag.isError() ? "error" : "warning") + " in " + CellOrigins.where(cell, at) + ": " + message(diag));
            lines.addAll(underline(snippet.source(), diag));
        }
        if (diagnostics.isEmpty()) {
            lines.add("error in " + CellOrigins.where(cell, line) + ": the snippet was rejected: " + snippet.source().strip());
        }
        lines.add(earlierRan
                ? "The lines of the cell above line " + line + " ran; nothing from line " + line + " on did."
                : "Nothing in the cell ran.");
        return new CellException("CompilationError", first, lines);
    }

    /**
     * A run-time failure: the exception and its causes with only the user's frames, snippet
     * frames named by cell and line, and runs of repeated frames (deep recursion) folded into
     * one line. An {@link OutOfMemoryError} also says what the heap limit is and how to raise it.
     */
    static CellException runtime(Throwable thrown, CellOrigins origins) {
        List<String> lines = new ArrayList<>();
        Throwable current = thrown;
        String name = className(thrown);
        String message = thrown.getMessage() == null ? "" : thrown.getMessage();
        if (isOutOfMemory(name)) {
            message = outOfMemoryMessage(message);
        }
        boolean firstInChain = true;
        while (current != null) {
            String currentMessage = current == thrown ? message : current.getMessage();
            lines.add((firstInChain ? "" : "Caused by: ") + className(current)
                    + (currentMessage == null || currentMessage.isEmpty() ? "" : ": " + currentMessage));
            List<StackTraceElement> frames = new ArrayList<>();
            for (StackTraceElement frame : current.getStackTrace()) {
                if (isBelowSnippet(frame)) {
                    break;
                }
                if (!isStopCheck(frame)) {
                    frames.add(frame);
                }
            }
            lines.addAll(StackFolding.fold(frames, origins));
            firstInChain = false;
            current = current.getCause() == current ? null : current.getCause();
        }
        return new CellException(name, message, lines);
    }

    static boolean isOutOfMemory(String exceptionClass) {
        return exceptionClass.equals(OutOfMemoryError.class.getName());
    }

    /**
     * "Java heap space" alone does not help: say how large the heap is and how to make it larger
     * (the kernelspec's {@code -Xmx} from {@code REPROLAB_KERNEL_HEAP}, see KernelInstaller, or {@code JDK_JAVA_OPTIONS}).
     */
    static String outOfMemoryMessage(String jvmMessage) {
        return (jvmMessage.isEmpty() ? "out of memory" : jvmMessage)
                + ": the kernel's heap is limited to " + heapLimit() + " (-Xmx). To raise it, reinstall"
                + " the kernel with REPROLAB_KERNEL_HEAP=16g ./reprolab install-kernel, or start Jupyter with"
                + " JDK_JAVA_OPTIONS=-Xmx16g; then restart the kernel";
    }

    /** A cell the {@link HeapGuard} stopped: reported as the out-of-memory error it was about to cause. */
    static CellException heapNearlyFull() {
        String message = outOfMemoryMessage("Java heap space") + ". (The cell was stopped when its data filled "
                + Math.round(100 * HeapGuard.FULL_FRACTION) + "% of the heap, to leave the rest to the kernel.)";
        return new CellException(OutOfMemoryError.class.getName(), message, List.of(OutOfMemoryError.class.getName() + ": " + message));
    }

    /** The heap limit as a person reads it: {@code 256 MiB}, {@code 11.7 GiB}. */
    static String heapLimit() {
        long max = Runtime.getRuntime().maxMemory();
        return max < (1L << 30)
                ? (max >> 20) + " MiB"
                : String.format(Locale.ROOT, "%.1f GiB", max / (double) (1L << 30));
    }

    static CellException unresolved(JShell shell, UnresolvedReferenceException e) {
        String missing = shell.unresolvedDependencies(e.getSnippet()).collect(Collectors.joining(", "));
        String message = "'" + describe(e.getSnippet()) + "' cannot be used until " + missing + " is declared";
        return new CellException("UnresolvedReference", message, List.of("UnresolvedReference: " + message));
    }

    /** The running cell was stopped; {@code backgroundThreads} threads that cells started still run. */
    static CellException interrupted(int backgroundThreads) {
        String message = "the cell was interrupted; the kernel is still running and its state is kept";
        List<String> lines = new ArrayList<>(List.of("Interrupted: " + message));
        if (backgroundThreads > 0) {
            lines.add(backgroundThreads + (backgroundThreads == 1 ? " thread" : " threads")
                    + " started by earlier cells still running: interrupt again while no cell runs to stop them");
        }
        return new CellException("Interrupted", message, lines);
    }

    /** {@code failure} plus a last line saying which of the cell's variables were let go to give the heap back. */
    static CellException withReleasedVariables(CellException failure, List<String> released) {
        if (released.isEmpty()) {
            return failure;
        }
        List<String> lines = new ArrayList<>(failure.traceback());
        lines.add("To give the memory back, the variables this cell declared were dropped: " + String.join(", ", released));
        return new CellException(failure.name(), failure.getMessage(), lines);
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

    /** JShell's stop check ({@code REPL.$Cancel$.stopCheck}) is woven into every loop: not the user's frame. */
    private static boolean isStopCheck(StackTraceElement frame) {
        return frame.getClassName().equals("REPL.$Cancel$");
    }

    /** The source line (0-based, counting from its first non-blank line) that holds {@code position}. */
    private static int lineWithin(String source, long position) {
        int lines = 0;
        int first = source.length() - source.stripLeading().length();
        for (int i = first; i < Math.min(position, source.length()); i++) {
            if (source.charAt(i) == '\n') {
                lines++;
            }
        }
        return lines;
    }

    private static String describe(Snippet snippet) {
        return switch (snippet) {
            case jdk.jshell.MethodSnippet m -> m.name() + "(" + m.parameterTypes() + ")";
            case jdk.jshell.DeclarationSnippet d -> d.name();
            default -> snippet.source().strip();
        };
    }

    /**
     * The compiler's message; a symbol missing at the top level of a cell is "located" in JShell's
     * nameless wrapper class ({@code location: class }), which we name for what it is.
     */
    private static String message(Diag diag) {
        return diag.getMessage(Locale.ROOT).replaceAll("(?m)^(\\s*location: )class\\s*$", "$1the top level of the notebook");
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
