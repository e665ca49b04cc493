package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.reprolab.implicit.GradientMode;
import org.reprolab.implicit.ImplicitRoot;
import org.reprolab.implicit.InnerSolver;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * How to get the hypergradient {@code dL/dθ} of a {@link BilevelProblem}: the methods
 * {@code Lab.implicit} compares and {@code Lab.bilevel} descends with.
 *
 * <ul>
 * <li>{@link #implicit()}: the implicit function theorem at the inner solver's answer (Blondel et al.,
 * NeurIPS 2022); {@code "tol"} loosens the inner solver, {@code "steps"} replaces it by K steps of the
 * inner iteration map (implicit differentiation at the K-th iterate);
 * <li>{@link #unrolled(int)}: reverse mode through K steps of the iteration map (Maclaurin et al.,
 * ICML 2015; Franceschi et al., ICML 2017); {@code "steps"};
 * <li>{@link #oneStep()}: one recorded step at the solution (Jacobian-free backpropagation, Fung et al.,
 * AAAI 2022);
 * <li>{@link #finiteDifference(double)}: the central difference {@code (L(θ + hv) − L(θ − hv))/2h}
 * along a direction {@code v}: a directional derivative only (two inner solves), the classic check;
 * {@code "h"}.
 * </ul>
 * Each is a record; {@code sweep("tol" | "steps" | "h", ...)} sets the component of that name.
 */
public sealed interface Hypergradient permits Hypergradient.ImplicitDiff, Hypergradient.Unrolled, Hypergradient.OneStep,
        Hypergradient.FiniteDifference {

    /** Implicit differentiation through the problem's inner solver as given. */
    static ImplicitDiff implicit() {
        return new ImplicitDiff(Double.NaN, 0);
    }

    /** Implicit differentiation with the inner solver loosened to {@code tol} ({@link BilevelProblem#tolerance}). */
    static ImplicitDiff implicit(double tol) {
        return new ImplicitDiff(tol, 0);
    }

    static Unrolled unrolled(int steps) {
        return new Unrolled(steps);
    }

    static OneStep oneStep() {
        return new OneStep();
    }

    static FiniteDifference finiteDifference(double h) {
        return new FiniteDifference(h);
    }

    /**
     * One evaluation at θ: the directional derivative {@code ⟨dL/dθ, v⟩}, the full gradient (null for
     * finite differences), the loss, the inner solution, its forward residual {@code ‖F(x, θ)‖∞} and the
     * inner iterations (−1 when the inner solver does not say).
     */
    record Value(double directional, Tensor gradient, double loss, Tensor inner, double residual, int iterations) {}

    /** The hypergradient of {@code problem} at {@code θ = map(u)}, differentiated in {@code u}; {@code v} shaped like u. */
    Value at(BilevelProblem problem, Tensor u, UnaryOperator<Tensor> map, Tensor v);

    /** "implicit", "unrolled(30)": the name in tables, leaving out what a sweep sets. */
    String name(Set<String> swept);

    /** The same method with hyper-parameter {@code name} set. */
    Hypergradient with(String name, Object value);

    /** Differentiates {@code L(root(map(u)), map(u))} in u. */
    private static Value through(BilevelProblem p, ImplicitRoot root, Tensor u, UnaryOperator<Tensor> map, Tensor v, int iterations) {
        ImplicitRoot.Solution[] solution = new ImplicitRoot.Solution[1];
        var vg = Autodiff.valueAndGrad(w -> {
            Tensor theta = map.apply(w);
            solution[0] = root.solve(p.start(), theta);
            return p.outer().apply(solution[0].x(), theta);
        }, u);
        Tensor g = vg.grad();
        double directional;
        try (var _ = Autodiff.noGrad()) {
            directional = g.mul(v).sum().item();
        }
        return new Value(directional, g, vg.value().item(), solution[0].x().detach(), solution[0].residual(), iterations);
    }

    private static int integer(String method, String name, Object value) {
        if (value instanceof Integer i && i > 0) return i;
        if (value instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1) return n.intValue();
        throw new IllegalArgumentException(method + ": " + name + " must be an integer >= 1, got " + value);
    }

    private static double positive(String method, String name, Object value) {
        if (value instanceof Number n && n.doubleValue() > 0) return n.doubleValue();
        throw new IllegalArgumentException(method + ": " + name + " must be a number > 0, got " + value);
    }

    private static IllegalArgumentException unknown(String method, String name, String known) {
        return new IllegalArgumentException("the " + method + " hypergradient has no hyper-parameter '" + name + "'; it has " + known);
    }

    /**
     * Implicit differentiation; {@code tol} (NaN: as the problem's solver is) loosens the inner solve,
     * {@code steps} (0: unset) solves by that many steps of the iteration map from the start.
     */
    record ImplicitDiff(double tol, int steps) implements Hypergradient {
        public ImplicitDiff {
            if (!(Double.isNaN(tol) || tol > 0) || steps < 0) throw new IllegalArgumentException("implicit hypergradient: tol > 0, steps >= 0; got " + tol + ", " + steps);
        }

        @Override
        public Value at(BilevelProblem p, Tensor u, UnaryOperator<Tensor> map, Tensor v) {
            ImplicitRoot root = p.inner();
            if (steps > 0) {
                var step = p.requireStep("implicit (steps=" + steps + ")");
                Tensor start = p.requireStart("implicit (steps=" + steps + ")");
                InnerSolver iterate = (x0, th) -> {
                    Tensor x = start;
                    for (int k = 0; k < steps; k++) x = step.apply(x, th);
                    return x;
                };
                root = root.withSolver(iterate).withOnInexact(ImplicitRoot.OnInexact.IGNORE);
            } else if (!Double.isNaN(tol)) {
                if (p.loosened() == null) {
                    throw new IllegalStateException(p.name() + ": implicit(tol=" + Format.value(tol) + ") needs the inner solver at a tolerance; "
                            + "give it with problem.tolerance(tol -> solver)");
                }
                root = root.withSolver(p.loosened().apply(tol)).withOnInexact(ImplicitRoot.OnInexact.IGNORE);
            }
            return through(p, root, u, map, v, steps > 0 ? steps : -1);
        }

        @Override
        public String name(Set<String> swept) {
            List<String> parts = new ArrayList<>();
            if (!Double.isNaN(tol) && !swept.contains("tol")) parts.add("tol=" + Format.value(tol));
            if (steps > 0 && !swept.contains("steps")) parts.add("steps=" + steps);
            return parts.isEmpty() ? "implicit" : "implicit(" + String.join(", ", parts) + ")";
        }

        @Override
        public Hypergradient with(String name, Object value) {
            return switch (name) {
                case "tol" -> new ImplicitDiff(positive("implicit", name, value), steps);
                case "steps" -> new ImplicitDiff(tol, integer("implicit", name, value));
                default -> throw unknown("implicit", name, "tol, steps");
            };
        }
    }

    /** Reverse mode through {@code steps} iterations of the inner map from the start. */
    record Unrolled(int steps) implements Hypergradient {
        public Unrolled {
            if (steps < 1) throw new IllegalArgumentException("unrolled hypergradient: steps must be >= 1, got " + steps);
        }

        @Override
        public Value at(BilevelProblem p, Tensor u, UnaryOperator<Tensor> map, Tensor v) {
            var step = p.requireStep("unrolled");
            p.requireStart("unrolled");
            ImplicitRoot root = p.inner().withGradient(GradientMode.unrolled(step, steps)).withOnInexact(ImplicitRoot.OnInexact.IGNORE);
            return through(p, root, u, map, v, steps);
        }

        @Override
        public String name(Set<String> swept) {
            return swept.contains("steps") ? "unrolled" : "unrolled(" + steps + ")";
        }

        @Override
        public Hypergradient with(String name, Object value) {
            if (name.equals("steps")) return new Unrolled(integer("unrolled", name, value));
            throw unknown("unrolled", name, "steps");
        }
    }

    /** One recorded application of the inner map at the (detached) solution. */
    record OneStep() implements Hypergradient {
        @Override
        public Value at(BilevelProblem p, Tensor u, UnaryOperator<Tensor> map, Tensor v) {
            ImplicitRoot root = p.inner().withGradient(GradientMode.oneStep(p.requireStep("one-step")));
            return through(p, root, u, map, v, -1);
        }

        @Override
        public String name(Set<String> swept) {
            return "one-step";
        }

        @Override
        public Hypergradient with(String name, Object value) {
            throw unknown("one-step", name, "none");
        }
    }

    /** The central difference along {@code v}, step {@code h}; no gradient tensor. */
    record FiniteDifference(double h) implements Hypergradient {
        public FiniteDifference {
            if (!(h > 0)) throw new IllegalArgumentException("finite-difference hypergradient: h must be > 0, got " + h);
        }

        @Override
        public Value at(BilevelProblem p, Tensor u, UnaryOperator<Tensor> map, Tensor v) {
            try (var _ = Autodiff.noGrad()) {
                Tensor u0 = u.detach();
                double up = p.loss(map.apply(u0.add(v.mul(h))));
                double down = p.loss(map.apply(u0.sub(v.mul(h))));
                Tensor theta = map.apply(u0);
                Tensor x = p.solve(theta);
                double residual = maxAbs(p.inner().condition().apply(x, theta));
                return new Value((up - down) / (2 * h), null, p.outer().apply(x, theta).item(), x, residual, -1);
            }
        }

        private static double maxAbs(Tensor t) {
            return t.abs().max().item();
        }

        @Override
        public String name(Set<String> swept) {
            return swept.contains("h") ? "finite difference" : "finite difference(h=" + Format.value(h) + ")";
        }

        @Override
        public Hypergradient with(String name, Object value) {
            if (name.equals("h")) return new FiniteDifference(positive("finite difference", name, value));
            throw unknown("finite difference", name, "h");
        }
    }
}
