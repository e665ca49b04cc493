package org.reprolab.implicit;

import java.util.function.UnaryOperator;
import org.reprolab.tensor.Tensor;

/**
 * Matrix-free linear solvers for {@code A x = b}, where {@code A} is any linear function
 * {@code Tensor -> Tensor} that keeps the shape of its argument (a Jacobian-vector product, a
 * Hessian-vector product, a matrix product). Vectors are whole tensors: inner products run over all
 * elements.
 *
 * <p>The family follows JAXopt's {@code linear_solve.py} and Lineax (Kidger): {@link Cg conjugate
 * gradients} for symmetric positive definite {@code A} (gradient conditions); {@link NormalCg CG on the
 * normal equations} for any {@code A} (JAXopt's default backward solver; squares the condition
 * number); {@link Gmres restarted GMRES} and {@link BiCgStab BiCGStab} for non-symmetric {@code A}
 * (fixed-point and KKT conditions); {@link Direct} materialises {@code A} with {@code n} products and
 * factors it (small systems, and the test oracle). Every solver takes a tolerance, an iteration cap, a
 * ridge {@code ρ} (solves {@code (A + ρI) x = b}, JAXopt's {@code ridge=}) and, for the Krylov methods,
 * a preconditioner {@code M ≈ A⁻¹} (CG: split-free PCG, Hestenes–Stiefel 1952; GMRES and BiCGStab:
 * right preconditioning, so the residual they test is the true one).
 *
 * <p>Stopping rule (JAX/SciPy): {@code ‖b − A x‖₂ ≤ max(rtol ‖b‖₂, atol)}, checked on the recomputed
 * residual, not only the recurrence. Failure is never silent: {@link #trySolve} returns a
 * {@link Result} whose {@link Convergence} says what happened, and {@link #solve} throws
 * {@link NotConvergedException} (Lineax's {@code throw=True}) instead of handing back an unconverged
 * iterate (google/jaxopt#466).
 *
 * <pre>{@code
 * Tensor a = Tensor.of(new double[][] {{4, 1}, {1, 3}});
 * Tensor x = LinearSolver.cg().solve(v -> a.matmul(v), Tensor.of(1, 2));   // [1/11, 7/11]
 * Result s = LinearSolver.gmres(20).withRtol(1e-12).trySolve(v -> a.matmul(v), Tensor.of(1, 2), null);
 * s.convergence().iterations();
 * }</pre>
 */
