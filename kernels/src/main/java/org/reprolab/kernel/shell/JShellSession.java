package org.reprolab.kernel.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.SourceCodeAnalysis.Completeness;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * A JShell that evaluates whole notebook cells and hands back live values.
 *
 * <p>{@code JShell.eval} evaluates only the first snippet of its input, so a cell is cut into
 * snippets with {@link SourceCodeAnalysis#analyzeCompletion} and evaluated one by one, stopping at
 * the first failure. The cell's value is that of its last snippet when it is an expression not
 * ended by {@code ;} (IPython's rule: a trailing semicolon hides the value). The same session
 * serves completion, inspection and {@code is_complete}, so what the user sees matches what runs.
 */
public final class JShellSession implements AutoCloseable {

    /** A value a cell produced; {@link #NONE} when the cell ends in a statement or declaration. */
    public record Value(boolean present, Object value) {
        public static final Value NONE = new Value(false, null);
    }

    /** Completion candidates replacing {@code code[start, end)}. */
    public record Completion(List<String> matches, int start, int end) {}

    /** The answer to {@code is_complete}. */
    public sealed interface Readiness {
        record Complete() implements Readiness {}
        record Incomplete(String indent) implements Readiness {}
        record Invalid() implements Readiness {}
    }

    private final JShell shell;
    private final SnippetExecutionProvider engine;
    /** Wrapper class that holds each variable's static field, by variable name. */
    private final Map<String, String> variableHome = new ConcurrentHashMap<>();
    private volatile boolean stopRequested;

    private JShellSession(JShell shell, SnippetExecutionProvider engine) {
        this.shell = shell;
        this.engine = engine;
    }

    /**
     * Starts a session whose snippets compile against {@code classPath} and load, parent-first,
     * through the caller's class loader.
     */
    public static JShellSession start(String classPath, List<String> compilerOptions,
                                      PrintStream out, PrintStream err, InputStream in) {
        SnippetExecutionProvider engine = new SnippetExecutionProvider(JShellSession.class.getClassLoader());
        JShell shell = JShell.builder()
                .executionEngine(engine, Map.of())
                .compilerOptions(compilerOptions.toArray(String[]::new))
                .out(out).err(err).in(in)
                .build();
        // through addToClasspath, not a --class-path compiler option, which would pin the
        // compiler's class path and hide jars that %classpath adds later
        shell.addToClasspath(classPath);
        return new JShellSession(shell, engine);
    }

    /** Makes a jar or class directory visible to snippets: to the compiler and to the snippet class loader. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
    }

    /** Runs {@code imports} (e.g. {@code "import java.util.*;"}) and fails loudly if any is rejected. */
    public void addImports(List<String> imports) {
        for (String line : imports) {
            eval(line);
        }
    }

    /** Evaluates a whole cell; throws {@link CellException} with a readable report on the first failure. */
    public Value eval(String cell) {
        stopRequested = false;
        Value value = Value.NONE;
        String remaining = cell;
        SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
        while (!remaining.isBlank()) {
            CompletionInfo info = analysis.analyzeCompletion(remaining);
            Completeness completeness = info.completeness();
            if (completeness == Completeness.EMPTY) {
                break;
            }
            if (completeness == Completeness.DEFINITELY_INCOMPLETE) {
                throw CellErrors.incomplete(remaining);
            }
            String source;
            String text;
            if (completeness.isComplete()) {
                source = info.source();
                text = remaining.substring(0, remaining.length() - info.remaining().length());
                remaining = info.remaining();
            } else {
                // UNKNOWN or CONSIDERED_INCOMPLETE: let the compiler say what is wrong
                source = remaining;
                text = remaining;
                remaining = "";
            }
            value = evalSnippet(source, text.strip().endsWith(";"));
        }
        return value;
    }

    private Value evalSnippet(String source, boolean endsWithSemicolon) {
        SnippetExecution execution = engine.execution();
        if (execution != null) {
            execution.forgetLastInvocation();
        }
        List<SnippetEvent> events = shell.eval(source);
        if (stopRequested) {
            throw CellErrors.interrupted();
        }
        SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst()
                .orElseThrow(() -> CellErrors.incomplete(source));
        JShellException thrown = main.exception();
        if (thrown instanceof UnresolvedReferenceException unresolved) {
            throw CellErrors.unresolved(shell, unresolved);
        }
        if (thrown instanceof EvalException) {
            throw CellErrors.runtime(thrown);
        }
        if (main.status() == Snippet.Status.REJECTED) {
            throw CellErrors.compilation(shell, main.snippet());
        }
        execution = engine.execution();
        Snippet snippet = main.snippet();
        if (snippet instanceof VarSnippet var && execution != null && execution.lastInvokedClass() != null) {
            variableHome.put(var.name(), execution.lastInvokedClass());
        }
        boolean isExpression = snippet instanceof ExpressionSnippet
                || (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND);
        if (!isExpression || endsWithSemicolon) {
            return Value.NONE;
        }
        String name = snippet instanceof VarSnippet v ? v.name() : ((ExpressionSnippet) snippet).name();
        String home = variableHome.get(name);
        if (home != null && execution != null) {
            try {
                return new Value(true, execution.variable(home, name));
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                // fall through to JShell's own rendering of the value
            }
        }
        return new Value(true, new JShellText(main.value()));
    }

    /** Asks a running cell to stop: JShell's stop checks end snippet loops, library loops see the interrupt. */
    public void stop() {
        stopRequested = true;
        shell.stop();
    }

    /** Completion at {@code cursor}, type-matching suggestions first. */
    public Completion complete(String code, int cursor) {
        int from = snippetStart(code, cursor);
        String snippet = code.substring(from);
        int[] anchor = new int[1];
        List<SourceCodeAnalysis.Suggestion> suggestions =
                shell.sourceCodeAnalysis().completionSuggestions(snippet, cursor - from, anchor);
        Set<String> matches = new LinkedHashSet<>();
        suggestions.stream().filter(SourceCodeAnalysis.Suggestion::matchesType)
                .forEach(s -> matches.add(s.continuation()));
        suggestions.forEach(s -> matches.add(s.continuation()));
        return new Completion(List.copyOf(matches), from + anchor[0], cursor);
    }

    /**
     * Documentation of the identifier at {@code cursor}: signatures, and Javadoc when {@code detail}.
     * JShell documents a method only with its opening parenthesis, so the cursor is moved past the
     * identifier and a {@code (} added when that finds more.
     */
    public String inspect(String code, int cursor, boolean detail) {
        int from = snippetStart(code, cursor);
        String snippet = code.substring(from);
        int end = cursor - from;
        while (end < snippet.length() && Character.isJavaIdentifierPart(snippet.charAt(end))) {
            end++;
        }
        if (end < snippet.length() && snippet.charAt(end) == '(') {
            end++;
        }
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(snippet, end, detail);
        if (docs.isEmpty() && (end == 0 || snippet.charAt(end - 1) != '(')) {
            docs = shell.sourceCodeAnalysis().documentation(snippet.substring(0, end) + "(", end + 1, detail);
        }
        return docs.stream()
                .map(d -> d.signature() + (detail && d.javadoc() != null ? "\n" + d.javadoc().strip() : ""))
                .collect(Collectors.joining("\n\n"));
    }

    /** Whether {@code code} can run as it is, needs more lines (with the indent to continue at), or cannot parse. */
    public Readiness readiness(String code) {
        String remaining = code;
        while (true) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(remaining);
            switch (info.completeness()) {
                case EMPTY:
                    return new Readiness.Complete();
                case COMPLETE, COMPLETE_WITH_SEMI:
                    if (info.remaining().isBlank()) {
                        return new Readiness.Complete();
                    }
                    remaining = info.remaining();
                    break;
                case DEFINITELY_INCOMPLETE, CONSIDERED_INCOMPLETE:
                    return new Readiness.Incomplete("    ".repeat(Math.max(1, openBrackets(remaining))));
                default:
                    return new Readiness.Invalid();
            }
        }
    }

    /** Where the snippet that holds {@code cursor} begins: after the last complete snippet before it. */
    private int snippetStart(String code, int cursor) {
        int offset = 0;
        String prefix = code.substring(0, Math.min(cursor, code.length()));
        while (true) {
            CompletionInfo info = shell.sourceCodeAnalysis().analyzeCompletion(prefix.substring(offset));
            if (!info.completeness().isComplete() || info.remaining().isBlank()) {
                return offset;
            }
            int consumed = prefix.length() - offset - info.remaining().length();
            if (consumed <= 0) {
                return offset;
            }
            offset += consumed;
        }
    }

    private static int openBrackets(String code) {
        int depth = 0;
        for (char c : code.toCharArray()) {
            if (c == '{' || c == '(' || c == '[') {
                depth++;
            } else if (c == '}' || c == ')' || c == ']') {
                depth--;
            }
        }
        return depth;
    }

    /** The names of the variables the session has defined, for tools and tests. */
    public List<String> variables() {
        return shell.variables().map(VarSnippet::name).toList();
    }

    @Override
    public void close() {
        shell.close();
    }

    /**
     * A value JShell could only give as text (for example a primitive whose variable we could not
     * read): shown exactly as JShell prints it.
     */
    public record JShellText(String text) {
        public JShellText {
            Objects.requireNonNull(text);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
