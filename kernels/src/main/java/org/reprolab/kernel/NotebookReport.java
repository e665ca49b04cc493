package org.reprolab.kernel;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.reprolab.lab.Provenance;
import org.reprolab.lab.Report;
import org.reprolab.lab.Runs;
import org.reprolab.plot.Figure;
import org.knowm.xchart.internal.chartpart.Chart;

/**
 * The kernel's side of {@link Provenance}: it records the source of every cell a user runs, in order,
 * so each {@link Runs} built in the notebook carries the cells that built it, and keeps those results
 * for the notebook's report. When the kernel is started with {@code REPROLAB_REPORT} set to a file
 * (the main job's {@code notebooks/execute.py --reports DIR} does this), it writes there one standalone
 * HTML {@link Report} of every result, every figure that was a cell's value and all the notebook's
 * code: after each cell that produced a result, and once more at shutdown with what came after it.
 * Nothing is written for a notebook without results or figures.
 */
final class NotebookReport {
    static final String ENV = "REPROLAB_REPORT";

    private final List<String> cells = new ArrayList<>();
    private final List<Runs> results = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final Path target;
    private boolean fresh;

    NotebookReport(Path target) {
        this.target = target;
    }

    /** The report the environment asks for, or none. */
    static NotebookReport fromEnvironment() {
        String path = System.getenv(ENV);
        return new NotebookReport(path == null || path.isBlank() ? null : Path.of(path));
    }

    void install() {
        Provenance.install(this::cells, this::produced);
    }

    void uninstall() {
        Provenance.clear();
    }

    synchronized List<String> cells() {
        return List.copyOf(cells);
    }

    /** A cell the user ran (not a front end's silent request). */
    synchronized void started(String code) {
        cells.add(code);
    }

    /** Keeps a result for the report; without a report to write nothing is kept (results hold trained models). */
    private synchronized void produced(Runs runs) {
        if (target == null) return;
        results.add(runs);
        fresh = true;
    }

    /** A cell's value: a figure (ours or an XChart chart) goes in the report after the results. */
    synchronized void shown(Object value) {
        if (target == null) return;
        switch (value) {
            case Figure f -> figures.add(f);
            case Chart<?, ?> c -> figures.add(() -> c);
            case null, default -> { }
        }
    }

    /** After a cell: rewrites the report when the cell produced a result. */
    void finished() {
        boolean write;
        synchronized (this) {
            write = fresh;
            fresh = false;
        }
        if (write) write();
    }

    /** Writes the report of every result so far with every cell so far; a failure is printed, never thrown. */
    void write() {
        Report report;
        synchronized (this) {
            if (target == null || results.isEmpty() && figures.isEmpty()) return;
            report = Report.of(target.getFileName().toString().replaceFirst("\\.html?$", ""), results).code(cells);
            for (Figure f : figures) report = report.figure(f);
        }
        try {
            report.save(target);
        } catch (IOException | RuntimeException e) {
            System.err.println("reprolab: could not write the notebook report " + target + ": " + e);
        }
    }
}
