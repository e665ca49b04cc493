package org.reprolab.lab;

import java.io.PrintStream;

/** The terminal bar: one line, rewritten with {@code \r}, ended with a newline when the runs finish. */
final class TextProgress implements Progress {
    private final PrintStream out;
    private int lastLength;

    TextProgress(PrintStream out) {
        this.out = out;
    }

    @Override
    public void update(Event event) {
        String line = event.line();
        out.print("\r" + line + " ".repeat(Math.max(0, lastLength - line.length())));
        out.flush();
        lastLength = line.length();
    }

    @Override
    public void finish(Runs runs) {
        if (lastLength > 0) {
            out.print("\r" + " ".repeat(lastLength) + "\r");
        }
        out.println(runs.headline());
        out.flush();
    }
}
