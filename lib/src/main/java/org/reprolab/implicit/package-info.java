/**
 * Implicit differentiation: differentiate the output of any solver through its optimality
 * condition (Blondel et al., "Efficient and Modular Implicit Differentiation", NeurIPS 2022,
 * arXiv:2105.15183; JAXopt, Optimistix/Lineax, OTT-JAX).
 *
 * <ul>
 * <li>{@link org.reprolab.implicit.LinearSolver}: matrix-free CG, normal-equation CG, restarted GMRES,
 * BiCGStab and a direct LU, with preconditioning, ridge, tolerances, and {@link org.reprolab.implicit.Result}
 * / {@link org.reprolab.implicit.NotConvergedException} instead of silent failure;
 * <li>{@link org.reprolab.implicit.Implicit} / {@link org.reprolab.implicit.ImplicitRoot}: root, fixed-point
 * and argmin wrappers whose derivatives (reverse, forward, higher order) come from the implicit
 * function theorem, or, by {@link org.reprolab.implicit.GradientMode}, unrolled through the solver's iteration
 * map or through one step at the solution (for side-by-side comparisons);
 * <li>{@link org.reprolab.implicit.RootSolver} (fixed-point iteration, Anderson, Newton, Newton–Krylov,
 * Broyden) and {@link org.reprolab.implicit.Minimizer} (gradient descent, L-BFGS, ISTA/FISTA, mirror
 * descent), each with its optimality condition;
 * <li>{@link org.reprolab.implicit.Projections} and {@link org.reprolab.implicit.Prox} with exact Jacobians;
 * <li>{@link org.reprolab.implicit.Sinkhorn} (log-domain entropic OT, implicit and envelope gradients),
 * {@link org.reprolab.implicit.SinkhornNewtonSparse} (Tang et al., ICLR 2024: Sinkhorn warm-up, then Newton
 * steps with a sparsified Hessian), {@link org.reprolab.implicit.SparsityConstrainedOt} (Liu et al.,
 * ICLR 2023: quadratic OT with at most k nonzeros per plan column, by its semi-dual; implicit gradients),
 * {@link org.reprolab.implicit.Hungarian} (exact assignment OT, the unregularised reference) and
 * {@link org.reprolab.implicit.DeqLayer} (a deep equilibrium layer);
 * <li>{@link org.reprolab.implicit.EquilibriumPropagation}: generalized equilibrium propagation's gradient estimate
 * from nudged equilibria beside the implicit (recurrent-backprop) gradient, and the Jacobian homeostatic loss
 * (Laborieux and Zenke, ICLR 2024);
 * <li>{@link org.reprolab.implicit.TrajectoryMatching} and {@link org.reprolab.implicit.ExpertTrajectory}: dataset
 * distillation by matching expert training trajectories (MTT, Cazenavette et al., CVPR 2022) with AST's smooth experts
 * and student-side changes (Shen et al., 2023): the bilevel hypergradient by unrolling rather than implicitly.
 * </ul>
 *
 * <pre>{@code
 * // ridge regression w*(λ) = argmin ½‖Xw − y‖² + (n λ/2)‖w‖², and its validation hypergradient
 * Condition f = (w, th) -> X.t().matmul(X.matmul(w).sub(y)).add(w.mul(th[0]).mul(n));
 * InnerSolver cg = (w0, th) -> LinearSolver.cg()
 *         .solve(v -> X.t().matmul(X.matmul(v)).add(v.mul(n * th[0].item())), X.t().matmul(y));
 * ImplicitRoot ridge = Implicit.root(f, cg).withLinearSolver(LinearSolver.cg());
 * Tensor dLdLam = Autodiff.grad(lam -> ridge.apply(null, lam).matmul(Xv.t()).sub(yv).square().mean(),
 *         Tensor.scalar(0.1));
 * }</pre>
 */
package org.reprolab.implicit;
