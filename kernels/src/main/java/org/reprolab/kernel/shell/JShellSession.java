package org.reprolab.kernel.shell;

import java.io.InputStream;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import jdk.jshell.EvalException;
import jdk.jshell.ExpressionSnippet;
import jdk.jshell.JShell;
import jdk.jshell.JShellException;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.SourceCodeAnalysis;
import jdk.jshell.SourceCodeAnalysis.CompletionInfo;
import jdk.jshell.UnresolvedReferenceException;
import jdk.jshell.VarSnippet;

/**
 * A JShell that evaluates whole notebook cells and hands back live values.
 *
 * <p>{@code JShell.eval} evaluates only the first snippet of its input, so a cell is cut into
 * snippets ({@link CellSource}), all of them parsed and compiled before the first runs (a syntax or
 * type error anywhere runs nothing, {@link CellCheck}), then evaluated one by one, stopping at the first failure. The cell's value is
 * that of its last snippet when it is an expression not ended by {@code ;} (IPython's rule: a
 * trailing semicolon hides the value); it is the live object, never turned into text here
 * ({@link SnippetExecution}). The same session serves completion, inspection and
 * {@code is_complete}, so what the user sees matches what runs.
 *
 * <p>A long session stays small: the {@code $n} variable JShell makes for each shown expression
 * is dropped once read, and the value of a replaced or dropped variable is let go (JShell keeps
 * every wrapper class, and each static field in it, for the life of the session). A
 * {@link HeapGuard} stops a cell whose data is about to fill the heap.
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
    private final CellOrigins origins = new CellOrigins();
    private final VariableHomes homes = new VariableHomes();
    private final SourceDocs sources = new SourceDocs();
    /** Longest source {@code ??} shows of one declaration. */
    private static final int MAX_SOURCE_LINES = 60;
    private volatile boolean stopRequested;
    private volatile boolean running;
    private volatile boolean stoppedForMemory;
    private HeapGuard heapGuard;
    private int cellsEvaluated;

    private JShellSession(JShell shell, SnippetExecutionProvider engine) {
        this.shell = shell;
        this.engine = engine;
    }

    /**
     * Starts a session whose snippets compile against {@code classPath} and load, parent-first,
     * through the caller's class loader. Snippets are compiled with {@code -g}, so that a
     * {@link NullPointerException} names the variable ({@code "s" is null}) rather than
     * {@code "<parameter1>"} or {@code "<local0>"}.
     */
    public static JShellSession start(String classPath, List<String> compilerOptions,
                                      PrintStream out, PrintStream err, InputStream in) {
        SnippetExecutionProvider engine = new SnippetExecutionProvider(JShellSession.class.getClassLoader());
        List<String> options = new ArrayList<>(compilerOptions);
        if (!options.contains("-g")) {
            options.add("-g");
        }
        JShell shell = JShell.builder()
                .executionEngine(engine, Map.of())
                .compilerOptions(options.toArray(String[]::new))
                .out(out).err(err).in(in)
                .build();
        // through addToClasspath, not a --class-path compiler option, which would pin the
        // compiler's class path and hide jars that %classpath adds later
        shell.addToClasspath(classPath);
        HeapReserve.hold();
        JShellSession session = new JShellSession(shell, engine);
        session.sources.addClassPath(classPath);
        session.heapGuard = HeapGuard.watch(session::isRunning, session::stopForMemory);
        return session;
    }

    /** Makes a jar or class directory visible to snippets: to the compiler and to the snippet class loader. */
    public void addToClasspath(String path) {
        shell.addToClasspath(path);
        sources.addClassPath(path);
    }

    /** Runs {@code imports} (e.g. {@code "import java.util.*;"}) and fails loudly if any is rejected. */
    public void addImports(List<String> imports) {
        for (String line : imports) {
            eval(line);
        }
    }

    /** Evaluates a whole cell, numbered by the session's own count; see {@link #eval(String, int, int)}. */
    public Value eval(String cell) {
        int number;
        synchronized (this) {
            number = ++cellsEvaluated;
        }
        return eval(cell, number, 1);
    }

    /**
     * Evaluates a whole cell; throws {@link CellException} with a readable report on the first
     * failure. The cell is parsed and compiled as a whole first: if any snippet of it does not
     * parse or compile, nothing runs and the session is unchanged. Traces name {@code cell [cellNumber], line n}, counting from {@code firstLine} (the
     * cell line {@code code} starts on, after any magics).
     */
    public Value eval(String code, int cellNumber, int firstLine) {
        stopRequested = false;
        stoppedForMemory = false;
        running = true;
        List<VarSnippet> declared = new CopyOnWriteArrayList<>();
        SnippetExecution execution = engine.execution();
        if (execution != null) {
            execution.clearStop();
            execution.onOutOfMemory(() -> declared.forEach(variable -> forgetValue(variable, execution)));
        }
        CellCheck check = null;
        try {
            SourceCodeAnalysis analysis = shell.sourceCodeAnalysis();
            List<CellSource.Piece> pieces = CellSource.split(analysis, code);
            if (pieces.size() > 1) {
                for (CellSource.Piece piece : pieces) {
                    if (!CellSource.parses(piece)) {
                        throw rejected(piece, cellNumber, firstLine - 1);
                    }
                }
                if (execution != null) {
                    check = new CellCheck(shell, execution, homes, origins);
                    CellException failure = check.check(pieces, cellNumber, firstLine - 1, () -> stopRequested, () -> stopped(execution));
                    if (failure != null) {
                        throw failure;
                    }
                }
            }
            Value value = Value.NONE;
            for (CellSource.Piece piece : pieces) {
                if (stopRequested) {
                    throw stopped(engine.execution());
                }
                value = evalPiece(piece, piece != pieces.getFirst(), cellNumber, firstLine - 1, declared);
            }
            return value;
        } catch (CellException e) {
            if (CellErrors.isOutOfMemory(e.name())) {
                throw CellErrors.withReleasedVariables(e, release(declared));
            }
            throw e;
        } catch (OutOfMemoryError e) {
            // struck JShell's or our code while the cell's data still filled the heap
            HeapReserve.release();
            throw CellErrors.withReleasedVariables(CellException.outOfMemory(e), release(declared));
        } finally {
            if (check != null) {
                check.dropUnreached();
            }
            running = false;
            if (execution != null) {
                execution.onOutOfMemory(null);
            }
            HeapReserve.hold();
        }
    }

    /** Whether a cell is being evaluated now. */
    public boolean isRunning() {
        return running;
    }

    /** The compiler's report on a piece that does not parse; JShell rejects it, so nothing runs. */
    private CellException rejected(CellSource.Piece piece, int cell, int lineOffset) {
        List<SnippetEvent> events = shell.eval(piece.source());
        Snippet snippet = events.isEmpty() ? null : events.getFirst().snippet();
        if (snippet == null) {
            return CellErrors.incomplete(piece.source());
        }
        return CellErrors.compilation(shell, snippet, cell, piece.line() + lineOffset, false);
    }

    private Value evalPiece(CellSource.Piece piece, boolean earlierRan, int cell, int lineOffset, List<VarSnippet> declared) {
        SnippetExecution execution = engine.execution();
        if (execution != null) {
            execution.takeInvokedClasses();
            execution.takeLastResult();
        }
        int line = piece.line() + lineOffset;
        List<SnippetEvent> events = shell.eval(piece.source());
        execution = engine.execution();
        track(events, execution, cell, line, declared);
        SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
        Object result = execution == null ? null : execution.takeLastResult();
        Snippet snippet = main == null ? null : main.snippet();
        boolean temporary = snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND;
        if (temporary && main.status().isDefined()) {
            drop((VarSnippet) snippet);
        }
        // An interrupt stops the cell at the statement it reaches. A statement that handles it and returns
        // (Lab's run() returning the finished runs, marked partial) completes with its value; the cell's
        // later statements do not run (the loop in eval reports the interrupt before the next one).
        boolean handled = main != null && main.exception() == null && execution != null && execution.lastReturned();
        if (stopRequested && !handled) {
            throw stopped(execution);
        }
        if (main == null) {
            throw CellErrors.incomplete(piece.source());
        }
        JShellException thrown = main.exception();
        if (thrown instanceof UnresolvedReferenceException unresolved) {
            throw CellErrors.unresolved(shell, unresolved);
        }
        if (thrown instanceof EvalException) {
            throw CellErrors.runtime(thrown, origins);
        }
        if (main.status() == Snippet.Status.REJECTED) {
            throw CellErrors.compilation(shell, snippet, cell, line, earlierRan);
        }
        boolean isExpression = snippet instanceof ExpressionSnippet || temporary;
        if (!isExpression || piece.hidesValue()) {
            return Value.NONE;
        }
        return new Value(true, result);
    }

    /**
     * Keeps what traces and memory need from a snippet's events: where the new snippets came
     * from, which wrapper class holds each new variable, and, for variables replaced or dropped,
     * lets their old values go.
     */
    private void track(List<SnippetEvent> events, SnippetExecution execution, int cell, int line, List<VarSnippet> declared) {
        List<String> invoked = execution == null ? List.of() : execution.takeInvokedClasses();
        List<VarSnippet> gone = new ArrayList<>();
        for (SnippetEvent event : events) {
            Snippet snippet = event.snippet();
            if (event.causeSnippet() == null && event.status() != Snippet.Status.REJECTED) {
                origins.record(snippet, cell, line);
            }
            if (!(snippet instanceof VarSnippet variable) || execution == null) {
                continue;
            }
            if (event.status() == Snippet.Status.VALID && event.causeSnippet() == null) {
                homes.settle(variable, invoked, execution);
                if (variable.subKind() != Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND) {
                    declared.add(variable);
                }
            } else if (event.status() == Snippet.Status.OVERWRITTEN || event.status() == Snippet.Status.DROPPED) {
                gone.add(variable);
            }
        }
        // after the new homes are known: JShell may reuse a wrapper class name for a redeclaration
        gone.forEach(variable -> forgetValue(variable, execution));
    }

    private void forgetValue(VarSnippet variable, SnippetExecution execution) {
        homes.forget(variable, execution);
    }

    /**
     * Drops a variable and lets its value go. JShell keeps a {@code $n} variable for every
     * expression a cell shows, and imports all of them into every later snippet's wrapper: the
     * cost of each cell would grow with the number of cells before it. Notebooks never name
     * {@code $n}, so we drop each one once its value is read.
     */
    private void drop(VarSnippet variable) {
        forgetValue(variable, engine.execution());
        shell.drop(variable);
    }

    /** After an out-of-memory error: drops the variables the failed cell declared, so their memory can be reclaimed. */
    private List<String> release(List<VarSnippet> declared) {
        List<String> names = new ArrayList<>();
        for (VarSnippet variable : declared) {
            if (shell.status(variable) == Snippet.Status.VALID) {
                drop(variable);
                names.add(variable.name());
            }
        }
        return names;
    }

    private CellException stopped(SnippetExecution execution) {
        return stoppedForMemory
                ? CellErrors.heapNearlyFull()
                : CellErrors.interrupted(execution == null ? 0 : execution.backgroundThreads().size());
    }

    /** The {@link HeapGuard} saw live data fill the heap's headroom: stop the cell before the heap is full. */
    private void stopForMemory() {
        if (running) {
            stoppedForMemory = true;
            stop();
        }
    }

    /**
     * Asks a running cell to stop: JShell's stop checks end snippet loops, library loops see the
     * interrupt, and a snippet still compiling does not start. Does nothing when no cell runs.
     */
    public void stop() {
        if (!running) {
            return;
        }
        stopRequested = true;
        SnippetExecution execution = engine.execution();
        if (execution != null) {
            execution.requestStop();
        }
        shell.stop();
    }

    /**
     * Stops the threads that cells started and left running (interrupts them; snippet code in
     * them ends at its next loop iteration). Returns how many there were.
     */
    public int stopBackgroundThreads() {
        SnippetExecution execution = engine.execution();
        return execution == null ? 0 : execution.stopBackgroundThreads();
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

    /** {@link #inspect(String, int, boolean, boolean)} without the source. */
    public String inspect(String code, int cursor, boolean detail) {
        return inspect(code, cursor, detail, false);
    }

    /**
     * Documentation of the name at {@code cursor} (or of the call the cursor is in), as Markdown:
     * each declaration's header and, when {@code detail}, its Javadoc, read from the sources
     * ({@link SourceDocs}: the library's Javadoc cites its papers); with {@code withSource} also
     * where the declaration is and its source ({@code ??}). {@code Tensor.matmul} finds the
     * instance method through the type; {@code x.matmul} through the type of {@code x}. Where no
     * source is found, JShell's signatures (and its Javadoc of the JDK) are shown.
     */
    public String inspect(String code, int cursor, boolean detail, boolean withSource) {
        int from = snippetStart(code, cursor);
        String snippet = code.substring(from);
        InspectTarget target = InspectTarget.at(snippet, Math.min(cursor - from, snippet.length()));
        if (target != null) {
            String fromSources = fromSources(target, detail, withSource);
            if (!fromSources.isEmpty()) {
                return fromSources;
            }
        }
        int end = target == null ? cursor - from : target.end();
        if (end < snippet.length() && snippet.charAt(end) == '(') {
            end++;
        }
        List<SourceCodeAnalysis.Documentation> docs = shell.sourceCodeAnalysis().documentation(snippet, end, detail);
        if (docs.isEmpty() && (end == 0 || snippet.charAt(end - 1) != '(')) {
            docs = shell.sourceCodeAnalysis().documentation(snippet.substring(0, end) + "(", end + 1, detail);
        }
        return docs.stream()
                .map(d -> d.signature() + (detail && d.javadoc() != null ? "\n\n" + JavadocText.toMarkdown(d.javadoc()) : ""))
                .collect(Collectors.joining("\n\n---\n\n"));
    }

    private String fromSources(InspectTarget target, boolean detail, boolean withSource) {
        String whole = target.qualifier() == null ? target.name() : target.qualifier() + "." + target.name();
        String owner = typeNamed(whole);
        String member = null;
        if (owner != null) {
            member = target.constructor() ? owner.substring(owner.lastIndexOf('.') + 1) : null;
        } else if (target.qualifier() != null) {
            owner = typeOf(target.qualifier());
            member = target.name();
        } else {
            owner = typeOf(target.name());
        }
        if (owner == null) {
            return "";
        }
        List<SourceDocs.Member> members = sources.find(owner, member);
        StringBuilder text = new StringBuilder();
        for (SourceDocs.Member m : members) {
            if (!text.isEmpty()) {
                text.append("\n\n---\n\n");
            }
            text.append(m.header());
            String javadoc = JavadocText.toMarkdown(m.javadoc());
            if (detail && !javadoc.isEmpty()) {
                text.append("\n\n").append(javadoc);
            }
            if (withSource) {
                text.append("\n\nSource: ").append(m.location());
                if (member != null) {
                    List<String> lines = m.source().lines().toList();
                    String shown = String.join("\n", lines.subList(0, Math.min(lines.size(), MAX_SOURCE_LINES)));
                    text.append("\n\n```java\n").append(shown.stripIndent().strip())
                            .append(lines.size() > MAX_SOURCE_LINES ? "\n// ... " + (lines.size() - MAX_SOURCE_LINES) + " more lines" : "")
                            .append("\n```");
                }
            }
        }
        return text.toString();
    }

    /** The qualified name of the type {@code expression} names, or of its value's type; null when neither. */
    private String typeOf(String expression) {
        String named = typeNamed(expression);
        if (named != null) {
            return named;
        }
        String type = shell.sourceCodeAnalysis().analyzeType(expression, expression.length());
        if (type == null || type.isBlank()) {
            return null;
        }
        type = type.replaceAll("<.*>", "");
        String qualified = type.contains(".") ? null : typeNamed(type);
        return qualified != null ? qualified : type;
    }

    /** The qualified name of the type {@code name} names, or null (packages, by convention lower-case, are not types). */
    private String typeNamed(String name) {
        for (SourceCodeAnalysis.Documentation d : shell.sourceCodeAnalysis().documentation(name, name.length(), false)) {
            // a record's signature lists its components: org.reprolab.optim.ScaleByAdam(double beta1, ...)
            String signature = d.signature().replaceAll("<.*>", "").replaceFirst("\\(.*\\)$", "");
            String last = signature.substring(signature.lastIndexOf('.') + 1);
            if (signature.matches("[\\w.$]+") && signature.contains(".") && !last.isEmpty() && Character.isUpperCase(last.charAt(0))) {
                return signature;
            }
        }
        return null;
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
                    // analyzeCompletion calls `int 3x = 1;` complete: javac's parser has the last word
                    if (!CellSource.parses(new CellSource.Piece(info.source(), 1, false, true))) {
                        return new Readiness.Invalid();
                    }
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
        heapGuard.close();
        shell.close();
    }
}
