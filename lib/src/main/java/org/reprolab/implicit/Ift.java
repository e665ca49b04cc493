package org.reprolab.implicit;

import java.util.Arrays;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * The implicit-function-theorem rules behind {@link ImplicitRoot}. At a root {@code F(x*, θ) = 0}:
 * {@code ∂₁F · dx* = −∂₂F · dθ}.
 *
 * <ul>
 * <li>Reverse (VJP) for a cotangent {@code w}: solve {@code (∂₁F)ᵀ u = −w}, then
 * {@code θ̄ = uᵀ ∂₂F} (one vjp of F). JAXopt's {@code root_vjp}.
 * <li>The adjoint {@code u} is itself recorded as an implicit root: of the linear condition
 * {@code G(u; w, x, θ) = (∂₁F(x, θ))ᵀ u + w}. Its own backward is this same rule applied to G, so
 * gradients of gradients (hypergradients of hypergradients, Hessians) and forward mode through the
 * double-vjp of {@link Autodiff#jvp} all work, each level costing one more linear solve, now with
 * {@code ∂₁F} untransposed. This is the "one rule, all modes" of Optimistix's {@code implicit_jvp}
 * (a JVP over a transposable linear solve), built the other way round.
 * <li>Forward (JVP) directly: solve {@code ∂₁F t = −∂₂F θ̇} (JAXopt's {@code root_jvp}).
 * </ul>
 */
final class Ift {
    private Ift() {}

    static final String SINGULAR_HINT = "∂F/∂x may be singular or badly conditioned at the solution (non-unique"
            + " solutions, a gauge freedom, an inexact forward solve): add a ridge (linearSolver.withRidge),"
            + " fix the gauge, loosen or change the linear solver";

    static Tensor[] tail(Tensor[] xs, int from) {
        return Arrays.copyOfRange(xs, from, xs.length);
    }

    static Tensor[] prepend(Tensor head, Tensor... rest) {
        Tensor[] all = new Tensor[rest.length + 1];
        all[0] = head;
        System.arraycopy(rest, 0, all, 1, rest.length);
        return all;
    }

    static Tensor[] detached(Tensor[] xs) {
        Tensor[] d = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            d[i] = xs[i].detach();
        }
        return d;
    }

    /** S(u, x, θ...) = ⟨u, F(x, θ)⟩, whose partials are the vjps of F. */
    private static org.reprolab.tensor.Autodiff.MultiFunction pairing(Condition f) {
        return xs -> xs[0].mul(f.apply(xs[1], tail(xs, 2))).sum();
    }

    private static int[] range(int from, int to) {
        int[] r = new int[to - from];
        for (int i = 0; i < r.length; i++) {
            r[i] = from + i;
        }
        return r;
    }

    /** Cotangents for θ of the output x = x*(θ), given its cotangent w; differentiable when grad mode is on. */
    static Tensor[] vjp(String name, Condition f, LinearSolver ls, Tensor w, Tensor x, Tensor[] theta) {
        Tensor u = adjoint(name, f, ls, w, x, theta);
        Tensor[] args = prepend(u, prepend(x, theta));
        return Partials.partials(name + ".∂θ", pairing(f), args, range(2, args.length));
    }

    /** u with (∂₁F)ᵀ u = −w, recorded as the root of G(u; w, x, θ) = (∂₁F)ᵀ u + w. */
    private static Tensor adjoint(String name, Condition f, LinearSolver ls, Tensor w, Tensor x, Tensor[] theta) {
        Tensor u;
        try (var _ = Autodiff.noGrad()) {
            u = ls.trySolve(Linearization.vjpOperator(f, x, theta), w.detach().neg(), null)
                    .orThrow(name + ": implicit backward (VJP) linear solve (∂F/∂x)ᵀ u = −w; " + SINGULAR_HINT)
                    .x();
        }
        Condition g = adjointCondition(name, f);
        Tensor[] params = prepend(w, prepend(x, theta));
        return Autodiff.custom(name + ".adjoint", u, (gu, out) -> vjp(name + "'", g, ls, gu, out, params), params);
    }

    /** G(u; w, x, θ) = (∂₁F(x, θ))ᵀ u + w, linear in u with ∂G/∂u = (∂₁F)ᵀ. */
    private static Condition adjointCondition(String name, Condition f) {
        return (u, ps) -> {
            Tensor[] args = prepend(u, tail(ps, 1));
            return Partials.partials(name + ".∂x", pairing(f), args, new int[] {1})[0].add(ps[0]);
        };
    }

    /** t = (dx*)(θ̇), the tangent of the solution, by one solve with ∂₁F; plain values. */
    static Tensor jvp(String name, Condition f, LinearSolver ls, Tensor x, Tensor[] theta, Tensor[] thetaDot) {
        if (thetaDot.length != theta.length) {
            throw new IllegalArgumentException(name + ": jvp needs one tangent per parameter: " + theta.length
                    + " parameters, " + thetaDot.length + " tangents");
        }
        try (var _ = Autodiff.noGrad()) {
            Tensor[] tangents = prepend(Tensor.zerosLike(x), thetaDot);
            Tensor rhs = Autodiff.jvpAll(xs -> f.apply(xs[0], tail(xs, 1)), prepend(x.detach(), detached(theta)), tangents)
                    .jvp();
            return ls.trySolve(Linearization.jvpOperator(f, x, theta), rhs.neg(), null)
                    .orThrow(name + ": implicit forward-mode (JVP) linear solve (∂F/∂x) t = −(∂F/∂θ) θ̇; " + SINGULAR_HINT)
                    .x();
        }
    }
}
