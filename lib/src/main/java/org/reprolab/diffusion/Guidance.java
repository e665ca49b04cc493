package org.reprolab.diffusion;

/**
 * Guidance as a transform of model outputs: a guided model is again a {@link DiffusionModel}, so every
 * sampler runs it unchanged.
 *
 * <ul>
 *   <li>Classifier-free guidance (Ho &amp; Salimans 2022), diffusers convention:
 *       {@code p = p_u + w(p_c − p_u)} in the prediction space of the models (w = 1: conditional model).</li>
 *   <li>Adaptive projected guidance (Sadat et al. 2024, "Eliminating Oversaturation and Artifacts of High
 *       Guidance Scales in Diffusion Models"; diffusers {@code guiders/adaptive_projected_guidance.py
 *       normalized_guidance}) on the denoiser outputs D_c, D_u (x̂₀ space, as the paper states):
 *       Δ = D_c − D_u; momentum {@code avg ← Δ + β·avg}, Δ = avg (β &lt; 0 in the paper); rescale
 *       {@code Δ ← Δ·min(1, r/‖Δ‖)}; split Δ into its part parallel to D_c and the rest (per point, in
 *       float64); {@code update = Δ_⊥ + η Δ_∥}; output {@code D_u + w·update} (diffusers default) or, with
 *       {@code original = true}, {@code D_c + (w−1)·update}.</li>
 *   <li>Adaptive guidance (Castillo et al. 2023), {@link AdaptiveGuidance}: CFG until the conditional and
 *       unconditional predictions of a point are nearly parallel, then the conditional one alone.</li>
 * </ul>
 */
public final class Guidance {
    private Guidance() {}

    /** Classifier-free guidance with scale {@code w}; both models must share schedule and prediction type. */
    public static DiffusionModel cfg(DiffusionModel cond, DiffusionModel uncond, double w) {
        check(cond, uncond);
        return DiffusionModel.of(cond.schedule(), cond.prediction(), (x, t, out) -> {
            double[] u = new double[out.length];
            cond.eval(x, t, out);
            uncond.eval(x, t, u);
            for (int i = 0; i < out.length; i++) out[i] = u[i] + w * (out[i] - u[i]);
        });
    }

    /**
     * Adaptive projected guidance; returns a data-prediction model. The momentum buffer lives in the returned
     * model, so use a fresh one per sampling run.
     *
     * @param w             guidance scale
     * @param eta           weight of the parallel component (0 drops it)
     * @param normThreshold r of the rescaling; {@code <= 0} or infinite disables it
     * @param momentum      β of the running average (0 disables it)
     * @param original      {@code D_c + (w−1)·update} instead of {@code D_u + w·update}
     */
    public static DiffusionModel apg(DiffusionModel cond, DiffusionModel uncond, double w, double eta, double normThreshold,
                                     double momentum, boolean original) {
        check(cond, uncond);
        NoiseSchedule s = cond.schedule();
        double[][] avg = new double[1][];
        return DiffusionModel.of(s, Prediction.DATA, (x, t, out) -> {
            int m = out.length, d = x.dim();
            double a = s.alpha(t), sg = s.sigma(t);
            double[] dc = new double[m], du = new double[m];
            cond.eval(x, t, dc);
            cond.prediction().toData(x.data(), dc, a, sg, dc);
            uncond.eval(x, t, du);
            uncond.prediction().toData(x.data(), du, a, sg, du);
            double[] diff = new double[m];
            for (int i = 0; i < m; i++) diff[i] = dc[i] - du[i];
            if (momentum != 0) {
                if (avg[0] == null || avg[0].length != m) avg[0] = new double[m];
                for (int i = 0; i < m; i++) avg[0][i] = diff[i] + momentum * avg[0][i];
                System.arraycopy(avg[0], 0, diff, 0, m);
            }
            double scale = original ? w - 1 : w;
            for (int p = 0; p < x.n(); p++) {
                int o = p * d;
                double nd = 0, nc = 0;
                for (int j = 0; j < d; j++) nd += diff[o + j] * diff[o + j];
                nd = Math.sqrt(nd);
                if (normThreshold > 0 && Double.isFinite(normThreshold) && nd > 0) {
                    double f = Math.min(1, normThreshold / nd);
                    for (int j = 0; j < d; j++) diff[o + j] *= f;
                }
                for (int j = 0; j < d; j++) nc += dc[o + j] * dc[o + j];
                nc = Math.sqrt(nc);
                double dot = 0;
                if (nc > 0) for (int j = 0; j < d; j++) dot += diff[o + j] * dc[o + j] / nc;
                for (int j = 0; j < d; j++) {
                    double par = nc > 0 ? dot * dc[o + j] / nc : 0;
                    double update = diff[o + j] - par + eta * par;
                    out[o + j] = (original ? dc[o + j] : du[o + j]) + scale * update;
                }
            }
        });
    }

    /**
     * Adaptive guidance (Castillo et al. 2023): CFG of scale {@code w} per point until the cosine of its conditional
     * and unconditional predictions (in {@code space}; the paper: noise) crosses {@code threshold}, then the
     * conditional prediction alone; see {@link AdaptiveGuidance}. One model per sampling run.
     */
    public static AdaptiveGuidance adaptive(DiffusionModel cond, DiffusionModel uncond, double w, double threshold, Prediction space) {
        return new AdaptiveGuidance(cond, uncond, w, threshold, space);
    }

    static void check(DiffusionModel c, DiffusionModel u) {
        if (!c.schedule().equals(u.schedule())) throw new IllegalArgumentException("guidance: the two models have different schedules");
        if (c.prediction() != u.prediction()) throw new IllegalArgumentException("guidance: the two models predict " + c.prediction() + " and " + u.prediction());
    }
}
