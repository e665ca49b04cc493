package org.reprolab.ode;

import java.util.ArrayList;
import java.util.List;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Counters;
import org.reprolab.ode.solvers.InitialStep;
import org.reprolab.ode.solvers.Interpolant;
import org.reprolab.ode.solvers.RadauIIA;
import org.reprolab.ode.solvers.RosenbrockTableau;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Stepper;
import org.reprolab.ode.solvers.VectorField;

/**
 * The integration loop shared by every method: step-size control, the step-size floor, NaN handling, step
 * limits, interruption, Hairer's stiffness test, events, saving and statistics. It follows scipy's
 * {@code RungeKutta._step_impl} (so that with {@code Controllers.scipy} and DOPRI5 it takes the same
 * steps as scipy's RK45) and Hairer's {@code dopri5.f} for the stiffness test.
 *
 * <p>Public because the tensor part ({@code ode.tensor}) runs its forward and adjoint solves through it; users
 * call {@link Ode#solve}.
 */
public final class Driver<S> {
    private Driver() {}

    /**
     * What the driver reports on every accepted step, before the stepper moves on (so
     * {@link Stepper#interpolant} still describes the step): the differentiable tensor path reads its
     * saved states and the per-step error and stiffness estimates the regularisers need here.
     */
    public interface StepListener<S> {
        void accepted(Stepper<S> st, double t, S y, double tNew, S yNew, double err, double hLambda);
    }

