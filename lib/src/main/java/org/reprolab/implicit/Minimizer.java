package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * Inner optimisation solvers for {@code min_x f(x, θ)} at fixed {@code θ}, each with the optimality
 * condition that the implicit wrappers differentiate ({@link #optimality}, JAXopt's
 * {@code optimality_fun}):
 *
 * <ul>
 * <li>{@link GradientDescent}: fixed step, or Armijo backtracking when {@code step <= 0}; condition
 * {@code ∇ₓf = 0}.
 * <li>{@link LBfgs}: limited-memory BFGS (Liu and Nocedal 1989), two-loop recursion, Armijo
 * backtracking; condition {@code ∇ₓf = 0}.
 * <li>{@link ProximalGradient}: ISTA, or FISTA (Beck and Teboulle 2009) with {@code accelerate}, for
 * {@code f + g} with {@code g} given by its {@link Prox}; condition
 * {@code prox_g(x − ∇ₓf(x, θ), θ) − x = 0} (step 1, as JAXopt).
 * <li>{@link MirrorDescent}: entropic mirror descent on the simplex along the last axis (Nemirovski
 * and Yudin 1983; Beck and Teboulle 2003), {@code x ← softmax(log x − η∇ₓf)}; condition
 * {@code softmax(log x − ∇ₓf) − x = 0}.
 * </ul>
 *
 * <p>Stopping: the norm of the (generalised) gradient {@code ‖∇ₓf‖∞}, or of the prox-/mirror-
 * fixed-point residual divided by the step, is at most {@code tol}. Not reaching it gives a
 * non-converged {@link Result}.
 */
public sealed interface Minimizer permits Minimizer.GradientDescent, Minimizer.LBfgs, Minimizer.ProximalGradient,
        Minimizer.MirrorDescent {

    /** Runs this solver's loop (in {@link MinLoops}) from {@code x0} at fixed {@code θ}. */
    default Result minimize(ParametricObjective f, Tensor x0, Tensor... theta) {
        return switch (this) {
            case GradientDescent s -> MinLoops.gradientDescent(s, f, x0, theta);
            case LBfgs s -> MinLoops.lbfgs(s, f, x0, theta);
            case ProximalGradient s -> MinLoops.proximalGradient(s, f, x0, theta);
            case MirrorDescent s -> MinLoops.mirrorDescent(s, f, x0, theta);
        };
    }

    /** The condition F(x, θ) = 0 that characterises this solver's solutions. */
    default Condition optimality(ParametricObjective f) {
        return switch (this) {
            case GradientDescent _, LBfgs _ -> Implicit.stationarity(f);
            case ProximalGradient s -> Implicit.proxGradMap(f, s.prox(), 1.0).asCondition();
            case MirrorDescent _ -> MirrorDescent.mirrorMap(f, 1.0).asCondition();
        };
    }

    default String name() {
        return switch (this) {
            case GradientDescent _ -> "gradient descent";
            case LBfgs _ -> "L-BFGS";
            case ProximalGradient s -> s.accelerate() ? "FISTA" : "ISTA";
            case MirrorDescent _ -> "mirror descent";
        };
    }

    static GradientDescent gradientDescent(double step) {
        return new GradientDescent(step, 1e-10, 10_000);
    }

    static LBfgs lbfgs() {
        return new LBfgs(10, 1e-10, 1000);
    }

    /** FISTA with a fixed step (at most 1/L for an L-smooth f). */
    static ProximalGradient fista(Prox prox, double step) {
        return new ProximalGradient(prox, step, true, 1e-10, 50_000);
    }

    static MirrorDescent mirrorDescent(double step) {
        return new MirrorDescent(step, 1e-10, 50_000);
    }

    record GradientDescent(double step, double tol, int maxIter) implements Minimizer {
        public GradientDescent {
            Dense.checkStopping("gradient descent", tol, maxIter);
        }

        /** One iteration {@code x − η∇ₓf(x, θ)} as a differentiable map, for {@link GradientMode#unrolled}; fixed steps only. */
        public FixedPointMap stepMap(ParametricObjective f) {
            if (!(step > 0)) {
                throw new IllegalArgumentException("gradient descent: only a fixed step (> 0) has a differentiable iteration"
                        + " map; the line search's steps are not recorded");
            }
            Condition grad = Implicit.stationarity(f);
            return (x, theta) -> x.sub(grad.apply(x, theta).mul(step));
        }
    }

    record LBfgs(int memory, double tol, int maxIter) implements Minimizer {
        public LBfgs {
            Dense.checkStopping("L-BFGS", tol, maxIter);
            if (memory < 1) {
                throw new IllegalArgumentException("L-BFGS: memory must be >= 1, got " + memory);
            }
        }
    }

    record ProximalGradient(Prox prox, double step, boolean accelerate, double tol, int maxIter) implements Minimizer {
        public ProximalGradient {
            Dense.checkStopping("proximal gradient", tol, maxIter);
            if (prox == null || !(step > 0)) {
                throw new IllegalArgumentException("proximal gradient: needs a prox and a step > 0, got step " + step);
            }
        }
    }

    record MirrorDescent(double step, double tol, int maxIter) implements Minimizer {
        public MirrorDescent {
            Dense.checkStopping("mirror descent", tol, maxIter);
            if (!(step > 0)) {
                throw new IllegalArgumentException("mirror descent: step must be > 0, got " + step);
            }
        }

        /** {@code T(x) = softmax(log x − η∇ₓf(x, θ))} along the last axis. */
        static FixedPointMap mirrorMap(ParametricObjective f, double eta) {
            Condition grad = Implicit.stationarity(f);
            return (x, theta) -> x.log().sub(grad.apply(x, theta).mul(eta)).softmax(-1);
        }
    }
}
