package org.reprolab.lab;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;

/**
 * A run's per-unit record, written by the pillar's loop: one {@link #record} call per budget unit.
 * It is also where a run learns to stop: a non-finite value marks the run diverged at that unit, and
 * an interrupt (the run's thread, or the whole {@code run()} being stopped) marks it interrupted.
 * Arrays grown by doubling, no boxing: the cost per unit is a few stores and two flag reads.
 */
final class Recorder {
    private final String[] names;
    private final int capacity;
    private double[][] values;
    private final BooleanSupplier stopped;
    // written by the run's thread, read by the watching one: release/acquire, no full fence per unit
    private int count;
    private double latest = Double.NaN;
    private static final java.lang.invoke.VarHandle COUNT, LATEST;

    static {
        try {
            var lookup = java.lang.invoke.MethodHandles.lookup();
            COUNT = lookup.findVarHandle(Recorder.class, "count", int.class);
            LATEST = lookup.findVarHandle(Recorder.class, "latest", double.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }
    private Run.Status status = Run.Status.COMPLETE;

    Recorder(List<String> names, int capacity, BooleanSupplier stopped) {
        this.names = names.toArray(String[]::new);
        this.capacity = capacity;
        this.values = new double[this.names.length][Math.min(capacity, 4096)];
        this.stopped = stopped;
    }

    /**
     * Records the next unit's values, in the order of the series names; returns false when the run
     * must end (a value is NaN or infinite, or the run was interrupted).
     */
    boolean record(double... v) {
        if (v.length != names.length) {
            throw new IllegalArgumentException("record: " + v.length + " values for series " + Arrays.toString(names));
        }
        for (double x : v) {
            if (!Double.isFinite(x)) {
                status = Run.Status.DIVERGED;
                return false;
            }
        }
        int k = count;
        if (k == values[0].length) grow();
        for (int i = 0; i < v.length; i++) values[i][k] = v[i];
        LATEST.setRelease(this, v[0]);
        COUNT.setRelease(this, k + 1);
        return !checkStopped();
    }

    private void grow() {
        int n = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(16L, 2L * values[0].length));
        for (int i = 0; i < values.length; i++) values[i] = Arrays.copyOf(values[i], n);
    }

    /** True (and the run marked interrupted) when the run must stop now. */
    boolean checkStopped() {
        if (stopped.getAsBoolean() || Thread.currentThread().isInterrupted()) {
            status = Run.Status.INTERRUPTED;
            return true;
        }
        return false;
    }

    /** The run diverged at the next unit (a solver threw on a non-finite value). */
    void diverged() {
        status = Run.Status.DIVERGED;
    }

    void interrupted() {
        status = Run.Status.INTERRUPTED;
    }

    Run.Status status() {
        return status;
    }

    /** Units recorded so far (index 0 included). */
    int count() {
        return (int) COUNT.getAcquire(this);
    }

    int capacity() {
        return capacity;
    }

    double latest() {
        return (double) LATEST.getAcquire(this);
    }

    Map<String, double[]> histories() {
        Map<String, double[]> out = new LinkedHashMap<>();
        for (int i = 0; i < names.length; i++) out.put(names[i], Arrays.copyOf(values[i], count));
        return out;
    }
}
