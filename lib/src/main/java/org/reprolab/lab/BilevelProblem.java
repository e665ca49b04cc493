package org.reprolab.lab;

import java.util.Objects;
import java.util.function.DoubleFunction;
import org.reprolab.implicit.FixedPointMap;
import org.reprolab.implicit.Implicit;
import org.reprolab.implicit.ImplicitRoot;
import org.reprolab.implicit.InnerSolver;
import org.reprolab.implicit.Minimizer;
import org.reprolab.implicit.ParametricObjective;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * A bilevel problem {@code min_θ L(x*(θ), θ)} with {@code x*(θ)} the solution of an inner problem, the
 * object {@code Lab.implicit} (hypergradients compared) and {@code Lab.bilevel} (outer loops compared)
 * run on. The inner problem is an {@link ImplicitRoot} (its optimality condition and a solver; Blondel
 * et al., NeurIPS 2022); the rest says what the other hypergradient methods need:
 *
 * <ul>
 * <li>{@code start}: the inner initial guess, where unrolled iterations begin (and BO-REP's {@code y₀});
 * <li>{@code step}: the inner iteration map {@code x ← T(x, θ)} that unrolled and one-step gradients
 * differentiate (Maclaurin et al. 2015; Fung et al. 2022), and that an implicit gradient "after K
 * steps" iterates;
 * <li>{@code loosened}: the inner solver at a tolerance, for sweeps of {@code "tol"} (Blondel et al.,
 * Thm. 1: the implicit gradient's error is of the order of the forward residual);
 * <li>{@code lower}: the inner objective when the inner problem is an argmin (BO-REP needs it).
 * </ul>
 *
 * @param name    for titles and tables
 * @param inner   {@code θ ↦ x*(θ)} with its implicit derivative
 * @param outer   {@code L(x, θ)} (θ passed as {@code θ[0]}), tensor ops
 * @param start   inner initial guess, or null
 * @param step    inner iteration map, or null
 * @param loosened inner solver at a tolerance, or null
 * @param lower   inner objective {@code g(x, θ)} of an argmin problem, or null
 */
public record BilevelProblem(String name, ImplicitRoot inner, ParametricObjective outer, Tensor start, FixedPointMap step,
                             DoubleFunction<InnerSolver> loosened, ParametricObjective lower) {

    public BilevelProblem {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(inner, "inner problem (an ImplicitRoot)");
        Objects.requireNonNull(outer, "outer loss");
    }

    /** The inner problem as a root (condition and solver), the outer loss {@code L(x, θ)}. */
    public static BilevelProblem of(String name, ImplicitRoot inner, ParametricObjective outer) {
        return new BilevelProblem(name, inner, outer, null, null, null, null);
    }

    /**
     * {@code x*(θ) = argmin_x g(x, θ)} by {@code minimizer} ({@link Implicit#argmin}: differentiated
     * through its optimality condition), starting at {@code start}; the lower objective is kept for BO-REP.
     */
    public static BilevelProblem argmin(String name, ParametricObjective lower, Minimizer minimizer, Tensor start, ParametricObjective outer) {
        Objects.requireNonNull(start, "start");
        return new BilevelProblem(name, Implicit.argmin(lower, minimizer).withName(name), outer, start, null, null, lower);
    }

    /** Where inner iterations start (unrolled gradients, BO-REP, the inner solver's guess). */
    public BilevelProblem start(Tensor x0) {
        return new BilevelProblem(name, inner, outer, x0, step, loosened, lower);
    }

    /** The inner iteration map that unrolled and one-step hypergradients differentiate. */
    public BilevelProblem step(FixedPointMap map) {
        return new BilevelProblem(name, inner, outer, start, map, loosened, lower);
    }

    /** The inner solver at tolerance {@code tol}, used when a method's {@code "tol"} is set (by a sweep). */
    public BilevelProblem tolerance(DoubleFunction<InnerSolver> solverAt) {
        return new BilevelProblem(name, inner, outer, start, step, solverAt, lower);
    }

    /** {@code x*(θ)} by the inner solver, without gradient. */
    public Tensor solve(Tensor theta) {
        try (var _ = Autodiff.noGrad()) {
            return inner.apply(start, theta.detach());
        }
    }

    /** {@code L(x*(θ), θ)}, without gradient. */
    public double loss(Tensor theta) {
        try (var _ = Autodiff.noGrad()) {
            return outer.apply(solve(theta), theta.detach()).item();
        }
    }

    FixedPointMap requireStep(String method) {
        if (step == null) {
            throw new IllegalStateException(name + ": the " + method + " hypergradient differentiates the inner iteration map; "
                    + "give it with problem.step((x, th) -> ...)");
        }
        return step;
    }

    Tensor requireStart(String method) {
        if (start == null) throw new IllegalStateException(name + ": the " + method + " hypergradient needs the inner start; give it with problem.start(x0)");
        return start;
    }

    @Override
    public String toString() {
        return name;
    }
}
