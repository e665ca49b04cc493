package org.reprolab.ode.sde;

/**
 * The Gamma function in log space and the regularized lower incomplete Gamma function P(a, x): the pieces of the
 * optimal weights of the Markov approximation of fractional Brownian motion ({@link MarkovFbm}), where Γ(H + ½) and
 * P(H + ½, γT) appear. Lanczos (g = 7, nine terms, relative error about 1e-15) and, for P, the power series below
 * x = a + 1 and Lentz's continued fraction above (Press et al., <i>Numerical Recipes</i>, 3rd ed., §6.1–6.2).
 */
final class GammaFunction {
    private GammaFunction() {}

    private static final double[] LANCZOS = {
        0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
        12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};

    /** log Γ(x) for x > 0. */
    static double logGamma(double x) {
        if (!(x > 0)) throw new IllegalArgumentException("logGamma needs x > 0, got " + x);
        if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
        double z = x - 1, sum = LANCZOS[0], t = z + 7.5;
        for (int i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i] / (z + i);
        return 0.5 * Math.log(2 * Math.PI) + (z + 0.5) * Math.log(t) - t + Math.log(sum);
    }

    /** P(a, x) = γ(a, x)/Γ(a) for a > 0, x ≥ 0. */
    static double lowerRegularized(double a, double x) {
        if (!(a > 0) || !(x >= 0)) throw new IllegalArgumentException("P(a, x) needs a > 0 and x >= 0, got a=" + a + ", x=" + x);
        if (x == 0) return 0;
        if (Double.isInfinite(x)) return 1;
        double logPrefactor = a * Math.log(x) - x - logGamma(a);
        if (x < a + 1) {
            double term = 1 / a, sum = term;
            for (int n = 1; n < 10_000 && Math.abs(term) > 1e-17 * Math.abs(sum); n++) {
                term *= x / (a + n);
                sum += term;
            }
            return sum * Math.exp(logPrefactor);
        }
        double tiny = 1e-300, b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d;
        for (int i = 1; i < 10_000; i++) {
            double an = -i * (i - a);
            b += 2;
            d = an * d + b;
            if (Math.abs(d) < tiny) d = tiny;
            c = b + an / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double delta = d * c;
            h *= delta;
            if (Math.abs(delta - 1) < 1e-16) break;
        }
        return 1 - Math.exp(logPrefactor) * h;
    }
}
