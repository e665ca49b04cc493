package org.reprolab.ode;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.ode.solvers.Interpolant;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Stepper;

/**
 * Saves the state at requested times ({@link OdeOptions#saveAt}) from each accepted step's dense output (or
 * its end point when a save time falls on it), as diffrax's {@code SaveAt(ts=...)}. Public because the tensor
 * adjoint replays segments of a solve and saves the same times with it.
 *
 * @param <S> the state type
 */
public final class StateSaver<S> {
    private final double[] ts;
    private final StateOps<S> ops;
    private final List<S> saved = new ArrayList<>();
    private int next;

    /** Saves {@code ts[first..]} (the caller saves the states before {@code first} itself). */
    public StateSaver(double[] ts, StateOps<S> ops, int first) {
        this.ts = ts;
        this.ops = ops;
        this.next = first;
    }

    /** The index of the first save time strictly after t. */
    public static int firstAfter(double[] ts, double t) {
        double dir = Math.signum(ts[ts.length - 1] - ts[0]);
        int i = 1;
        while (i < ts.length && dir * (ts[i] - t) <= 0) i++;
        return i;
    }

    /** Saves the times inside the accepted step (t, y) → (tNew, yNew); call before the stepper accepts it. */
    public void step(Stepper<S> st, double t, S y, double tNew, S yNew) {
        double dir = Math.signum(tNew - t);
        Interpolant<S> ip = null;
        while (next < ts.length && dir * (ts[next] - tNew) <= 0) {
            S out = ops.like(y);
            if (ts[next] == tNew) {
                ops.copy(yNew, out);
            } else {
                if (ip == null) ip = st.interpolant(t, y, tNew, yNew, false);
                ip.eval(ts[next], out);
            }
            saved.add(out);
            next++;
        }
    }

    /** The states saved so far, in time order. */
    public List<S> saved() {
        return saved;
    }
}
