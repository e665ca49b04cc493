package org.reprolab.diffusion;

import java.util.List;
import java.util.function.BiFunction;
import org.reprolab.ode.Ode;
import org.reprolab.ode.OdeOptions;
import org.reprolab.ode.Sensitivity;
import org.reprolab.ode.control.Controllers;
import org.reprolab.ode.solvers.Tableau;
import org.reprolab.ode.tensor.TensorField;
import org.reprolab.ode.tensor.TensorProblem;
import org.reprolab.tensor.Tensor;

/**
 * Sampling by the probability-flow ODE as a differentiable tensor op: the sample {@code x(t_end)} from the noise
 * {@code x(t_start)} is differentiable with respect to the noise and to whatever the noise-prediction function depends
 * on (a conditioning parameter, network weights), in one of the ways of {@link Sensitivity}. With
 * {@link Sensitivity#backsolve()} this is AdjointDPM (Pan, Liew, Tan, Feng, Yan, <i>AdjointDPM: Adjoint Sensitivity
 * Method for Gradient Backpropagation of Diffusion Probabilistic Models</i>, ICLR 2024): the sampling chain is not
 * recorded; the gradient comes from the augmented adjoint ODE solved backwards on the same grid, so memory does not
 * grow with the number of steps. {@link Sensitivity#direct()} records every step (discretise-then-differentiate:
 * the exact gradient of what was computed, memory linear in the steps).
 *
 * <p>The paper solves both ODEs in exponential-integrator variables ({@link Variables#LOG_SIGMA}): with
 * {@code y = x/α} and {@code ρ = σ/α} the ODE is {@code dy/dρ = ε̂(αy, t(ρ))}, the linear part of the drift gone
 * (the "reparameterisation by exponential integration" of their abstract); we step uniformly in {@code u = log ρ} (a logSNR grid, {@code dy/du = ρ ε̂}), the same ODE with
 * the DPM-Solver time. {@link Variables#TIME} is the ODE as Song et al. (2021, eq. 13) write it, for comparison.
 *
 * @param variables   the variables the ODE is solved in, steps uniform in its time
 * @param tableau     the explicit Runge–Kutta method of the forward and the backward solve
 * @param steps       fixed steps from {@code t_start} to {@code t_end}
 * @param sensitivity how the sample is differentiated
 */
public record DifferentiableSampler(Variables variables, Tableau tableau, int steps, Sensitivity sensitivity) {

    /** The variables of the probability-flow ODE. */
    public enum Variables {
        /** {@code (t, x)}: {@code dx/dt = f(t)x + g²(t)/(2σ_t) ε̂(x, t)}, steps uniform in t. */
        TIME,
        /** {@code (u, y) = (log σ̃, x/α)}: {@code dy/du = σ̃ ε̂(αy, t(u))}, steps uniform in u (the exponential-integrator form). */
        LOG_SIGMA
    }

    public DifferentiableSampler {
        if (variables == null || tableau == null || sensitivity == null)
            throw new IllegalArgumentException("variables, tableau and sensitivity must not be null");
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
    }

    /** AdjointDPM: RK4 in the exponential-integrator variables, differentiated by the backsolve adjoint. */
    public static DifferentiableSampler adjoint(int steps) {
        return new DifferentiableSampler(Variables.LOG_SIGMA, Tableau.RK4, steps, Sensitivity.backsolve());
    }

    /** The same solve with every step recorded (backpropagation through the sampling chain). */
    public static DifferentiableSampler direct(int steps) {
        return new DifferentiableSampler(Variables.LOG_SIGMA, Tableau.RK4, steps, Sensitivity.direct());
    }

    public DifferentiableSampler with(Sensitivity s) {
        return new DifferentiableSampler(variables, tableau, steps, s);
    }

    public DifferentiableSampler in(Variables v) {
        return new DifferentiableSampler(v, tableau, steps, sensitivity);
    }

    public DifferentiableSampler steps(int n) {
        return new DifferentiableSampler(variables, tableau, n, sensitivity);
    }

    /** {@link #sample(BiFunction, NoiseSchedule, Tensor, double, double, List)} over the schedule's default interval. */
    public Tensor sample(BiFunction<Tensor, Double, Tensor> eps, NoiseSchedule schedule, Tensor xT, List<Tensor> params) {
        return sample(eps, schedule, xT, schedule.tStart(), schedule.tEnd(), params);
    }

    /**
     * The sample at {@code tEnd} from {@code xT} at {@code tStart}.
     *
     * @param eps    the noise prediction {@code (x [n, d], t) -> ε̂ [n, d]} in tensor ops
     * @param params the tensors {@code eps} depends on that gradients should reach (the adjoint needs them named;
     *               the noise {@code xT} is reached always)
     */
    public Tensor sample(BiFunction<Tensor, Double, Tensor> eps, NoiseSchedule schedule, Tensor xT, double tStart, double tEnd,
                         List<Tensor> params) {
        if (eps == null || schedule == null || xT == null || params == null)
            throw new IllegalArgumentException("eps, schedule, xT and params must not be null");
        if (!(tStart > tEnd)) throw new IllegalArgumentException("sampling runs from noise to data: need tStart > tEnd, got " + tStart + ", " + tEnd);
        OdeOptions o = OdeOptions.defaults().failOnStiffness(false).sensitivity(sensitivity);
        return switch (variables) {
            case TIME -> {
                TensorField f = (t, x) -> x.mul(schedule.dLogAlpha(t)).add(eps.apply(x, t).mul(schedule.g2(t) / (2 * schedule.sigma(t))));
                yield solve(f, tStart, tEnd, xT, params, o);
            }
            case LOG_SIGMA -> {
                TensorField f = (u, y) -> {
                    double st = Math.exp(u), t = schedule.tOfSigmaTilde(st);
                    return eps.apply(y.mul(schedule.alpha(t)), t).mul(st);
                };
                Tensor y = solve(f, -schedule.lambda(tStart), -schedule.lambda(tEnd), xT.mul(1 / schedule.alpha(tStart)), params, o);
                yield y.mul(schedule.alpha(tEnd));
            }
        };
    }

    private Tensor solve(TensorField f, double t0, double t1, Tensor y0, List<Tensor> params, OdeOptions o) {
        var p = TensorProblem.of(f, t0, t1, y0).params(params);
        return Ode.solve(p, tableau, Controllers.constant(Math.abs(t1 - t0) / steps), o).yEnd();
    }
}
