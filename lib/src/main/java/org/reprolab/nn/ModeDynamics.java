package org.reprolab.nn;

/**
 * The closed-form learning curve of one input-output mode of a two-layer linear network under
 * gradient flow from the decoupled, balanced initial condition (Saxe, McClelland, Ganguli, ICLR 2014,
 * §2): with whitened inputs, singular value {@code s} of the input-output correlation and time
 * constant {@code tau} (1/learning rate, in steps, for the mean-squared loss ½‖W − Σ31‖²), the mode
 * strength obeys {@code tau du/dt = 2u(s − u)}, a logistic curve from {@code u0} to {@code s}.
 *
 * @param s   the mode's target singular value (> 0)
 * @param u0  its initial strength (0 < u0 < s)
 * @param tau the time constant: 1/learning rate for gradient descent counted in steps
 */
public record ModeDynamics(double s, double u0, double tau) {

    public ModeDynamics {
        if (!(s > 0) || !(u0 > 0 && u0 < s) || !(tau > 0)) {
            throw new IllegalArgumentException("ModeDynamics: need s > 0, 0 < u0 < s, tau > 0; got s=" + s + ", u0=" + u0 + ", tau=" + tau);
        }
    }

    /** u(t) = s e^{2st/τ} / (e^{2st/τ} − 1 + s/u0). */
    public double strength(double t) {
        double e = Math.exp(2 * s * t / tau);
        return Double.isInfinite(e) ? s : s * e / (e - 1 + s / u0);
    }

    /** The curve at {@code 0, 1, ..., steps}. */
    public double[] curve(int steps) {
        double[] u = new double[steps + 1];
        for (int t = 0; t <= steps; t++) u[t] = strength(t);
        return u;
    }

    /** The time to go from u0 to {@code uf}: (τ/2s) ln[uf (s − u0) / (u0 (s − uf))]. */
    public double timeTo(double uf) {
        if (!(uf > u0 && uf < s)) throw new IllegalArgumentException("ModeDynamics.timeTo: need u0 < uf < s, got uf=" + uf);
        return tau / (2 * s) * Math.log(uf * (s - u0) / (u0 * (s - uf)));
    }

    /** The time to half-learning, u = s/2: (τ/2s) ln((s − u0)/u0). */
    public double halfTime() {
        return timeTo(s / 2);
    }
}
