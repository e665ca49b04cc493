package org.reprolab.diffusion;

import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeProblem;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.sde.SdeProblem;
import org.reprolab.ode.sde.SdeSystem;
import org.reprolab.ode.sde.GridBrownianPath;
import org.reprolab.ode.solvers.OdeSystem;
import org.reprolab.ode.solvers.Solvers;
import org.reprolab.random.RngKey;

/**
 * Generation with a stochastic interpolant (Albergo, Boffi &amp; Vanden-Eijnden 2023, §2.2, Cor. 2.10 and
 * Algorithms 1–2): the probability-flow ODE {@code Ẋ = b(t, X)} for {@code epsilon = 0}, otherwise the forward SDE
 * {@code dX = (b + εs)dt + √(2ε)dW} from t = 0 to 1, or with {@code reverse} the backward SDE
 * {@code dX = (b − εs)dt + √(2ε)dW̄} from t = 1 to 0 (the ODE backwards for ε = 0). Every ε ≥ 0 has the marginals
 * ρ_t of the interpolant: the diffusion coefficient is a free choice at sampling time, not fixed by training.
 *
 * <p>Solved with the ode package on the whole batch as one state: RK4 for the ODE (4 evaluations of b per step),
 * Euler–Maruyama on a {@link GridBrownianPath} of the run's key for the SDEs (one evaluation of b and s per
 * step), uniform steps in t. The reverse direction runs in {@code τ = 1 − t}, where the backward SDE is a forward
 * Itô SDE with drift {@code −b + εs}.
 *
 * @param epsilon the diffusion coefficient ε ≥ 0 (0: the ODE)
 * @param reverse false: from ρ₀ at t = 0 to ρ₁ at t = 1; true: from ρ₁ at t = 1 to ρ₀ at t = 0
 */
public record InterpolantSampler(double epsilon, boolean reverse) {

    public InterpolantSampler {
        if (!(epsilon >= 0) || Double.isInfinite(epsilon)) throw new IllegalArgumentException("the diffusion coefficient epsilon must be finite and >= 0, got " + epsilon);
    }

    /** The forward SDE with diffusion coefficient ε (the ODE for ε = 0). */
    public InterpolantSampler(double epsilon) {
        this(epsilon, false);
    }

    /** The probability-flow ODE from t = 0 to 1. */
    public static InterpolantSampler ode() {
        return new InterpolantSampler(0, false);
    }

    /** The same dynamics run the other way: the backward SDE (or ODE) from t = 1 to 0. */
    public InterpolantSampler reversed() {
        return new InterpolantSampler(epsilon, !reverse);
    }

    /** Whether the sampler draws random numbers (ε > 0). */
    public boolean stochastic() {
        return epsilon > 0;
    }

    /** Where the sampler starts: t = 0 forward, 1 in reverse. */
    public double startTime() {
        return reverse ? 1 : 0;
    }

    /** Model evaluations per step: 4 for the ODE (RK4), 1 for the SDE (Euler–Maruyama, b and s together). */
    public int evaluationsPerStep() {
        return stochastic() ? 1 : 4;
    }

    /** From {@code start} (samples of x at {@link #startTime}) across the whole interval in {@code steps} steps. */
    public Batch sample(InterpolantModel model, Batch start, int steps, RngKey key) {
        return path(model, start, new double[] {startTime(), 1 - startTime()}, steps, key)[1];
    }

    /**
     * The samples at the interpolant times {@code times} (the first is {@link #startTime}, the rest strictly
     * monotone in the direction of travel, each a point of the grid of {@code steps} uniform steps over [0, 1], e.g.
     * multiples of ¼ for a step count divisible by 4). One Brownian path of {@code key} on that grid drives all
     * segments, so the checkpoints do not change the samples.
     */
    public Batch[] path(InterpolantModel model, Batch start, double[] times, int steps, RngKey key) {
        if (start.dim() != model.dim()) throw new IllegalArgumentException("the model is " + model.dim() + "-dimensional, the start " + start);
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (times.length < 2 || times[0] != startTime())
            throw new IllegalArgumentException("times must start at " + startTime() + (reverse ? " (reverse)" : "") + " and hold at least two times");
        double[] tau = new double[times.length];
        for (int i = 0; i < times.length; i++) {
            tau[i] = reverse ? 1 - times[i] : times[i];
            if (!(tau[i] <= 1) || (i > 0 && !(tau[i] > tau[i - 1])))
                throw new IllegalArgumentException("times must be inside [0, 1] and " + (reverse ? "decreasing" : "increasing") + ", got " + java.util.Arrays.toString(times));
            if (Math.abs(tau[i] * steps - Math.rint(tau[i] * steps)) > 1e-7)
                throw new IllegalArgumentException("time " + times[i] + " is not on the grid of " + steps + " uniform steps over [0, 1]");
        }
        int m = start.data().length;
        GridBrownianPath w = stochastic() ? new GridBrownianPath(key, 0, 1, m, steps) : null;
        Batch[] out = new Batch[times.length];
        out[0] = start.copy();
        double[] y = start.data().clone();
        for (int i = 1; i < times.length; i++) {
            int n = (int) Math.rint(steps * (tau[i] - tau[i - 1]));
            var controller = Controllers.constant((tau[i] - tau[i - 1]) / n);
            y = stochastic()
                    ? Ode.solve(SdeProblem.of(sde(model, start), tau[i - 1], tau[i], y, w), Solvers.eulerMaruyama(), controller).yEnd()
                    : Ode.solve(OdeProblem.of(ode(model, start), tau[i - 1], tau[i], y), Solvers.rk4(), controller).yEnd();
            out[i] = start.with(y.clone());
        }
        return out;
    }

    private double time(double tau) {
        return reverse ? 1 - tau : tau;
    }

    private OdeSystem ode(InterpolantModel model, Batch shape) {
        double sign = reverse ? -1 : 1;
        return (tau, y, dy) -> {
            model.eval(shape.with(y), time(tau), dy, null);
            for (int i = 0; i < dy.length; i++) dy[i] *= sign;
        };
    }

    private SdeSystem sde(InterpolantModel model, Batch shape) {
        double sign = reverse ? -1 : 1;
        return SdeSystem.additive((tau, y, out) -> {
            double[] s = new double[y.length];
            model.eval(shape.with(y), time(tau), out, s);
            for (int i = 0; i < out.length; i++) out[i] = sign * out[i] + epsilon * s[i];
        }, Math.sqrt(2 * epsilon));
    }
}