    /**
     * Integrates from t0 to t1 (t1 < t0 integrates backwards) and returns the host trajectory: the initial point
     * and every accepted step, as states rebuilt with {@link StateOps#fromArray}.
     *
     * @param listener told of every accepted step, or null
     */
    public static <S> Solution<S> run(Stepper<S> st, StateOps<S> ops, VectorField<S> f, double t0, double t1, S y0,
                                      StepController ctl, OdeOptions o, Counters count, StepListener<S> listener) {
        Solver m = st.method();
        String name = m.name();
        if (!Double.isFinite(t0) || !Double.isFinite(t1)) throw new IllegalArgumentException("t0 and t1 must be finite, got " + t0 + ", " + t1);
        int n = ops.size(y0);
        double[] host = new double[n];
        ops.toArray(y0, host);
        if (!ops.allFinite(y0)) throw new OdeException(OdeException.Reason.NON_FINITE, name, t0, 0, "initial state has NaN or infinity");

        StepController.Gain gain = switch (ctl) {
            case StepController.Adaptive a -> a.gain() != null ? a.gain() : defaultGain(m);
            case StepController.Constant c -> null;
        };
        boolean fixed = gain == null;
        if (!fixed && !m.adaptive()) throw new IllegalArgumentException(name + " has no error estimate: pass Controllers.constant(h)");
        int k = m.controlOrder();
        double dir = Math.signum(t1 - t0);

        List<Double> ts = new ArrayList<>();
        List<double[]> ys = new ArrayList<>();
        ts.add(t0);
        ys.add(host.clone());
        List<Solution.Segment> dense = o.dense() ? new ArrayList<>() : null;
        List<EventHit> hits = new ArrayList<>();
        long naccept = 0, nreject = 0;
        double stiffAt = Double.NaN, maxHL = Double.NaN;
        Termination term = new Termination.Completed();

        S y = ops.like(y0);
        ops.copy(y0, y);
        S yNew = ops.like(y0);
        if (dir == 0) {
            if (dense != null) dense.add(constant(t0, host));
            return solution(name, ts, ys, ops, hits, term, new SolverStats(0, 0, 0, 0, 0, 0, stiffAt, maxHL), dense, t0, t0);
        }
        st.start(t0, y);
        List<Event> events = o.events();
        double[] gOld = new double[events.size()];
        for (int i = 0; i < gOld.length; i++) gOld[i] = events.get(i).g().value(t0, host);

        double hAbs;
        if (ctl instanceof StepController.Constant c) hAbs = c.h();
        else if (!Double.isNaN(o.firstStep())) hAbs = o.firstStep();
        else hAbs = InitialStep.hairer(f, ops, t0, y, st.f(), dir, k, ctl.rtol(), ctl.atol(), count);

        double t = t0, errPrev = 1e-4, hAccepted = Double.NaN;
        int iasti = 0, nonsti = 0;
        double boundary = st.stiffnessBoundary();
        boolean checkStiff = !Double.isNaN(boundary);
        boolean onDevice = !ops.hostResident(), deferCheck = fixed && onDevice; // see StateOps.hostResident
        while (true) {
            double minStep = Math.max(o.minStep(), 10 * Math.abs(Math.nextAfter(t, dir * Double.POSITIVE_INFINITY) - t));
            if (!fixed) hAbs = Math.min(hAbs, o.maxStep());
            if (!fixed && hAbs < minStep) hAbs = minStep;
            boolean accepted = false, rejected = false, nonFinite = false;
            double tNew = t, err = 0;
            while (!accepted) {
                if (Thread.interrupted()) {
                    Thread.currentThread().interrupt();
                    throw new OdeException(OdeException.Reason.INTERRUPTED, name, t, dir * hAbs, "interrupted");
                }
                if (naccept + nreject >= o.maxSteps())
                    throw new OdeException(OdeException.Reason.TOO_MANY_STEPS, name, t, dir * hAbs,
                            "more than " + o.maxSteps() + " steps" + (iasti > 0 || (checkStiff && maxHL > boundary)
                                    ? "; the problem looks stiff (h·λ ≈ " + fmt(maxHL) + " > " + boundary + "): use a Rosenbrock method" : ""));
                if (!fixed && hAbs < minStep)
                    throw new OdeException(nonFinite ? OdeException.Reason.NON_FINITE : OdeException.Reason.STEP_UNDERFLOW, name, t, dir * hAbs,
                            nonFinite ? "the state became NaN/infinite (or an implicit stage did not converge) at every step size down to the step-size floor"
                                    : "step size below the floor " + fmt(minStep) + " (error norm " + fmt(err) + ")"
                                    + (iasti > 0 ? "; the problem looks stiff" : ""));
                tNew = t + dir * hAbs;
                if (dir * (tNew - t1) > 0 || (fixed && Math.abs(t1 - tNew) <= 1e-9 * hAbs)) tNew = t1;
                double h = tNew - t;
                hAbs = Math.abs(h);
                err = st.attempt(t, y, h, yNew);
                boolean finite = !Double.isNaN(err) && err != Double.POSITIVE_INFINITY && (deferCheck || ops.allFinite(yNew));
                if (!finite) {
                    if (fixed) throw new OdeException(OdeException.Reason.NON_FINITE, name, t, h, "the state became NaN/infinite");
                    nonFinite = true;
                    nreject++;
                    rejected = true;
                    hAbs *= gain.minFactor();
                    continue;
                }
                if (fixed) {
                    accepted = true;
                } else if (err < 1) {
                    double fac = gain.factor(err, errPrev, hAbs / hAccepted, true, rejected, k);
                    errPrev = Math.max(err, 1e-4);
                    hAccepted = hAbs;
                    hAbs *= fac;
                    accepted = true;
                } else {
                    hAbs *= gain.factor(err, errPrev, hAbs / hAccepted, false, rejected, k);
                    nreject++;
                    rejected = true;
                }
            }
            naccept++;
            if (checkStiff) { // Hairer, dopri5.f: 15 consecutive hλ > boundary = stiff; 6 below reset
                double hl = st.hLambda();
                maxHL = Double.isNaN(maxHL) ? hl : Math.max(maxHL, hl);
                if (hl > boundary) {
                    nonsti = 0;
                    if (++iasti == 15 && Double.isNaN(stiffAt)) {
                        stiffAt = t;
                        if (o.failOnStiffness())
                            throw new OdeException(OdeException.Reason.STIFF, name, t, tNew - t,
                                    "the problem is stiff: h·λ ≈ " + fmt(hl) + " > " + boundary
                                            + " on 15 consecutive steps (Hairer's test); use a Rosenbrock method");
                    }
                } else if (++nonsti == 6) {
                    iasti = 0;
                }
            }
            boolean needInterp = dense != null || !events.isEmpty();
            Interpolant<S> ip = needInterp ? st.interpolant(t, y, tNew, yNew, dense != null) : null;
            EventHit stop = events.isEmpty() ? null : locate(events, gOld, ip, ops, t, tNew, yNew, n, hits);
            if (dense != null) dense.add(segment(ip, ops, n));
            if (listener != null) listener.accepted(st, t, y, tNew, yNew, err, st.hLambda());
            st.accept(tNew, yNew);
            S tmp = y;
            y = yNew;
            yNew = tmp;
            t = tNew;
            if (stop != null) { // the solution ends at the terminal event, with the state located there
                term = new Termination.StoppedByEvent(stop);
                ts.add(stop.t());
                ys.add(stop.y().clone());
                break;
            }
            double[] yh = null;
            if (!onDevice || t == t1) {
                yh = new double[n];
                ops.toArray(y, yh);
            }
            ts.add(t);
            ys.add(yh);
            if (t == t1) break;
        }
        if (deferCheck && !ops.allFinite(y))
            throw new OdeException(OdeException.Reason.NON_FINITE, name, t, dir * hAbs,
                    "the state became NaN/infinite (a fixed-step solve on a device checks once, at the end)");
        return solution(name, ts, ys, ops, hits, term,
                new SolverStats(count.nfev, 0, count.njev, count.nlu, naccept, nreject, stiffAt, maxHL), dense, t0, ts.getLast());
    }

