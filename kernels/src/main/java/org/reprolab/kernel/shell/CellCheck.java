package org.reprolab.kernel.shell;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.SequencedSet;
import java.util.Set;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import jdk.jshell.JShell;
import jdk.jshell.PersistentSnippet;
import jdk.jshell.Snippet;
import jdk.jshell.SnippetEvent;
import jdk.jshell.VarSnippet;

/**
 * Compiles a whole cell before any of it runs, as Python does: if one statement of a cell does not
 * compile (a type error, a missing symbol), nothing in the cell runs and the session is as it was.
 *
 * <p>JShell compiles and runs a cell's snippets one at a time, and a snippet compiles only against
 * the declarations of the snippets before it, so the check is a dry run: every snippet is evaluated
 * with its execution deferred ({@link SnippetExecution#deferExecution}: compiled and loaded, not
 * invoked). A variable the dry run redeclares is given the value the old one held, so that when
 * the cell then runs for real, snippet by snippet (traces keep JShell's mapping to cell lines), a
 * statement above the redeclaration still reads the old value. If a snippet is rejected, the
 * session is put back: the dry run's declarations are dropped and those they displaced declared
 * again with their values. If the run stops early (a run-time error, an interrupt), the dry run's
 * declarations it did not reach are dropped, except those standing for a declaration they
 * displaced, which keep the old value.
 *
 * <p>Costs and limits: a multi-snippet cell is compiled twice (a one-snippet cell needs no check:
 * JShell compiles a snippet before it runs it); putting back is slower (each displaced declaration
 * and its dependents are compiled again), but happens only for a cell that does not compile. A
 * method or class that a cell redefines is the new one already for the statements above its
 * redefinition.
 */
final class CellCheck {

    private final JShell shell;
    private final SnippetExecution execution;
    private final VariableHomes homes;
    private final CellOrigins origins;
    /** The active snippets the dry run declared, in order. */
    private final List<Snippet> declared = new ArrayList<>();
    /** The snippets they displaced, in order; and which of the dry run's snippets displaced one. */
    private final SequencedSet<Snippet> displaced = new LinkedHashSet<>();
    private final Set<Snippet> displacing = new HashSet<>();

    CellCheck(JShell shell, SnippetExecution execution, VariableHomes homes, CellOrigins origins) {
        this.shell = shell;
        this.execution = execution;
        this.homes = homes;
        this.origins = origins;
    }

    /**
     * Compiles {@code pieces} in order without running them; returns the first failure (a rejected
     * or unfinished snippet, or a stop request) with the session put back, or {@code null} when all compile.
     */
    CellException check(List<CellSource.Piece> pieces, int cell, int lineOffset, BooleanSupplier stopRequested,
                        Supplier<CellException> stopped) {
        execution.deferExecution(true);
        try {
            CellException failure = dryRun(pieces, cell, lineOffset, stopRequested, stopped);
            if (failure != null) {
                putBack();
            }
            // the displaced variables' values now live in the dry run's (or, put back, in their own new) snippets
            List<Snippet> gone = new ArrayList<>(displaced);
            if (failure != null) {
                gone.addAll(declared);
            }
            for (Snippet snippet : gone) {
                if (snippet instanceof VarSnippet variable) {
                    homes.forget(variable, execution);
                }
            }
            for (Snippet snippet : declared) {
                // a shown expression's $n variable: the run makes its own
                if (snippet instanceof VarSnippet v && v.subKind() == Snippet.SubKind.TEMP_VAR_EXPRESSION_SUBKIND
                        && shell.status(v).isActive()) {
                    shell.drop(v);
                }
            }
            return failure;
        } finally {
            execution.takeInvokedClasses();
            execution.deferExecution(false);
        }
    }

    private CellException dryRun(List<CellSource.Piece> pieces, int cell, int lineOffset, BooleanSupplier stopRequested,
                                 Supplier<CellException> stopped) {
        for (CellSource.Piece piece : pieces) {
            if (stopRequested.getAsBoolean()) {
                return stopped.get();
            }
            execution.takeInvokedClasses();
            List<SnippetEvent> events = shell.eval(piece.source());
            List<String> wrapperClasses = execution.takeInvokedClasses();
            SnippetEvent main = events.stream().filter(e -> e.causeSnippet() == null).findFirst().orElse(null);
            if (main == null) {
                return CellErrors.incomplete(piece.source());
            }
            if (main.status() == Snippet.Status.REJECTED) {
                return CellErrors.compilation(shell, main.snippet(), cell, piece.line() + lineOffset, false);
            }
            for (SnippetEvent event : events) {
                Snippet old = event.snippet();
                if (event.causeSnippet() == main.snippet() && event.status() == Snippet.Status.OVERWRITTEN
                        && event.previousStatus().isActive() && !declared.contains(old) && displaced.add(old)) {
                    displacing.add(main.snippet());
                    if (old instanceof VarSnippet oldVariable && main.snippet() instanceof VarSnippet newVariable) {
                        homes.carry(oldVariable, newVariable, wrapperClasses, execution);
                    }
                }
            }
            if (main.status().isActive()) {
                declared.add(main.snippet());
            }
        }
        return null;
    }

    /**
     * After the run: drops what the dry run declared and the run did not reach (it stopped at a
     * failure or an interrupt), unless it stands for a declaration it displaced.
     */
    void dropUnreached() {
        for (Snippet snippet : declared.reversed()) {
            if (snippet instanceof PersistentSnippet && !displacing.contains(snippet) && shell.status(snippet).isActive()) {
                if (snippet instanceof VarSnippet variable) {
                    homes.forget(variable, execution);
                }
                shell.drop(snippet);
            }
        }
    }

    /** Drops what the dry run declared and declares again, with their values, the declarations it displaced. */
    private void putBack() {
        for (Snippet snippet : declared.reversed()) {
            if (snippet instanceof PersistentSnippet && shell.status(snippet).isActive()) {
                shell.drop(snippet);
            }
        }
        for (Snippet old : displaced) {
            if (shell.status(old).isActive()) {
                continue;
            }
            execution.takeInvokedClasses();
            Snippet back = shell.eval(old.source()).stream()
                    .filter(e -> e.causeSnippet() == null).map(SnippetEvent::snippet).findFirst().orElse(null);
            List<String> wrapperClasses = execution.takeInvokedClasses();
            if (back == null) {
                continue;
            }
            origins.copy(old, back);
            if (old instanceof VarSnippet oldVariable && back instanceof VarSnippet backVariable) {
                homes.carry(oldVariable, backVariable, wrapperClasses, execution);
            }
        }
    }
}
