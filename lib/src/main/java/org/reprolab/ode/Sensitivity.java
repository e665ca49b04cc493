package org.reprolab.ode;

import org.reprolab.ode.control.StepController;

/**
 * How a tensor solve is differentiated (diffrax's {@code adjoint=} argument, set by {@link OdeOptions#sensitivity}, SciMLSensitivity's
 * {@code sensealg}). The first two differentiate the discrete solver (discretise-then-optimise: the exact
 * gradient of what was computed); the backsolve adjoint solves the continuous adjoint equations backwards
 * (optimise-then-discretise: approximate, O(1) memory, unstable on some problems; diffrax's documentation
 * advises against it, and so do we for anything but very long solves).
 */
public sealed interface Sensitivity {

    /** Nothing is recorded: the solve runs without autodiff (inference, or a {@code double[]} problem). */
    record None() implements Sensitivity {}

    /** Every tensor op of every accepted step stays recorded: memory grows with the number of steps. */
    record Direct() implements Sensitivity {}

    /**
     * The forward solve runs without recording and keeps the state every {@code every} accepted steps; the
     * backward pass recomputes one segment at a time with the recorded step sizes and back-propagates
     * through it (Griewank, <i>Achieving logarithmic growth of temporal and spatial complexity in reverse
     * automatic differentiation</i>, 1992; diffrax {@code RecursiveCheckpointAdjoint}). Memory: the
     * checkpoints plus one segment's graph. Gradients equal {@link Direct}'s.
     */
    record Checkpointed(int every) implements Sensitivity {
        public Checkpointed {
            if (every < 1) throw new IllegalArgumentException("checkpoint interval must be >= 1, got " + every);
        }
    }

    /**
     * The continuous adjoint by backsolve (Chen et al., <i>Neural Ordinary Differential Equations</i>, NeurIPS
     * 2018, Algorithm 1; torchdiffeq {@code odeint_adjoint}): the augmented state {@code [y, a, ∂L/∂θ]} with
     * {@code y' = f}, {@code a' = −aᵀ∂f/∂y}, {@code g' = −aᵀ∂f/∂θ} is integrated from the last save time
     * back to the first, adding ∂L/∂y(t_i) to a at each save time; each right-hand side is one vjp of f.
     *
     * @param controller tolerances and controller of the backward solves (null: the forward solve's)
     */
    record Backsolve(StepController controller) implements Sensitivity {}

    static Sensitivity none() { return new None(); }

    static Sensitivity direct() { return new Direct(); }

    static Sensitivity checkpointed(int every) { return new Checkpointed(every); }

    static Sensitivity backsolve() { return new Backsolve(null); }
}
