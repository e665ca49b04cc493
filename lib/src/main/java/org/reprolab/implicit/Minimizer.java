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

    Result minimize(ParametricObjective f, Tensor x0, Tensor... theta);

    /** The condition F(x, θ) = 0 that characterises this solver's solutions. */
    Condition optimality(ParametricObjective f);

    String name();

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

    private static void check(String what, double tol, int maxIter) {
        if (!(tol > 0) || maxIter < 1) {
            throw new IllegalArgumentException(what + ": need tol > 0 and maxIter >= 1, got tol " + tol + ", maxIter " + maxIter);
        }
    }

    record GradientDescent(double step, double tol, int maxIter) implements Minimizer {
        public GradientDescent {
            check("gradient descent", tol, maxIter);
        }

        @Override
        public Result minimize(ParametricObjective f, Tensor x0, Tensor... theta) {
            return MinLoops.gradientDescent(this, f, x0, theta);
        }

        @Override
        public Condition optimality(ParametricObjective f) {
            return Implicit.stationarity(f);
        }

        @Override
        public String name() {
            return "gradient descent";
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
            check("L-BFGS", tol, maxIter);
            if (memory < 1) {
                throw new IllegalArgumentException("L-BFGS: memory must be >= 1, got " + memory);
            }
        }

        @Override
        public Result minimize(ParametricObjective f, Tensor x0, Tensor... theta) {
            return MinLoops.lbfgs(this, f, x0, theta);
        }

        @Override
        public Condition optimality(ParametricObjective f) {
            return Implicit.stationarity(f);
        }

        @Override
        public String name() {
            return "L-BFGS";
        }
    }

    record ProximalGradient(Prox prox, double step, boolean accelerate, double tol, int maxIter) implements Minimizer {
        public ProximalGradient {
            check("proximal gradient", tol, maxIter);
            if (prox == null || !(step > 0)) {
                throw new IllegalArgumentException("proximal gradient: needs a prox and a step > 0, got step " + step);
            }
        }

        @Override
        public Result minimize(ParametricObjective f, Tensor x0, Tensor... theta) {
            return MinLoops.proximalGradient(this, f, x0, theta);
        }

        @Override
        public Condition optimality(ParametricObjective f) {
            return Implicit.proxGradMap(f, prox, 1.0).asCondition();
        }

        @Override
        public String name() {
            return accelerate ? "FISTA" : "ISTA";
        }
    }

    record MirrorDescent(double step, double tol, int maxIter) implements Minimizer {
        public MirrorDescent {
            check("mirror descent", tol, maxIter);
            if (!(step > 0)) {
                throw new IllegalArgumentException("mirror descent: step must be > 0, got " + step);
            }
        }

        @Override
        public Result minimize(ParametricObjective f, Tensor x0, Tensor... theta) {
            return MinLoops.mirrorDescent(this, f, x0, theta);
        }

        @Override
        public Condition optimality(ParametricObjective f) {
            return mirrorMap(f, 1.0).asCondition();
        }

        /** {@code T(x) = softmax(log x − η∇ₓf(x, θ))} along the last axis. */
        static FixedPointMap mirrorMap(ParametricObjective f, double eta) {
            Condition grad = Implicit.stationarity(f);
            return (x, theta) -> x.log().sub(grad.apply(x, theta).mul(eta)).softmax(-1);
        }

        @Override
        public String name() {
            return "mirror descent";
        }
    }
}
