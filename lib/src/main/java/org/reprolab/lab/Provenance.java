package org.reprolab.lab;

import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Where the code that produced a result comes from, so a {@link Runs} report can show it beside the
 * numbers. The library cannot see a notebook; the Jupyter kernel can, so it installs a source of
 * "the cells run so far" here when it starts, and a listener that learns of every {@code Runs} that
 * {@code Lab....run()} builds (for the per-notebook report). Outside a kernel nothing is installed:
 * runs carry no code and {@code runs.report().code(...)} takes it explicitly.
 */
public final class Provenance {
    private static volatile Supplier<List<String>> cells = List::of;
    private static volatile Consumer<Runs> listener = runs -> {};

    private Provenance() {}

    /**
     * Installs the source of the code run so far (one string per notebook cell, in execution order,
     * the running cell last) and a listener told of each new {@code Runs}; the kernel calls this once.
     */
    public static void install(Supplier<List<String>> cellsSoFar, Consumer<Runs> onRuns) {
        cells = Objects.requireNonNull(cellsSoFar, "cellsSoFar");
        listener = Objects.requireNonNull(onRuns, "onRuns");
    }

    /** Back to nothing installed (a kernel shutting down, a test). */
    public static void clear() {
        cells = List::of;
        listener = runs -> {};
    }

    /** The code run so far, empty outside a kernel. */
    public static List<String> code() {
        try {
            return List.copyOf(cells.get());
        } catch (RuntimeException e) {
            return List.of(); // provenance must never take a result away
        }
    }

    /** Stamps {@code runs} with the code run so far and tells the listener. */
    static Runs produced(Runs runs) {
        Runs stamped = runs.withCode(code());
        try {
            listener.accept(stamped);
        } catch (RuntimeException e) {
            // a failing report writer must not fail the experiment
        }
        return stamped;
    }
}
