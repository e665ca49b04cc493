package org.reprolab.tensor;

/** Special functions the JDK lacks. */
final class Special {
    private Special() {}

    private static final double TWO_OVER_SQRT_PI = 2 / Math.sqrt(Math.PI);

    /**
     * The error function to about 1e-16, from the all-positive series
     * erf(x) = 2/sqrt(pi) e^{-x^2} sum_n 2^n x^{2n+1} / (1*3*...*(2n+1)) (Abramowitz and Stegun 7.1.6),
     * which has no cancellation; |x| >= 6 rounds to +-1 in double precision.
     */
    static double erf(double x) {
        if (Double.isNaN(x)) {
            return x;
        }
        double ax = Math.abs(x);
        if (ax >= 6) {
            return Math.signum(x);
        }
        double x2 = ax * ax;
        double term = ax;
        double sum = ax;
        for (int n = 0; n < 500; n++) {
            term *= 2 * x2 / (2 * n + 3);
            sum += term;
            if (term < 1e-17 * sum) {
                break;
            }
        }
        double r = TWO_OVER_SQRT_PI * Math.exp(-x2) * sum;
        return Math.copySign(Math.min(r, 1.0), x);
    }
}
