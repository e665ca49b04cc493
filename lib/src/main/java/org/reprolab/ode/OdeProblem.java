package org.reprolab.ode;

import java.util.List;
import org.reprolab.ode.control.StepController;
import org.reprolab.ode.solvers.Counters;
import org.reprolab.ode.solvers.JacobianFunction;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.RadauIIA;
import org.reprolab.ode.solvers.RosenbrockTableau;
import org.reprolab.ode.solvers.SdeScheme;
import org.reprolab.ode.solvers.Solver;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.Stepper;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.solvers.VectorField;

/**
 * {@code dy/dt = f(t, y)}, {@code y(t0) = y0}, integrated from t0 to t1 (t1 < t0 integrates backwards), over
 * {@code double[]} (the fast path) or over any state type with a {@link StateOps}.
 *
 * <pre>{@code
 * var lv = OdeProblem.of((t, y, dy) -> { dy[0] = 1.5 * y[0] - y[0] * y[1]; dy[1] = -3 * y[1] + y[0] * y[1]; },
 *         0, 15, new double[]{10, 5});
 * Ode.solve(lv, Solvers.dopri5(), Controllers.scipy(1e-6, 1e-9)).yEnd();
 * Ode.solve(vdp.jacobian(jac, true), Solvers.rodas4(), Controllers.pid(1e-6, 1e-9));   // stiff
 * }</pre>
 *
 * @param jacobian   ∂f/∂y for the stiff (Rosenbrock, Radau) solvers ({@code double[]} only), or null for forward differences
 * @param autonomous true if f does not depend on t (Rosenbrock solvers then skip the ∂f/∂t difference)
 */
public record OdeProblem<S>(VectorField<S> f, StateOps<S> ops, double t0, double t1, S y0, JacobianFunction jacobian,
                            boolean autonomous) implements Problem<S> {

    public OdeProblem {
        if (f == null || ops == null || y0 == null) throw new IllegalArgumentException("f, ops and y0 must not be null");
        if (!Double.isFinite(t0) || !Double.isFinite(t1)) throw new IllegalArgumentException("t0 and t1 must be finite, got " + t0 + ", " + t1);
    }

    /** The {@code double[]} problem. */
    public static OdeProblem<double[]> of(OdeSystem f, double t0, double t1, double[] y0) {
        return new OdeProblem<>(f, StateOps.doubles(), t0, t1, y0.clone(), null, false);
    }

    /** A problem over any state with a {@link StateOps} (explicit solvers only). */
    public static <S> OdeProblem<S> of(VectorField<S> f, StateOps<S> ops, double t0, double t1, S y0) {
        return new OdeProblem<>(f, ops, t0, t1, y0, null, false);
    }

    /** This problem with an analytic Jacobian (null: forward differences) for the Rosenbrock solvers. */
    public OdeProblem<S> jacobian(JacobianFunction jac, boolean autonomous) {
        return new OdeProblem<>(f, ops, t0, t1, y0, jac, autonomous);
    }

    @Override
    public Solution<S> solve(Solver solver, StepController ctl, OdeOptions o) {
        if (!(o.sensitivity() instanceof Sensitivity.Direct || o.sensitivity() instanceof Sensitivity.None))
            throw new IllegalArgumentException(o.sensitivity() + " differentiates tensor problems (ode.tensor.TensorProblem), not "
                    + "an OdeProblem; use Sensitivity.none()");
        if (o.saveAt() != null && o.events().stream().anyMatch(Event::terminal))
            throw new IllegalArgumentException("saveAt and terminal events do not mix: save every step, or drop the terminal event");
        Counters count = new Counters();
        Stepper<S> st = stepper(solver, count, ctl);
        if (o.saveAt() == null) return Driver.run(st, ops, f, t0, t1, y0, ctl, o, count, null);
        double[] ts = o.saveTimes(t0, t1);
        StateSaver<S> saver = new StateSaver<>(ts, ops, 1);
        Solution<S> sol = Driver.run(st, ops, f, t0, t1, y0, ctl, o, count,
                (stepper, t, y, tNew, yNew, err, hl) -> saver.step(stepper, t, y, tNew, yNew));
        List<S> saved = saver.saved();
        return sol.reportedAt(ts, i -> copy(i == 0 ? y0 : saved.get(i - 1)), List.of(), () -> 0);
    }

    @SuppressWarnings("unchecked")
    private Stepper<S> stepper(Solver solver, Counters count, StepController ctl) {
        return switch (solver) {
            case Tableau tab -> Stepper.explicit(tab, f, ops, y0, count, ctl.rtol(), ctl.atol());
            case RosenbrockTableau rt -> {
                if (!(y0 instanceof double[] y)) throw new IllegalArgumentException(rt.name() + " runs over double[] states only");
                yield (Stepper<S>) Stepper.rosenbrock(rt, (VectorField<double[]>) f, jacobian, autonomous, y.length, count,
                        ctl.rtol(), ctl.atol());
            }
            case RadauIIA r -> {
                if (!(y0 instanceof double[] y)) throw new IllegalArgumentException(r.name() + " runs over double[] states only");
                yield (Stepper<S>) Stepper.radau(r, (VectorField<double[]>) f, jacobian, y.length, count, ctl.rtol(), ctl.atol());
            }
            case SdeScheme s -> throw new IllegalArgumentException(s.name() + " is an SDE scheme: an OdeProblem takes a Tableau, "
                    + "a RosenbrockTableau or RadauIIA (Solvers.tsit5(), Solvers.rodas4(), Solvers.radau5(), ...)");
        };
    }

    private S copy(S s) {
        S c = ops.like(s);
        ops.copy(s, c);
        return c;
    }
}
