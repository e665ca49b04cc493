package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * How an {@link ImplicitRoot} differentiates its solution (the gradient modes the research notes §1.7
 * ask for, so that notebooks can compare them side by side; JAXopt's {@code implicit_diff=True|False},
 * Theseus's {@code BackwardMode.IMPLICIT | UNROLL}, POT's {@code grad='last_step'}):
 *
 * <ul>
 * <li>{@link ImplicitDiff} (default): the implicit function theorem at the solution the inner solver
 * returned; memory independent of the iterations; exact for an exact solution, {@code O(‖x̂ − x*‖)} off
 * otherwise (Blondel et al. 2022, Thm. 1).
 * <li>{@link Unrolled}: no inner solver; run {@code iterations} steps of the solver's own iteration map
 * {@code x ← step(x, θ)} from {@code x0} with the autodiff recording, and differentiate that program
 * (Maclaurin, Duvenaud and Adams, ICML 2015; Franceschi et al., ICML 2017, reverse-mode hypergradients).
 * The value is the last iterate; memory grows with {@code iterations}. For a contraction its derivative
 * converges to the implicit one as the iterate converges (Gilbert 1992; Ablin, Peyré and Moreau,
 * ICML 2020).
 * <li>{@link OneStep}: solve without recording, then record one application of {@code step} at the
 * (detached) solution: the derivative is {@code ∂step/∂θ} only. With a Newton step whose matrix is
 * {@code (∂F/∂x)⁻¹} at the solution this <em>is</em> the implicit gradient (what Theseus's IMPLICIT mode
 * does with one Gauss–Newton step); with a gradient or fixed-point step it is the Jacobian-free
 * approximation of Fung et al. (AAAI 2022, "JFB: Jacobian-free backpropagation for implicit networks"),
 * biased by the neglected {@code (I − ∂step/∂x)⁻¹} factor.
 * </ul>
 * Iteration maps: {@link Minimizer.GradientDescent#stepMap}, {@link RootSolver.FixedPointIteration#stepMap},
 * {@link Implicit#proxGradMap}, or any {@link FixedPointMap} written with tensor ops.
 */
public sealed interface GradientMode permits GradientMode.ImplicitDiff, GradientMode.Unrolled, GradientMode.OneStep {

    static ImplicitDiff implicit() {
        return new ImplicitDiff();
    }

    static Unrolled unrolled(FixedPointMap step, int iterations) {
        return new Unrolled(step, iterations);
    }

    static OneStep oneStep(FixedPointMap step) {
        return new OneStep(step);
    }

    /** A short name for tables. */
    String label();

    record ImplicitDiff() implements GradientMode {
        @Override
        public String label() {
            return "implicit";
        }
    }

    record Unrolled(FixedPointMap step, int iterations) implements GradientMode {
        public Unrolled {
            if (step == null || iterations < 1) {
                throw new IllegalArgumentException("unrolled gradient: needs an iteration map and iterations >= 1, got "
                        + iterations);
            }
        }

        @Override
        public String label() {
            return "unrolled(" + iterations + ")";
        }

        /** The recorded iterates' last, from {@code x0} (detached: no gradient flows to the start). */
        public Tensor run(Tensor x0, Tensor[] theta) {
            Tensor x = x0.detach();
            for (int k = 0; k < iterations; k++) {
                Dense.checkInterrupt("unrolled gradient");
                x = step.apply(x, theta);
            }
            return x;
        }
    }

    record OneStep(FixedPointMap step) implements GradientMode {
        public OneStep {
            if (step == null) {
                throw new IllegalArgumentException("one-step gradient: needs an iteration map");
            }
        }

        @Override
        public String label() {
            return "one-step";
        }
    }
}
