package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.List;

/**
 * Adams–Bashforth-type samplers on ε̂ through the DDIM transfer: PLMS (diffusers
 * {@code PNDMScheduler.step_plms} with {@code skip_prk_steps}) and GHVB ({@code sWizad/momentum-diffusion
 * momentum_scheduler.py}, {@code AdamBmixer} and {@code GHVBScheduler}).
 */
final class Adams {
    private Adams() {}

    /** The DDIM (η = 0) transfer of x from t to s with noise ε (PNDM eq. 9 is the same map). */
    static double[] transfer(Run r, double[] x, double[] e, double t, double s) {
        double h = r.lambda(s) - r.lambda(t);
        return Run.lin(Math.exp(r.s.logAlpha(s) - r.s.logAlpha(t)), x, -r.sigma(s) * Math.expm1(h), e);
    }

    static double[] plms(Run r, double[] x, double[] ts) {
        List<double[]> ets = new ArrayList<>();
        for (int k = 0; k + 1 < ts.length; k++) {
            double t = ts[k], s = ts[k + 1];
            double[] e = r.eps(x, t);
            if (k == 0) {
                double[] xp = transfer(r, x, e, t, s);
                double[] e2 = r.eps(xp, s);
                ets.add(e);
                x = transfer(r, x, Run.lin(0.5, e, 0.5, e2), t, s);
                continue;
            }
            ets.add(e);
            if (ets.size() > 4) ets.removeFirst();
            x = transfer(r, x, mix(ets, 1.0, ets.size()), t, s);
        }
        return x;
    }

    /** GHVB of (fractional) order q. */
    static double[] ghvb(Run r, double[] x, double[] ts, double q) {
        double frac = q - Math.floor(q);
        int p = frac > 0 ? (int) Math.floor(q) + 1 : (int) q;
        double beta = frac > 0 ? frac : 1;
        List<double[]> ets = new ArrayList<>();
        double[] vel = null;
        for (int k = 0; k + 1 < ts.length; k++) {
            double t = ts[k], s = ts[k + 1];
            double[] e = r.eps(x, t);
            vel = vel == null ? e : Run.lin(1 - beta, vel, beta, e);
            ets.add(vel);
            if (ets.size() > p) ets.removeFirst();
            double[] prime = mix(ets, beta, Math.min(p, ets.size()));
            // "scale" mode: x_s = (x/α_t + (σ̃_s − σ̃_t)·prime)·α_s
            double at = r.alpha(t), as = r.alpha(s);
            double dg = r.s.sigmaTilde(s) - r.s.sigmaTilde(t);
            x = Run.lin(as / at, x, as * dg, prime);
        }
        return x;
    }

    /** {@code AdamBmixer}: generalised AB weights of the given order over the newest entries, divided by b. */
    static double[] mix(List<double[]> ets, double b, int order) {
        int n = ets.size();
        double[] w = switch (order) {
            case 1 -> new double[] {b};
            case 2 -> new double[] {(2 + b) / 2, -(2 - b) / 2};
            case 3 -> new double[] {(18 + 5 * b) / 12, -(24 - 8 * b) / 12, (6 - b) / 12};
            case 4 -> new double[] {(46 + 9 * b) / 24, -(78 - 19 * b) / 24, (42 - 5 * b) / 24, -(10 - b) / 24};
            case 5 -> new double[] {(1650 + 251 * b) / 720, -(3420 - 646 * b) / 720, (2880 - 264 * b) / 720, -(1380 - 106 * b) / 720, (270 - 19 * b) / 720};
            default -> throw new IllegalArgumentException("Adams order " + order);
        };
        double[] o = new double[ets.getLast().length];
        for (int j = 0; j < w.length; j++) Run.axpy(w[j] / b, ets.get(n - 1 - j), o);
        return o;
    }
}
