package org.reprolab.kernel.shell;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Folds the frames of deep recursion: a {@link StackOverflowError} carries 1,024 frames, nearly
 * all the same call, which buries the one line that matters. A frame (or a cycle of up to
 * {@link #LONGEST_CYCLE} frames, for mutual recursion) repeated more than {@link #KEEP} times is
 * shown {@link #KEEP} times, then {@code … 1,020 more calls of depth(int)}.
 */
final class StackFolding {

    static final int KEEP = 3;
    static final int LONGEST_CYCLE = 4;

    private StackFolding() {}

    /** The traceback lines ({@code "    at ..."}) for {@code frames}, repetitions folded. */
    static List<String> fold(List<StackTraceElement> frames, CellOrigins origins) {
        List<String> lines = new ArrayList<>();
        int i = 0;
        while (i < frames.size()) {
            int bestCycle = 0;
            int bestRepeats = 0;
            for (int cycle = 1; cycle <= LONGEST_CYCLE && i + cycle <= frames.size(); cycle++) {
                int repeats = repeats(frames, i, cycle);
                if (repeats > KEEP && repeats * cycle > bestRepeats * bestCycle) {
                    bestCycle = cycle;
                    bestRepeats = repeats;
                }
            }
            if (bestCycle == 0) {
                lines.add("    at " + origins.describe(frames.get(i)));
                i++;
                continue;
            }
            for (int k = 0; k < KEEP * bestCycle; k++) {
                lines.add("    at " + origins.describe(frames.get(i + k)));
            }
            int folded = (bestRepeats - KEEP) * bestCycle;
            lines.add(String.format(Locale.ROOT, "    … %,d more calls of %s", folded, origins.method(frames.get(i))));
            i += bestRepeats * bestCycle;
        }
        return lines;
    }

    /** How many times the {@code cycle} frames at {@code start} repeat back to back. */
    private static int repeats(List<StackTraceElement> frames, int start, int cycle) {
        int count = 1;
        while (start + (count + 1) * cycle <= frames.size()) {
            for (int k = 0; k < cycle; k++) {
                if (!frames.get(start + count * cycle + k).equals(frames.get(start + k))) {
                    return count;
                }
            }
            count++;
        }
        return count;
    }
}
