package org.reprolab.implicit;

/**
 * How an iterative solve ended: the method, whether it met its tolerance, the iterations it used, the
 * residual it reached (the method's own measure, named in {@code measure}) and the target it needed,
 * and a reason when it stopped early (breakdown, an operator that is not positive definite, a singular
 * matrix, a non-finite value).
 */
public record Convergence(String method, boolean converged, int iterations, double residual, double target,
                          String measure, String reason) {

    public String describe() {
        String s = method + (converged ? " converged" : " did not converge")
                + (iterations >= 0 ? " after " + iterations + " iterations" : "") + ": " + measure + " = " + String.format("%.3e", residual) + (converged ? " <= " : " > target ")
                + String.format("%.3e", target);
        return reason == null || reason.isEmpty() ? s : s + " (" + reason + ")";
    }
}