    /**
     * The solver's own gain when the controller leaves it open ({@code Controllers.pid(rtol, atol)}): predictive
     * control for the stiff solvers with {@code rodas.f}'s factor range [0.2, 6], and for Radau scipy's [0.2, 10]
     * and {@code radau5.f}'s hold of h for factors in [1, 1.2) (which keeps its LU factorisations).
     */
    private static StepController.Gain defaultGain(Solver m) {
        return switch (m) {
            case RosenbrockTableau r -> new StepController.Predictive(0.9, 0.2, 6, 1);
            case RadauIIA r -> new StepController.Predictive(0.9, 0.2, 10, 1.2);
            default -> new StepController.PI(0.4, 0.3, 0.9, 0.2, 10);
        };
    }

    private static <S> Solution<S> solution(String name, List<Double> ts, List<double[]> ys, StateOps<S> ops, List<EventHit> hits,
                                            Termination term, SolverStats stats, List<Solution.Segment> dense,
                                            double spanStart, double spanEnd) {
        double[] tArr = new double[ts.size()];
        for (int i = 0; i < tArr.length; i++) tArr[i] = ts.get(i);
        double[][] yArr = ys.toArray(double[][]::new);
        return new Solution<>(name, tArr, i -> {
                    if (yArr[i] == null)
                        throw new IllegalStateException("a device solve keeps only its saved states: pass OdeOptions.saveAt");
                    return ops.fromArray(yArr[i]);
                }, hits, term, stats, dense, spanStart, spanEnd,
                List.of(), () -> 0);
    }

    /** The dense output of a solve over an empty interval. */
    private static Solution.Segment constant(double t, double[] y) {
        return new Solution.Segment() {
            public double t0() { return t; }

            public double t1() { return t; }

            public int size() { return y.length; }

            public void eval(double tt, double[] out) { System.arraycopy(y, 0, out, 0, y.length); }
        };
    }

    /** Finds the crossings in this step (scipy's rule), appends them in time order, returns the first terminal one. */
    private static <S> EventHit locate(List<Event> events, double[] gOld, Interpolant<S> ip, StateOps<S> ops,
                                       double t, double tNew, S yNew, int n, List<EventHit> hits) {
        double[] yh = new double[n];
        ops.toArray(yNew, yh);
        S buf = ops.like(yNew);
        double[] bufH = new double[n];
        List<EventHit> found = new ArrayList<>();
        for (int i = 0; i < events.size(); i++) {
            Event ev = events.get(i);
            double gn = ev.g().value(tNew, yh);
            double go = gOld[i];
            gOld[i] = gn;
            boolean up = go <= 0 && gn >= 0, down = go >= 0 && gn <= 0;
            boolean active = (up && ev.direction() > 0) || (down && ev.direction() < 0) || ((up || down) && ev.direction() == 0);
            if (!active) continue;
            Event.Function g = ev.g();
            double root = Roots.brent(tt -> {
                ip.eval(tt, buf);
                ops.toArray(buf, bufH);
                return g.value(tt, bufH);
            }, t, tNew, go, gn);
            ip.eval(root, buf);
            double[] yr = new double[n];
            ops.toArray(buf, yr);
            found.add(new EventHit(i, ev.name(), root, yr));
        }
        double dir = Math.signum(tNew - t);
        found.sort((a, b) -> Double.compare(dir * a.t(), dir * b.t()));
        for (EventHit h : found) {
            hits.add(h);
            if (events.get(h.index()).terminal()) return h;
        }
        return null;
    }

    private static <S> Solution.Segment segment(Interpolant<S> ip, StateOps<S> ops, int n) {
        return new Solution.Segment() {
            private S buf;

            public int size() { return n; }

            public double t0() { return ip.t0(); }

            public double t1() { return ip.t1(); }

            public void eval(double t, double[] out) {
                if (buf == null) buf = ops.fromArray(new double[n]);
                ip.eval(t, buf);
                ops.toArray(buf, out);
            }
        };
    }

    static String fmt(double v) {
        return String.format(java.util.Locale.ROOT, "%.3g", v);
    }
}
