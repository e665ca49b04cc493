package org.reprolab.diffusion;

import org.reprolab.tornado.Buffer;

/** First-order samplers: DDIM (η) / DDPM ancestral, Euler–Maruyama on the reverse SDE, predictor–corrector. */
final class FirstOrder {
    private FirstOrder() {}

    /** DDIM with η (η = 1: DDPM ancestral). */
    static double[] ddim(Run r, double[] x, double[] ts, double eta) {
        for (int i = 0; i + 1 < ts.length; i++) {
            double[] e = r.eps(x, ts[i]);
            double[] c = ddim(r, ts[i], ts[i + 1], eta);
            x = eta == 0 ? Run.lin(c[0], x, c[1], e) : Run.lin(c[0], x, c[1], e, c[2], r.normal(i));
        }
        return x;
    }

    /**
     * The DDIM step's coefficients from t to s: η = 0, {@code x_s = (α_s/α_t)x − σ_s(e^h − 1)ε̂}; else, with
     * x̂₀ = (x − σ_t ε)/α_t and {@code x_s = α_s x̂₀ + √(σ_s² − c²) ε + c z}, the coefficients of x, ε̂ and z.
     */
    private static double[] ddim(Run r, double t, double s, double eta) {
        double at = r.alpha(t), st = r.sigma(t), as = r.alpha(s), ss = r.sigma(s);
        if (eta == 0) return new double[] {Math.exp(r.s.logAlpha(s) - r.s.logAlpha(t)), -ss * Math.expm1(r.lambda(s) - r.lambda(t))};
        double q = at / as;
        double c2 = Math.max(0, eta * eta * ss * ss * (st * st - q * q * ss * ss) / (st * st));
        return new double[] {as / at, Math.sqrt(Math.max(0, ss * ss - c2)) - as * st / at, Math.sqrt(c2)};
    }

    /** {@link #ddim(Run, double[], double[], double)} on a device: one model kernel and one fused step kernel per step. */
    static double[] ddimOnDevice(DeviceRun d, double[] x0, double[] ts, double eta) {
        Buffer x = d.upload(x0), e = d.allocate();
        for (int i = 0; i + 1 < ts.length; i++) {
            d.predict(x, ts[i], e);
            double[] c = ddim(d.run, ts[i], ts[i + 1], eta);
            if (eta == 0) d.combine(DeviceRun.LIN2, x, c, x, e);
            else d.combineWithNoise(DeviceRun.LIN3, x, c, i, x, e);
        }
        return d.download(x);
    }

    /** One Euler–Maruyama step of the reverse SDE from t to s < t with ε̂ given. */
    private static double[] emStep(Run r, double[] x, double[] e, double t, double s, long stream) {
        double[] c = em(r, t, s), z = r.normal(stream);
        double[] o = new double[x.length];
        for (int k = 0; k < o.length; k++) o[k] = c[0] * x[k] + c[1] * e[k] + c[2] * z[k];
        return o;
    }

    /** The step's {@code x̄ = x + [f x − g² score] dt + g√(−dt) z} with score = −ε/σ, as coefficients of x, ε̂ and z. */
    private static double[] em(Run r, double t, double s) {
        double f = r.s.dLogAlpha(t), g2 = r.s.g2(t), dt = s - t, sg = r.sigma(t);
        return new double[] {1 + f * dt, g2 / sg * dt, Math.sqrt(g2 * -dt)};
    }

    /** {@link #eulerMaruyama} on a device: one model kernel and one fused step kernel (noise drawn on the device) per step. */
    static double[] eulerMaruyamaOnDevice(DeviceRun d, double[] x0, double[] ts) {
        Buffer x = d.upload(x0), e = d.allocate();
        for (int i = 0; i + 1 < ts.length; i++) {
            d.predict(x, ts[i], e);
            d.combineWithNoise(DeviceRun.LIN3, x, em(d.run, ts[i], ts[i + 1]), i, x, e);
        }
        return d.download(x);
    }

    static double[] eulerMaruyama(Run r, double[] x, double[] ts) {
        for (int i = 0; i + 1 < ts.length; i++) x = emStep(r, x, r.eps(x, ts[i]), ts[i], ts[i + 1], i);
        return x;
    }

    /** Corrector (Langevin) then predictor (EM) at each time; {@code budget} caps the total evaluations. */
    static double[] predictorCorrector(Run r, double[] x, double[] ts, double snr, int perStep, int budget) {
        int steps = ts.length - 1;
        int deficit = Math.max(0, steps * (1 + perStep) - budget);
        for (int i = 0; i < steps; i++) {
            double t = ts[i];
            int nc = perStep - Math.min(perStep, Math.max(0, deficit - i * perStep));
            double alphaI = 1 + 2 * r.s.dLogAlpha(t) / 1000; // 1 − β_i of the N = 1000 chain; 1 for VE
            for (int c = 0; c < nc; c++) {
                double[] e = r.eps(x, t);
                double sg = r.sigma(t);
                double[] z = r.normal(((long) i << 8) + c + 1 + (1L << 40));
                double gn = 0, zn = 0;
                for (int p = 0; p < r.n; p++) {
                    double a = 0, b = 0;
                    for (int j = 0; j < r.dim; j++) {
                        double gv = e[p * r.dim + j] / sg, zv = z[p * r.dim + j];
                        a += gv * gv;
                        b += zv * zv;
                    }
                    gn += Math.sqrt(a);
                    zn += Math.sqrt(b);
                }
                gn /= r.n;
                zn /= r.n;
                double q = snr * zn / gn;
                double step = 2 * alphaI * q * q;
                x = Run.lin(1, x, -step / sg, e, Math.sqrt(2 * step), z);
            }
            x = emStep(r, x, r.eps(x, t), t, ts[i + 1], i);
        }
        return x;
    }
}
