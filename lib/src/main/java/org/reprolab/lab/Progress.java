package org.reprolab.lab;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * Watches a {@code run()}: Lab calls {@link #update} at most four times a second while runs execute
 * and {@link #finish} once at the end. The library knows no front end; the default writes a one-line
 * text bar to standard output (JShell, a terminal), and the Jupyter kernel installs its own with
 * {@link #setDefault} (one live display per run, redrawn in place).
 */
public interface Progress {

    /** The state of a {@code run()}; {@code latest} is the newest value of the first metric, NaN before any. */
    record Event(int done, int total, String current, long elapsedMillis, long etaMillis, String metric, double latest,
                 String unit, int unitsDone, int unitsTotal) {

        /** {@code [#####-----] 3/5 Adan(lr=0.01) 1.2s, ETA 0.8s, loss 3.1e-05}. */
        public String line() {
            int width = 20, filled = total == 0 ? width : (int) ((long) width * done / total);
            String bar = "#".repeat(filled) + "-".repeat(width - filled);
            String eta = etaMillis < 0 ? "" : ", ETA " + seconds(etaMillis);
            String value = Double.isNaN(latest) ? "" : ", " + metric + " " + Format.number(latest);
            String where = current.isEmpty() ? "" : " " + current + (unitsTotal == 0 ? "" : " (" + unit + " " + unitsDone + "/" + unitsTotal + ")");
            return "[" + bar + "] " + done + "/" + total + where + " " + seconds(elapsedMillis) + eta + value;
        }

        private static String seconds(long millis) {
            return Format.number(Math.round(millis / 100.0) / 10.0) + "s";
        }
    }

    void update(Event event);

    /** The runs are done (or interrupted); {@code runs} is the value {@code run()} returns. */
    void finish(Runs runs);

    /** Shows nothing. */
    static Progress none() {
        return Silent.INSTANCE;
    }

    /** A one-line bar rewritten in place with a carriage return. */
    static Progress text() {
        return new TextProgress(System.out);
    }

    /** What {@code run()} uses when the builder was given none: the text bar unless a front end installed its own. */
    static Progress byDefault() {
        return Defaults.factory.get();
    }

    /** Installs the default for later {@code run()} calls (the Jupyter kernel does this at start-up). */
    static void setDefault(Supplier<? extends Progress> factory) {
        Defaults.factory = Objects.requireNonNull(factory, "factory");
    }

    /** Holder of the process-wide default. */
    final class Defaults {
        private static volatile Supplier<? extends Progress> factory = Progress::text;

        private Defaults() {}
    }

    /** The no-op progress. */
    enum Silent implements Progress {
        INSTANCE;

        @Override
        public void update(Event event) {}

        @Override
        public void finish(Runs runs) {}
    }
}
