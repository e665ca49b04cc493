package org.reprolab.ode;

import java.util.function.DoubleUnaryOperator;

/** Brent's root finder (R. P. Brent, <i>Algorithms for Minimization without Derivatives</i>, 1973, ch. 4, "zero"). */
final class Roots {
    private Roots() {}

    /** A root of g in [a, b] where g(a)·g(b) <= 0, to within ~4 ulps of the endpoints (as scipy's brentq xtol). */
    static double brent(DoubleUnaryOperator g, double a, double b, double fa, double fb) {
        if (fa == 0) return a;
        if (fb == 0) return b;
        double c = a, fc = fa, d = b - a, e = d;
        for (int iter = 0; iter < 200; iter++) {
            if ((fb > 0) == (fc > 0)) {
                c = a; fc = fa; d = b - a; e = d;
            }
            if (Math.abs(fc) < Math.abs(fb)) {
                a = b; b = c; c = a;
                fa = fb; fb = fc; fc = fa;
            }
            double tol = 4 * Math.ulp(Math.max(Math.abs(b), Math.abs(c))) + 1e-300;
            double m = 0.5 * (c - b);
            if (Math.abs(m) <= tol || fb == 0) return b;
            if (Math.abs(e) >= tol && Math.abs(fa) > Math.abs(fb)) {
                double p, q, r, sv = fb / fa;
                if (a == c) {
                    p = 2 * m * sv;
                    q = 1 - sv;
                } else {
                    q = fa / fc;
                    r = fb / fc;
                    p = sv * (2 * m * q * (q - r) - (b - a) * (r - 1));
                    q = (q - 1) * (r - 1) * (sv - 1);
                }
                if (p > 0) q = -q; else p = -p;
                if (2 * p < Math.min(3 * m * q - Math.abs(tol * q), Math.abs(e * q))) {
                    e = d;
                    d = p / q;
                } else {
                    d = m;
                    e = m;
                }
            } else {
                d = m;
                e = m;
            }
            a = b;
            fa = fb;
            b += Math.abs(d) > tol ? d : (m > 0 ? tol : -tol);
            fb = g.applyAsDouble(b);
        }
        return b;
    }
}
