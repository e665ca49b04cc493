package org.reprolab.implicit;

/**
 * A solve that did not reach its tolerance: a linear solve (forward or in an implicit backward pass),
 * a root or fixed-point solve, an inner optimisation, Sinkhorn. Thrown instead of returning the last
 * iterate (or a zero initial guess) silently, the failure google/jaxopt#466 reports for JAXopt's CG
 * ("vanishing gradients"). The message names the method, the iterations, the residual reached and the
 * target; {@link #report()} carries the same as a value.
 */
public final class NotConvergedException extends RuntimeException {
    private final transient Convergence report;

    public NotConvergedException(String context, Convergence report) {
        super((context == null || context.isEmpty() ? "" : context + ": ") + report.describe());
        this.report = report;
    }

    public Convergence report() {
        return report;
    }
}
