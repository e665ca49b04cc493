package org.reprolab.kernel.shell;

import com.sun.source.util.JavacTask;
import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.ToolProvider;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;

/**
 * A cell cut into the snippets JShell evaluates one by one ({@code JShell.eval} takes only the
 * first snippet of its input), each with the cell line it starts on and whether it parses.
 *
 * <p>{@link SourceCodeAnalysis#analyzeCompletion} finds where a snippet ends but calls
 * {@code int 3x = 1;} or the {@code x = 5; }} of {@code x = 5; }} complete; parsing each piece with
 * javac's parser ({@link #parses}; it attributes nothing and runs nothing) tells whether it is
 * Java. ({@code SourceCodeAnalysis.sourceToSnippets} would not do: it attributes expressions and
 * calls {@code boom();} erroneous until {@code boom} exists.) The whole cell is checked before any of it runs, as Python does for a
 * syntax error.
 */
final class CellSource {

    private static final JavaCompiler JAVAC = ToolProvider.getSystemJavaCompiler();

    /**
     * One snippet: its source as JShell wants it, the cell line it starts on (1-based), whether a
     * trailing {@code ;} hides its value, and whether {@code analyzeCompletion} found its end.
     */
    record Piece(String source, int line, boolean hidesValue, boolean complete) {}

    private CellSource() {}

    /** The pieces of {@code cell}; throws {@link CellException} when the cell ends mid-statement. */
    static List<Piece> split(SourceCodeAnalysis analysis, String cell) {
        List<Piece> pieces = new ArrayList<>();
        String remaining = cell;
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (completeness == Completeness.DEFINITELY_INCOMPLETE) {
                throw CellErrors.incomplete(remaining);
            }
            int line = lineOf(cell, cell.length() - remaining.length() + leadingBlank(remaining));
            if (!completeness.isComplete()) {
                // UNKNOWN or CONSIDERED_INCOMPLETE: the compiler will say what is wrong
                pieces.add(new Piece(remaining, line, true, false));
                break;
            }
            String text = remaining.substring(0, remaining.length() - info.remaining().length());
            pieces.add(new Piece(info.source(), line, text.strip().endsWith(";"), true));
            remaining = info.remaining();
        }
        return pieces;
    }

    /**
     * Whether javac's parser accepts the piece as JShell would take it: as statements (local
     * declarations included), as a member (methods, fields), as an expression, or as an import.
     * Only parsed, never attributed, so a name that a later snippet of the cell declares is fine.
     */
    static boolean parses(Piece piece) {
        if (!piece.complete()) {
            return false;
        }
        String source = piece.source().strip();
        String expression = source.endsWith(";") ? source.substring(0, source.length() - 1) : source;
        return parsesAs("class $Cell { void $run() throws Throwable {\n" + source + "\n} }")
                || parsesAs("class $Cell {\n" + source + "\n}")
                || parsesAs("class $Cell { Object $value = (\n" + expression + "\n); }")
                || parsesAs(source + "\nclass $Cell {}");
    }

    private static boolean parsesAs(String unit) {
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///Cell.java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return unit;
            }
        };
        JavacTask task = (JavacTask) JAVAC.getTask(null, null, diagnostics, List.of("-proc:none"), null, List.of(file));
        try {
            task.parse();
        } catch (IOException e) {
            return false;
        }
        return diagnostics.getDiagnostics().stream().noneMatch(d -> d.getKind() == Diagnostic.Kind.ERROR);
    }

    private static int leadingBlank(String text) {
        int i = 0;
        while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
            i++;
        }
        return i;
    }

    private static int lineOf(String cell, int offset) {
        int line = 1;
        for (int i = 0; i < offset && i < cell.length(); i++) {
            if (cell.charAt(i) == '\n') {
                line++;
            }
        }
        return line;
    }
}
