package org.reprolab.lab;

import java.util.Map;

/**
 * One line of {@link Runs#table()}: a method at one sweep point, summarised over its seeds.
 *
 * @param method  the method's name
 * @param point   the sweep point (empty without a sweep)
 * @param seeds   how many seeds ran
 * @param status  "ok", "diverged at step k", "interrupted at step k" (the first seed that did not complete)
 * @param finals  metric -> its last value over seeds (NaN for a diverged seed)
 * @param bests   metric -> its best value along the run, over seeds
 * @param scalars per-run numbers (state bytes, NFE) over seeds
 * @param wallMillis wall time of one run, over seeds
 */
public record Row(String method, Map<String, Object> point, int seeds, String status, Map<String, Estimate> finals,
                  Map<String, Estimate> bests, Map<String, Estimate> scalars, Estimate wallMillis) {

    public String label() {
        return Format.label(method, point);
    }

    /** The final value of {@code metric}, over seeds. */
    public Estimate last(String metric) {
        Estimate e = finals.get(metric);
        if (e == null) throw new IllegalArgumentException(label() + ": no metric '" + metric + "'; known: " + finals.keySet());
        return e;
    }
}
