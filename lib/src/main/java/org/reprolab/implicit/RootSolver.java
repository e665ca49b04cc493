package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * Solvers for {@code F(x, θ) = 0} at fixed {@code θ}, stopping when {@code ‖F(x)‖∞ ≤ tol}. A fixed
 * point {@code x = T(x)} is the root of {@code T(x) − x} ({@link FixedPointMap#asCondition}), and the
 * fixed-point methods below iterate {@code x + F(x)}, which is {@code T(x)} for that condition.
 *
 * <ul>
 * <li>{@link FixedPointIteration}: {@code x ← x + β F(x)} (damped Picard/Banach iteration).
 * <li>{@link Anderson}: type-II Anderson acceleration (Anderson 1965; Walker and Ni 2011), JAXopt's
 * {@code AndersonAcceleration}: mixes the last {@code m} iterates by the affine combination of their
 * residuals of least norm (a bordered, ridge-regularised {@code m+1} system).
 * <li>{@link Newton}: {@code x ← x − α J⁻¹F} with backtracking on {@code ‖F‖²}; {@code J} from autodiff
 * (dense, LU) or, with a Krylov solver, matrix-free from Jacobian-vector products (Newton–Krylov).
 * <li>{@link Broyden}: Broyden's "good" method (Broyden 1965) on the inverse Jacobian by
 * Sherman–Morrison updates, started from the autodiff Jacobian at {@code x0} (as JAXopt's
 * {@code Broyden}).
 * <li>{@link Homotopy}: Newton homotopy continuation (Ding et al., "Two Sides of the Same Coin: Bridging
 * Deep Equilibrium Models and Neural ODEs via Homotopy Continuation", NeurIPS 2023): the root is the end,
 * at {@code λ = 1}, of the path {@code F(z(λ)) = (1 − λ) F(z₀)}, integrated as the ODE
 * {@code dz/dλ = −J(z)⁻¹ F(z₀)} with {@link org.reprolab.ode.Ode#solve}, then polished by a few Newton steps.
 * </ul>
 *
 * <p>A solve that does not reach {@code tol} returns a non-converged {@link Result}; the implicit
 * wrappers then warn about the forward residual.
 */
public sealed interface RootSolver permits RootSolver.FixedPointIteration, RootSolver.Anderson, RootSolver.Newton,
        RootSolver.Broyden, RootSolver.Homotopy {

    /** Runs this solver's loop (in {@link RootLoops}) from {@code x0} at fixed {@code θ}. */
    default Result solve(Condition f, Tensor x0, Tensor... theta) {
        return switch (this) {
            case FixedPointIteration s -> RootLoops.fixedPoint(s, f, x0, theta);
            case Anderson s -> RootLoops.anderson(s, f, x0, theta);
            case Newton s -> RootLoops.newton(s, f, x0, theta);
            case Broyden s -> RootLoops.broyden(s, f, x0, theta);
            case Homotopy s -> RootLoops.homotopy(s, f, x0, theta);
        };
    }

    default String name() {
        return switch (this) {
            case FixedPointIteration _ -> "fixed-point iteration";
            case Anderson s -> "Anderson(" + s.history() + ")";
            case Newton s -> s.linear() == null ? "Newton" : "Newton-Krylov";
            case Broyden _ -> "Broyden";
            case Homotopy s -> "Newton homotopy (" + s.steps() + " RK4 steps" + (s.linear() == null ? "" : ", Krylov") + ")";
        };
    }

    static FixedPointIteration fixedPointIteration() {
        return new FixedPointIteration(1e-10, 1000, 1.0);
    }

    /** History 5, mixing 1, relative ridge 1e-10 (JAXopt: 5, 1, 1e-5 absolute). */
    static Anderson anderson() {
        return new Anderson(1e-10, 500, 5, 1.0, 1e-10);
    }

    /** Newton with the dense autodiff Jacobian. */
    static Newton newton() {
        return new Newton(1e-10, 50, null);
    }

    /** Newton–Krylov: {@code J d = −F} by {@code linear} from Jacobian-vector products. */
    static Newton newtonKrylov(LinearSolver linear) {
        return new Newton(1e-10, 50, linear);
    }

    static Broyden broyden() {
        return new Broyden(1e-10, 200);
    }

    /** Newton homotopy with {@code steps} RK4 steps in {@code λ}, dense Jacobians, up to 5 Newton corrector steps. */
    static Homotopy homotopy(int steps) {
        return new Homotopy(1e-10, 5, steps, null);
    }

    /** Newton homotopy whose Jacobian solves are matrix-free by {@code linear} (for batched or large states). */
    static Homotopy homotopyKrylov(int steps, LinearSolver linear) {
        return new Homotopy(1e-10, 5, steps, linear);
    }

    record FixedPointIteration(double tol, int maxIter, double damping) implements RootSolver {
        public FixedPointIteration {
            Dense.checkStopping("fixed-point iteration", tol, maxIter);
            if (!(damping > 0 && damping <= 1)) {
                throw new IllegalArgumentException("fixed-point iteration: damping must be in (0, 1], got " + damping);
            }
        }

        /** One iteration {@code x + β F(x, θ)} as a differentiable map, for {@link GradientMode#unrolled}. */
        public FixedPointMap stepMap(Condition f) {
            return (x, theta) -> x.add(f.apply(x, theta).mul(damping));
        }
    }

    record Anderson(double tol, int maxIter, int history, double mixing, double ridge) implements RootSolver {
        public Anderson {
            Dense.checkStopping("Anderson", tol, maxIter);
            if (history < 1 || !(mixing > 0) || !(ridge >= 0)) {
                throw new IllegalArgumentException("Anderson: need history >= 1, mixing > 0, ridge >= 0; got " + history
                        + ", " + mixing + ", " + ridge);
            }
        }
    }

    /** {@code linear == null}: dense autodiff Jacobian and LU; otherwise matrix-free with that Krylov solver. */
    record Newton(double tol, int maxIter, LinearSolver linear) implements RootSolver {
        public Newton {
            Dense.checkStopping("Newton", tol, maxIter);
        }
    }

    record Broyden(double tol, int maxIter) implements RootSolver {
        public Broyden {
            Dense.checkStopping("Broyden", tol, maxIter);
        }
    }

    /**
     * Newton homotopy continuation. Differentiating {@code H(z(λ), λ) = F(z) − (1 − λ) F(z₀) = 0} in
     * {@code λ} gives {@code J(z) dz/dλ = −F(z₀)}: {@code steps} fixed RK4 steps take {@code z} from the
     * start {@code z₀} (where {@code H = 0}) to {@code z(1)}, a root of {@code F}, and up to
     * {@code corrector} Newton steps remove the integration error ({@code 0}: the path's end as it is).
     * The path exists while {@code J} stays invertible (for a DEQ cell {@code z − tanh(Wz + Ux)}, when
     * {@code I − diag(tanh′) W} is, e.g. {@code ‖W‖₂ < 1} or {@code W} negative semi-definite); a singular
     * Jacobian met on the path (a turning point) ends the solve unconverged, saying at which {@code λ}, and
     * a path that passes near one ends far from a root, which the unconverged result's reason reports.
     * Unlike a fixed-point iteration it needs no contraction. {@code iterations()} counts Jacobian
     * solves: the ODE solve's field evaluations (four per RK4 step and one at the start) plus the corrector's.
     *
     * @param linear null: dense autodiff Jacobian and LU; otherwise matrix-free solves from Jacobian-vector products
     */
    record Homotopy(double tol, int corrector, int steps, LinearSolver linear) implements RootSolver {
        public Homotopy {
            if (!(tol > 0) || corrector < 0 || steps < 1) {
                throw new IllegalArgumentException("Newton homotopy: need tol > 0, corrector >= 0 and steps >= 1; got tol " + tol
                        + ", corrector " + corrector + ", steps " + steps);
            }
        }

        /** This solver with {@code n} Newton corrector steps at most (0: the path's end alone). */
        public Homotopy withCorrector(int n) {
            return new Homotopy(tol, n, steps, linear);
        }
    }
}