public sealed interface LinearSolver permits LinearSolver.Cg, LinearSolver.NormalCg, LinearSolver.Gmres,
        LinearSolver.BiCgStab, LinearSolver.Direct {

    /** Defaults: rtol 1e-10, atol 0, at most {@code max(50, 10 n)} iterations, no ridge, no preconditioner. */
    Options DEFAULT = new Options(1e-10, 0, 0, 0, null);

    /**
     * Tolerance, iteration cap ({@code 0} = {@code max(50, 10 n)}), ridge, and preconditioner
     * ({@code null} = none; a linear function approximating {@code (A + ρI)⁻¹}).
     */
    record Options(double rtol, double atol, int maxIter, double ridge, UnaryOperator<Tensor> preconditioner) {
        public Options {
            if (!(rtol >= 0) || !(atol >= 0) || (rtol == 0 && atol == 0)) {
                throw new IllegalArgumentException("linear solver: need rtol >= 0 and atol >= 0, not both 0; got rtol "
                        + rtol + ", atol " + atol);
            }
            if (maxIter < 0) {
                throw new IllegalArgumentException("linear solver: maxIter must be >= 0 (0 = automatic), got " + maxIter);
            }
            if (!(ridge >= 0)) {
                throw new IllegalArgumentException("linear solver: ridge must be >= 0, got " + ridge);
            }
        }

        int cap(int n) {
            return maxIter > 0 ? maxIter : Math.max(50, 10 * n);
        }
    }

    Options options();

    /** The same solver with other options. */
    default LinearSolver withOptions(Options o) {
        return switch (this) {
            case Cg _ -> new Cg(o);
            case NormalCg s -> new NormalCg(o, s.transpose());
            case Gmres s -> new Gmres(o, s.restart());
            case BiCgStab _ -> new BiCgStab(o);
            case Direct _ -> new Direct(o);
        };
    }

    /** Solves {@code (A + ρI) x = b} from {@code x0} ({@code null} = zero); reports, never throws on non-convergence. */
    default Result trySolve(UnaryOperator<Tensor> a, Tensor b, Tensor x0) {
        Options o = options();
        return switch (this) {
            case Cg _ -> Krylov.cg(Krylov.withRidge(a, o.ridge()), b, x0, o, "CG");
            case NormalCg s -> s.solveNormalEquations(a, b, x0);
            case Gmres s -> Krylov.gmres(Krylov.withRidge(a, o.ridge()), b, x0, o, s.restart());
            case BiCgStab _ -> Krylov.biCgStab(Krylov.withRidge(a, o.ridge()), b, x0, o);
            case Direct _ -> Krylov.direct(Krylov.withRidge(a, o.ridge()), b, o);
        };
    }

    /** Solves {@code (A + ρI) x = b}; throws {@link NotConvergedException} when the tolerance is not met. */
    default Tensor solve(UnaryOperator<Tensor> a, Tensor b) {
        return trySolve(a, b, null).orThrow("linear solve").x();
    }

    default LinearSolver withRtol(double rtol) {
        Options o = options();
        return withOptions(new Options(rtol, o.atol(), o.maxIter(), o.ridge(), o.preconditioner()));
    }

    default LinearSolver withAtol(double atol) {
        Options o = options();
        return withOptions(new Options(o.rtol(), atol, o.maxIter(), o.ridge(), o.preconditioner()));
    }

    default LinearSolver withMaxIter(int maxIter) {
        Options o = options();
        return withOptions(new Options(o.rtol(), o.atol(), maxIter, o.ridge(), o.preconditioner()));
    }

    default LinearSolver withRidge(double ridge) {
        Options o = options();
        return withOptions(new Options(o.rtol(), o.atol(), o.maxIter(), ridge, o.preconditioner()));
    }

    default LinearSolver withPreconditioner(UnaryOperator<Tensor> m) {
        Options o = options();
        return withOptions(new Options(o.rtol(), o.atol(), o.maxIter(), o.ridge(), m));
    }

    static Cg cg() {
        return new Cg(DEFAULT);
    }

    /** CG on {@code Aᵀ A x = Aᵀ b}; {@code Aᵀ} by reverse-mode autodiff of {@code A} (it must be written with tensor ops). */
    static NormalCg normalCg() {
        return new NormalCg(DEFAULT, null);
    }

    static Gmres gmres(int restart) {
        return new Gmres(DEFAULT, restart);
    }

    /** GMRES restarted every 20 iterations (Lineax's default). */
    static Gmres gmres() {
        return gmres(20);
    }

    static BiCgStab biCgStab() {
        return new BiCgStab(DEFAULT);
    }

    static Direct direct() {
        return new Direct(DEFAULT);
    }

    /** Conjugate gradients (Hestenes and Stiefel 1952) for symmetric positive definite {@code A}. */
    record Cg(Options options) implements LinearSolver {}

    /**
     * CG on the normal equations {@code (AᵀA + ρI) x = Aᵀ b} (CGNR), for any {@code A}; the residual it
     * tests is that of the normal equations, {@code ‖Aᵀ(b − Ax) − ρx‖}. {@code transpose} maps
     * {@code w -> Aᵀ w}; {@code null} derives it by autodiff (JAXopt's {@code solve_normal_cg} does the
     * same with {@code jax.linear_transpose}).
     */
    record NormalCg(Options options, UnaryOperator<Tensor> transpose) implements LinearSolver {
        public NormalCg withTranspose(UnaryOperator<Tensor> t) {
            return new NormalCg(options, t);
        }

        private Result solveNormalEquations(UnaryOperator<Tensor> a, Tensor b, Tensor x0) {
            UnaryOperator<Tensor> at = transpose != null ? transpose : Krylov.transposeOf(a, b);
            UnaryOperator<Tensor> normal = Krylov.withRidge(v -> at.apply(a.apply(v)), options.ridge());
            Tensor atb = at.apply(b);
            Options o = new Options(options.rtol(), options.atol(), options.maxIter(), 0, options.preconditioner());
            return Krylov.cg(normal, atb, x0, o, "normal-equation CG");
        }
    }

    /**
     * GMRES (Saad and Schultz 1986) restarted every {@code restart} iterations: Arnoldi with modified
     * Gram–Schmidt, Givens rotations on the Hessenberg matrix, right preconditioning.
     */
    record Gmres(Options options, int restart) implements LinearSolver {
        public Gmres {
            if (restart < 1) {
                throw new IllegalArgumentException("GMRES: restart must be >= 1, got " + restart);
            }
        }
    }

    /** BiCGStab (van der Vorst 1992), right-preconditioned; breakdowns ({@code r̂ᵀr ≈ 0}, {@code ω ≈ 0}) are reported. */
    record BiCgStab(Options options) implements LinearSolver {}

    /**
     * Materialises {@code A + ρI} column by column ({@code n} products) and solves by LU with partial
     * pivoting; a singular matrix is reported. For small systems and as the reference for the Krylov
     * methods. The preconditioner and iteration cap are ignored; the tolerance is still checked on the
     * residual.
     */
    record Direct(Options options) implements LinearSolver {}
}
