package org.reprolab.lab;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * One run: one method at one sweep point with one seed. Histories are per budget unit (step,
 * epoch, ...), index 0 the state before the first unit; scalars are one number per run (state bytes,
 * NFE, distance to the minimiser). Equality compares histories bit for bit.
 *
 * @param method     the method's display name (derived or set with {@code as})
 * @param point      the sweep point's hyper-parameter values, in sweep order (empty without a sweep)
 * @param seed       the seed's index, 0 .. seeds - 1
 * @param status     complete, diverged or interrupted
 * @param units      how many budget units ran (for a diverged run: the unit where it diverged)
 * @param wallMillis wall-clock time of the run
 * @param history    metric name -> value per unit
 * @param scalars    metric name -> one value
 * @param error      why a {@link Status#FAILED} run failed (the exception, as its task reported it); null otherwise
 */
public record Run(String method, Map<String, Object> point, int seed, Status status, int units, double wallMillis,
                  Map<String, double[]> history, Map<String, Double> scalars, String error) implements java.io.Serializable {

    /**
     * How a run ended. {@code FAILED}: its code threw; only a run on a {@link Cluster} other than the local one
     * ends so (its error is kept in its row and the other runs go on), the local pool rethrows instead.
     */
    public enum Status {
        COMPLETE, DIVERGED, INTERRUPTED, FAILED
    }

    public Run {
        Objects.requireNonNull(method, "method");
        Objects.requireNonNull(status, "status");
        if ((status == Status.FAILED) != (error != null)) throw new IllegalArgumentException("a run has an error exactly when it FAILED");
        point = unmodifiable(point);
        history = unmodifiable(history);
        scalars = unmodifiable(scalars);
    }

    /** A run that did not fail. */
    public Run(String method, Map<String, Object> point, int seed, Status status, int units, double wallMillis,
               Map<String, double[]> history, Map<String, Double> scalars) {
        this(method, point, seed, status, units, wallMillis, history, scalars, null);
    }

    /** The run at {@code point} with {@code seed} whose code threw {@code error}: no histories, no units. */
    static Run failed(String method, Map<String, Object> point, int seed, double wallMillis, String error) {
        return new Run(method, point, seed, Status.FAILED, 0, wallMillis, Map.of(), Map.of(), Objects.requireNonNull(error, "error"));
    }

    private static <V> Map<String, V> unmodifiable(Map<String, V> m) {
        return java.util.Collections.unmodifiableMap(new LinkedHashMap<>(m));
    }

    /** The label in legends and tables: the method and, after a sweep, the point ({@code Adam lr=0.1}). */
    public String label() {
        return Format.label(method, point);
    }

    /** The history of {@code metric}, or an error naming the ones recorded. */
    public double[] history(String metric) {
        double[] h = history.get(metric);
        if (h == null) throw new IllegalArgumentException(label() + ": no metric '" + metric + "'; recorded: " + history.keySet());
        return h.clone();
    }

    /** "ok", "diverged at step k", "interrupted at step k". */
    public String statusText(String unit) {
        return switch (status) {
            case COMPLETE -> "ok";
            case DIVERGED -> "diverged at " + unit + " " + units;
            case INTERRUPTED -> "interrupted at " + unit + " " + units;
            case FAILED -> "failed: " + error;
        };
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Run r)) return false;
        if (!method.equals(r.method) || !point.equals(r.point) || seed != r.seed || status != r.status || units != r.units
                || Double.doubleToLongBits(wallMillis) != Double.doubleToLongBits(r.wallMillis)
                || !scalars.equals(r.scalars) || !Objects.equals(error, r.error) || !history.keySet().equals(r.history.keySet())) {
            return false;
        }
        return history.entrySet().stream().allMatch(e -> Arrays.equals(e.getValue(), r.history.get(e.getKey())));
    }

    /** Equal results up to wall time: what two executions of the same experiment must share. */
    public boolean sameResult(Run r) {
        return new Run(method, point, seed, status, units, 0, history, scalars, error)
                .equals(new Run(r.method, r.point, r.seed, r.status, r.units, 0, r.history, r.scalars, r.error));
    }

    @Override
    public int hashCode() {
        int h = Objects.hash(method, point, seed, status, units, scalars);
        for (var e : history.entrySet()) h = 31 * h + e.getKey().hashCode() + Arrays.hashCode(e.getValue());
        return h;
    }

    @Override
    public String toString() {
        return "Run[" + label() + ", seed " + seed + ", " + statusText("unit") + ", " + units + " units]";
    }
}
