package org.reprolab.ode.control;

/**
 * Step-size control, separate from the solver and swappable (diffrax's {@code stepsize_controller=}); build
 * one with {@link Controllers}. Like diffrax's {@code PIDController(rtol, atol)}, a controller carries the
 * tolerances that scale the solver's error estimate.
 *
 * <ul>
 *   <li>{@link Adaptive}: accept a step when its scaled error norm is below 1 and rescale |h| by the
 *       {@link Gain}'s factor after every attempt.</li>
 *   <li>{@link Constant}: a fixed step (methods without an error estimate must use it); its tolerances only
 *       scale the error estimates a tensor solve records for regularisers.</li>
 * </ul>
 */
public sealed interface StepController permits StepController.Adaptive, StepController.Constant {

    /** Relative tolerance (> 0). */
    double rtol();

    /** Absolute tolerance (>= 0). */
    double atol();

    /**
     * Adaptive control at the tolerances (rtol, atol).
     *
     * @param gain the factor rule, or null for the solver's own default (PI(0.4, 0.3) for explicit Runge–Kutta,
     *             Gustafsson's predictive control for Rosenbrock)
     */
    record Adaptive(double rtol, double atol, Gain gain) implements StepController {
        public Adaptive {
            checkTolerances(rtol, atol);
        }
    }

    /** A constant step h > 0 (the last step is shortened to land on the end time). */
    record Constant(double h, double rtol, double atol) implements StepController {
        public Constant {
            if (!(h > 0) || !Double.isFinite(h)) throw new IllegalArgumentException("constant step must be finite and > 0, got " + h);
            checkTolerances(rtol, atol);
        }
    }

    /**
     * The rule that turns a scaled error norm into the factor for the next |h|.
     *
     * <ul>
     *   <li>{@link I}: integral control {@code safety·err^(-1/k)} (Hairer, Nørsett and Wanner, <i>Solving
     *       ODEs I</i>, §II.4). {@link Controllers#scipy} reproduces scipy {@code _ivp/rk.py} exactly (safety
     *       0.9, factors [0.2, 10], no growth right after a rejection, the error exponent {@code -1/(q+1)}).</li>
     *   <li>{@link PI}: proportional-integral control (Gustafsson 1991; Hairer and Wanner, <i>Solving ODEs
     *       II</i>, §IV.2; {@code dopri5.f}'s "Lund stabilisation"), in diffrax's (pcoeff, icoeff) convention:
     *       {@code factor = safety·err^(-β1)·errPrev^(β2)} with {@code β1 = (p+i)/k}, {@code β2 = p/k}.</li>
     *   <li>{@link Predictive}: Gustafsson's predictive controller (Gustafsson 1994; Hairer and Wanner, <i>Solving
     *       ODEs II</i>, §IV.8, eq. (8.21)), the rule of {@code rodas.f} and {@code radau5.f}, for stiff solvers.</li>
     * </ul>
     */
    sealed interface Gain permits I, PI, Predictive {
        /**
         * The factor for the next |h|.
         *
         * @param err               scaled error norm of this attempt
         * @param errPrev           max(err, 1e-4) of the last accepted step (1e-4 before the first)
         * @param hRatio            |h| of this attempt over |h| of the last accepted step (NaN before the first)
         * @param accepted          whether this attempt was accepted
         * @param previousRejected  whether an earlier attempt for the same step was rejected
         * @param k                 control order (error-estimator order + 1)
         */
        double factor(double err, double errPrev, double hRatio, boolean accepted, boolean previousRejected, int k);

        /** The smallest factor it applies after a rejection (used after a non-finite attempt). */
        double minFactor();
    }

    /** Integral control. */
    record I(double safety, double minFactor, double maxFactor) implements Gain {
        public I {
            checkFactors(safety, minFactor, maxFactor);
        }

        @Override
        public double factor(double err, double errPrev, double hRatio, boolean accepted, boolean previousRejected, int k) {
            double f = err == 0 ? maxFactor : safety * Math.pow(err, -1.0 / k);
            if (accepted) {
                f = Math.min(maxFactor, f);
                return previousRejected ? Math.min(1, f) : f;
            }
            return Math.max(minFactor, f);
        }
    }

    /** Proportional-integral control, diffrax convention (pcoeff, icoeff). */
    record PI(double pcoeff, double icoeff, double safety, double minFactor, double maxFactor) implements Gain {
        public PI {
            checkFactors(safety, minFactor, maxFactor);
            if (!(pcoeff >= 0) || !(icoeff > 0)) throw new IllegalArgumentException("PI needs pcoeff >= 0 and icoeff > 0");
        }

        @Override
        public double factor(double err, double errPrev, double hRatio, boolean accepted, boolean previousRejected, int k) {
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

    /**
     * Gustafsson's predictive control as in {@code rodas.f} and {@code radau5.f}: after an accepted step the smaller of
     * the classical factor {@code safety·err^(-1/k)} and the predictive one
     * {@code safety·err^(-1/k)·(h/h_prev)·(err_prev/err)^(1/k)}, which damps the step-size oscillation of integral
     * control on stiff problems (where the error estimate does not behave like {@code C·h^k}); after a rejection
     * the classical factor, never growing after a rejection.
     *
     * @param hold factors in [1, hold) keep h unchanged ({@code radau5.f}'s QUOT2 = 1.2, so that an implicit method
     *             can reuse its LU factorisations); 1 for none
     */
    record Predictive(double safety, double minFactor, double maxFactor, double hold) implements Gain {
        public Predictive {
            checkFactors(safety, minFactor, maxFactor);
            if (!(hold >= 1 && hold <= maxFactor)) throw new IllegalArgumentException("hold must be in [1, maxFactor], got " + hold);
        }

        @Override
        public double factor(double err, double errPrev, double hRatio, boolean accepted, boolean previousRejected, int k) {
            if (err == 0) return accepted ? (previousRejected ? 1 : maxFactor) : minFactor;
            double f = safety * Math.pow(err, -1.0 / k);
            if (!accepted) return Math.max(minFactor, Math.min(1, f));
            if (!Double.isNaN(hRatio)) f *= Math.min(1, hRatio * Math.pow(errPrev / err, 1.0 / k));
            f = Math.max(minFactor, Math.min(maxFactor, f));
            if (f >= 1 && f < hold) return 1;
            return previousRejected ? Math.min(1, f) : f;
        }
    }

    private static void checkTolerances(double rtol, double atol) {
        if (!(rtol > 0) || Double.isInfinite(rtol)) throw new IllegalArgumentException("rtol must be finite and > 0, got " + rtol);
        if (!(atol >= 0) || Double.isInfinite(atol)) throw new IllegalArgumentException("atol must be finite and >= 0, got " + atol);
    }

    private static void checkFactors(double safety, double minFactor, double maxFactor) {
        if (!(safety > 0 && safety <= 1)) throw new IllegalArgumentException("safety must be in (0, 1], got " + safety);
        if (!(minFactor > 0 && minFactor < 1)) throw new IllegalArgumentException("minFactor must be in (0, 1), got " + minFactor);
        if (!(maxFactor > 1) || Double.isInfinite(maxFactor))
            throw new IllegalArgumentException("maxFactor must be finite and > 1, got " + maxFactor);
    }
}
