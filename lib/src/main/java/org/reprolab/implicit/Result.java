package org.reprolab.implicit;

import org.reprolab.tensor.Tensor;

/**
 * The iterate a solver (linear, root, fixed point, minimiser, Sinkhorn) ended with and how it ended;
 * call {@link #orThrow} before trusting {@code x} (Lineax/Optimistix report failures as values or, with
 * {@code throw=True}, as errors; never silently).
 */
public record Result(Tensor x, Convergence convergence) {

    public boolean converged() {
        return convergence.converged();
    }

    public int iterations() {
        return convergence.iterations();
    }

    /** This result if it converged, else a {@link NotConvergedException} naming {@code context}. */
    public Result orThrow(String context) {
        if (!convergence.converged()) {
            throw new NotConvergedException(context, convergence);
        }
        return this;
    }
}
