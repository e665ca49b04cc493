package org.reprolab.ode;

import java.util.Arrays;
import java.util.List;

/**
 * The result of a solve: the accepted step times and states, the end state, the events located, why it
 * ended, the statistics and, if {@link OdeOptions#dense} was set, the dense output {@link #y(double)}.
 */
public final class OdeSolution {
    private final String method;
    private final double[] ts;
    private final double[][] ys;
    private final List<EventHit> events;
    private final Termination termination;
    private final SolverStats stats;
    private final List<Segment> dense;

    /** One step's dense output as seen from the host. */
    interface Segment {
        double t0();

        double t1();

        void eval(double t, double[] out);
    }

    OdeSolution(String method, double[] ts, double[][] ys, List<EventHit> events, Termination termination,
                SolverStats stats, List<Segment> dense) {
        this.method = method;
        this.ts = ts;
        this.ys = ys;
        this.events = List.copyOf(events);
        this.termination = termination;
        this.stats = stats;
        this.dense = dense;
    }

    public String method() { return method; }

    /** Times of the initial point and of every accepted step (ending at the event time if one stopped the solve). */
    public double[] ts() { return ts.clone(); }

    /** States at {@link #ts()}. */
    public double[] y(int i) { return ys[i].clone(); }

    public int size() { return ts.length; }

    public double tEnd() { return ts[ts.length - 1]; }

    public double[] yEnd() { return ys[ys.length - 1].clone(); }

    public List<EventHit> events() { return events; }

    public Termination termination() { return termination; }

    public SolverStats stats() { return stats; }

    /** The dense output at t (requires {@code dense(true)}); t must lie between the start and {@link #tEnd()}. */
    public double[] y(double t) {
        if (dense == null) throw new IllegalStateException("no dense output: solve with OdeOptions.dense(true)");
        double lo = Math.min(ts[0], tEnd()), hi = Math.max(ts[0], tEnd());
        if (!(t >= lo && t <= hi)) throw new IllegalArgumentException("t=" + t + " outside the solution's span [" + lo + ", " + hi + "]");
        double[] out = new double[ys[0].length];
        if (dense.isEmpty()) return ys[0].clone();
        boolean forward = tEnd() >= ts[0];
        int lo_ = 0, hi_ = dense.size() - 1;
        while (lo_ < hi_) { // first segment whose end reaches t
            int mid = (lo_ + hi_) >>> 1;
            double e = dense.get(mid).t1();
            if (forward ? e >= t : e <= t) hi_ = mid; else lo_ = mid + 1;
        }
        dense.get(lo_).eval(t, out);
        return out;
    }

    /** The dense output on a grid. */
    public double[][] y(double... t) {
        double[][] out = new double[t.length][];
        for (int i = 0; i < t.length; i++) out[i] = y(t[i]);
        return out;
    }

    @Override
    public String toString() {
        return method + " solution on [" + ts[0] + ", " + tEnd() + "], " + stats + ", y(end)=" + Arrays.toString(ys[ys.length - 1]);
    }
}
