package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import java.util.function.ToDoubleFunction;
import org.reprolab.tensor.Tensor;

/**
 * One run's tracked metrics ({@code .track(name, metric)}): evaluates them on a {@link Snapshot} after
 * each unit, keeping the previous values for updates, and remembers the last results, which become
 * the run's scalars of the same names (the table's column).
 */
final class Tracker {
    /** A user metric of the parameters, named. */
    record Probe(String name, ToDoubleFunction<Snapshot> metric) {}

    private final List<Probe> probes;
    private Map<String, double[]> previous;
    private Map<String, double[]> gradient;
    private double[] pointSum;
    private int points;
    private final double[] last;

    Tracker(List<Probe> probes) {
        this.probes = List.copyOf(probes);
        this.last = new double[probes.size()];
        java.util.Arrays.fill(last, Double.NaN);
    }

    int size() {
        return probes.size();
    }

    /** The state before the first recorded unit, when that unit is not the start (epochs): updates are measured from it. */
    void begin(Supplier<Map<String, double[]>> parameters) {
        if (!probes.isEmpty()) previous = parameters.get();
    }

    /** Evaluates every probe on the parameters now (read only when there are probes) into {@code row} from {@code offset}. */
    void measure(int unit, Supplier<Map<String, double[]>> parameters, double[] row, int offset) {
        if (probes.isEmpty()) return;
        Map<String, double[]> now = parameters.get();
        Snapshot s = new Snapshot(unit, now, previous, gradient);
        double[] point = s.point();
        if (pointSum == null) pointSum = new double[point.length];
        points++;
        for (int i = 0; i < point.length; i++) pointSum[i] += point[i];
        s.average(pointSum, points);
        for (int i = 0; i < probes.size(); i++) {
            Probe p = probes.get(i);
            double v;
            try {
                v = p.metric().applyAsDouble(s);
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("track(\"" + p.name() + "\") failed at unit " + unit + ": " + e.getMessage(), e);
            }
            row[offset + i] = v;
            last[i] = v;
        }
        previous = now;
    }

    /**
     * Keeps the gradient the optimizer is about to use (read only when there are probes): the next
     * {@link #measure}'s {@link Snapshot#gradient}. A pillar that calls this calls it before its first
     * measure too, with zeros, so step 0 sees a zero gradient.
     */
    void gradient(Supplier<Map<String, double[]>> gradients) {
        if (!probes.isEmpty()) gradient = gradients.get();
    }

    /** The tracked metrics' last values, as scalars. */
    void finals(Map<String, Double> scalars) {
        for (int i = 0; i < probes.size(); i++) if (Double.isFinite(last[i])) scalars.put(probes.get(i).name(), last[i]);
    }

    /** Named tensors' values, copied (the optimizer updates the tensors in place). */
    static Map<String, double[]> values(Map<String, Tensor> parameters) {
        Map<String, double[]> out = new LinkedHashMap<>();
        parameters.forEach((k, v) -> out.put(k, v.toDoubleArray()));
        return out;
    }
}
