package org.reprolab.ode;

/**
 * Step-size control, separate from the method and swappable. The driver calls {@link #factor} after every
 * attempted step with the scaled error norm {@code err} (accept when {@code err < 1}) and multiplies |h|
 * by the result.
 *
 * <ul>
 *   <li>{@link I}: integral control {@code safety·err^(-1/k)} (Hairer, Nørsett and Wanner, <i>Solving
 *       ODEs I</i>, §II.4). {@link #scipy()} reproduces scipy {@code _ivp/rk.py} exactly (safety 0.9, factors
 *       [0.2, 10], no growth right after a rejection, the error exponent {@code -1/(q+1)}).</li>
 *   <li>{@link PI}: proportional-integral control (Gustafsson 1991; Hairer and Wanner, <i>Solving ODEs II</i>,
 *       §IV.2; {@code dopri5.f}'s "Lund stabilisation"), in diffrax's (pcoeff, icoeff) convention:
 *       {@code factor = safety·err^(-β1)·errPrev^(β2)} with {@code β1 = (p+i)/k}, {@code β2 = p/k}.
 *       {@link #hairer()} is {@code dopri5.f} (β1 = 0.17, β2 = 0.04 at k = 5); {@link #pi()} is (0.4, 0.3),
 *       OrdinaryDiffEq's Tsit5 default (β1 = 0.14, β2 = 0.08).</li>
 *   <li>{@link Constant}: a fixed step (methods without an error estimate must use it).</li>
 * </ul>
 */
public sealed interface StepController {

    /**
     * The factor for the next |h|.
     *
     * @param err               scaled error norm of this attempt
     * @param errPrev           max(err, 1e-4) of the last accepted step (1e-4 before the first)
     * @param accepted          whether this attempt was accepted
     * @param previousRejected  whether an earlier attempt for the same step was rejected
     * @param k                 control order (error-estimator order + 1)
     */
    double factor(double err, double errPrev, boolean accepted, boolean previousRejected, int k);

    /** The smallest factor it applies after a rejection (used after a non-finite attempt). */
    double minFactor();

    /** scipy's controller ({@code _ivp/rk.py}): I control, safety 0.9, factors in [0.2, 10]. */
    static StepController scipy() {
        return new I(0.9, 0.2, 10);
    }

    /** Hairer's {@code dopri5.f} PI controller: β = 0.04, safety 0.9, factors in [0.2, 10]. */
    static StepController hairer() {
        return new PI(0.2, 0.65, 0.9, 0.2, 10);
    }

    /** PI(0.4, 0.3), safety 0.9, factors in [0.2, 10] (diffrax's suggestion, OrdinaryDiffEq's Tsit5 default). */
    static StepController pi() {
        return new PI(0.4, 0.3, 0.9, 0.2, 10);
    }

    static StepController constant(double h) {
        return new Constant(h);
    }

    /** Integral controller. */
    record I(double safety, double minFactor, double maxFactor) implements StepController {
        public I {
            check(safety, minFactor, maxFactor);
        }

        @Override
        public double factor(double err, double errPrev, boolean accepted, boolean previousRejected, int k) {
            double f = err == 0 ? maxFactor : safety * Math.pow(err, -1.0 / k);
            if (accepted) {
                f = Math.min(maxFactor, f);
                return previousRejected ? Math.min(1, f) : f;
            }
            return Math.max(minFactor, f);
        }
    }

    /** Proportional-integral controller, diffrax convention (pcoeff, icoeff). */
    record PI(double pcoeff, double icoeff, double safety, double minFactor, double maxFactor) implements StepController {
        public PI {
            check(safety, minFactor, maxFactor);
            if (!(pcoeff >= 0) || !(icoeff > 0)) throw new IllegalArgumentException("PI needs pcoeff >= 0 and icoeff > 0");
        }

        @Override
        public double factor(double err, double errPrev, boolean accepted, boolean previousRejected, int k) {
            double beta1 = (pcoeff + icoeff) / k, beta2 = pcoeff / k;
            if (err == 0) return accepted ? (previousRejected ? 1 : maxFactor) : minFactor;
            if (accepted) {
                double f = safety * Math.pow(err, -beta1) * Math.pow(errPrev, beta2);
                f = Math.max(minFactor, Math.min(maxFactor, f));
                return previousRejected ? Math.min(1, f) : f;
            }
            return Math.max(minFactor, safety * Math.pow(err, -beta1));
        }
    }

    /** A constant step h > 0 (the last step is shortened to land on the end time). */
    record Constant(double h) implements StepController {
        public Constant {
            if (!(h > 0) || !Double.isFinite(h)) throw new IllegalArgumentException("constant step must be finite and > 0, got " + h);
        }

        @Override
        public double factor(double err, double errPrev, boolean accepted, boolean previousRejected, int k) {
            return 1;
        }

        @Override
        public double minFactor() {
            return 1;
        }
    }

    private static void check(double safety, double minFactor, double maxFactor) {
        if (!(safety > 0 && safety <= 1)) throw new IllegalArgumentException("safety must be in (0, 1], got " + safety);
        if (!(minFactor > 0 && minFactor < 1)) throw new IllegalArgumentException("minFactor must be in (0, 1), got " + minFactor);
        if (!(maxFactor > 1) || Double.isInfinite(maxFactor))
            throw new IllegalArgumentException("maxFactor must be finite and > 1, got " + maxFactor);
    }
}
