package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Adaptive guidance (Castillo et al. 2023, "Adaptive Guidance: Training-free Acceleration of Conditional Diffusion
 * Models", arXiv:2312.12487; AAAI 2025): classifier-free guidance {@code p_u + w(p_c − p_u)} only while the
 * conditional and unconditional predictions of a point still point in different directions. Once their cosine
 * similarity {@code γ = cos(p_c, p_u)} (over the point's coordinates, measured in prediction space {@code space})
 * crosses the threshold γ̄ from below, the point is switched, irreversibly, to the conditional prediction alone: from
 * its next evaluation on, the unconditional network is not called for it, so a step costs one network evaluation
 * instead of two. The paper finds the switch in the second half of sampling and saves about 25 % of the evaluations
 * of CFG at unchanged image quality; it states γ on the noise predictions ({@link Prediction#NOISE}).
 *
 * <p>Why "crosses from below" and not "exceeds": at the start of sampling both noise predictions are nearly
 * {@code x_T} itself ({@code ε = (x − α x̂₀)/σ} with α ≈ 0), so γ ≈ 1 before guidance has done anything; it falls
 * while the two models disagree about the data and rises back to 1 as they agree again. The paper describes the
 * rise (the CFG updates "become increasingly aligned" with the conditional ones); a point is therefore armed the
 * first time its γ is at or below γ̄ and switches at the first later evaluation with γ &gt; γ̄. Where γ starts
 * below γ̄ (as it does on the denoised predictions, {@link Prediction#DATA}) this is the plain rule.
 *
 * <p>The model keeps state (which points have switched, the evaluation count, the trace of γ), so use one per
 * sampling run, on a batch of a fixed size. What it records: {@link #evaluationsPerPoint()} — network evaluations
 * (conditional + unconditional) per point, the cost that CFG doubles; {@link #switchTimes()}; and per model call the
 * median γ over the points still guided ({@link #times()}, {@link #medianCosines()}, {@link #guidedFractions()}).
 * With {@code threshold = 1} no point ever switches (a cosine is at most 1): plain CFG with the trace recorded.
 */
public final class AdaptiveGuidance implements DiffusionModel {
    private final DiffusionModel cond, uncond;
    private final double w, threshold;
    private final Prediction space;
    private boolean[] switched, armed;
    private double[] switchTimes;
    private long evaluatedPoints;
    private final List<double[]> trace = new ArrayList<>();

    AdaptiveGuidance(DiffusionModel cond, DiffusionModel uncond, double w, double threshold, Prediction space) {
        Guidance.check(cond, uncond);
        if (!Double.isFinite(w)) throw new IllegalArgumentException("adaptive guidance: scale w must be finite, got " + w);
        if (!(threshold >= -1 && threshold <= 1)) throw new IllegalArgumentException("adaptive guidance: the cosine threshold must be in [-1, 1], got " + threshold);
        this.cond = cond;
        this.uncond = uncond;
        this.w = w;
        this.threshold = threshold;
        this.space = java.util.Objects.requireNonNull(space, "prediction space of the cosine");
    }

    @Override
    public NoiseSchedule schedule() {
        return cond.schedule();
    }

    @Override
    public Prediction prediction() {
        return cond.prediction();
    }

    @Override
    public void eval(Batch x, double t, double[] out) {
        int n = x.n(), d = x.dim();
        if (switched == null) {
            switched = new boolean[n];
            armed = new boolean[n];
            switchTimes = new double[n];
            Arrays.fill(switchTimes, Double.NaN);
        } else if (switched.length != n) {
            throw new IllegalStateException("adaptive guidance: this model ran on " + switched.length + " points and is now given " + n
                    + "; use a fresh model per sampling run");
        }
        cond.eval(x, t, out);
        evaluatedPoints += n;
        int[] guided = java.util.stream.IntStream.range(0, n).filter(i -> !switched[i]).toArray();
        int m = guided.length;
        if (m == 0) {
            trace.add(new double[] {t, Double.NaN, 0});
            return;
        }
        double[] xs = new double[m * d], pc = new double[m * d], pu = new double[m * d];
        for (int k = 0; k < m; k++) {
            System.arraycopy(x.data(), guided[k] * d, xs, k * d, d);
            System.arraycopy(out, guided[k] * d, pc, k * d, d);
        }
        uncond.eval(m == n ? x : new Batch(m, d, xs), t, pu);
        evaluatedPoints += m;
        double a = schedule().alpha(t), s = schedule().sigma(t);
        double[] vc = prediction().convert(space, xs, pc, a, s), vu = prediction().convert(space, xs, pu, a, s);
        double[] cosines = new double[m];
        for (int k = 0; k < m; k++) {
            int o = k * d, i = guided[k] * d;
            for (int j = 0; j < d; j++) out[i + j] = pu[o + j] + w * (pc[o + j] - pu[o + j]);
            cosines[k] = cosine(vc, vu, o, d);
            int i0 = guided[k];
            if (cosines[k] <= threshold) armed[i0] = true;
            else if (armed[i0]) {
                switched[i0] = true;
                switchTimes[i0] = t;
            }
        }
        Arrays.sort(cosines);
        double median = m % 2 == 1 ? cosines[m / 2] : 0.5 * (cosines[m / 2 - 1] + cosines[m / 2]);
        trace.add(new double[] {t, median, m / (double) n});
    }

    /** cos of the angle between {@code a[o..o+d)} and {@code b[o..o+d)}, clamped to [-1, 1]; 0 when either is zero (no direction). */
    static double cosine(double[] a, double[] b, int o, int d) {
        double ab = 0, aa = 0, bb = 0;
        for (int j = o; j < o + d; j++) {
            ab += a[j] * b[j];
            aa += a[j] * a[j];
            bb += b[j] * b[j];
        }
        if (aa == 0 || bb == 0) return 0;
        return Math.max(-1, Math.min(1, ab / Math.sqrt(aa * bb)));
    }

    /** Network evaluations (conditional + unconditional) per point so far: 2 per call under CFG, 1 once switched. */
    public double evaluationsPerPoint() {
        return switched == null ? 0 : evaluatedPoints / (double) switched.length;
    }

    /** For each point, the time of the call at which its γ crossed the threshold (NaN: never; guided to the end). */
    public double[] switchTimes() {
        return switchTimes == null ? new double[0] : switchTimes.clone();
    }

    /** The time of every model call so far. */
    public double[] times() {
        return column(0);
    }

    /** Per model call, the median cosine γ over the points still guided (NaN once all have switched). */
    public double[] medianCosines() {
        return column(1);
    }

    /** Per model call, the share of points still guided (evaluated by both networks) at that call. */
    public double[] guidedFractions() {
        return column(2);
    }

    private double[] column(int k) {
        return trace.stream().mapToDouble(r -> r[k]).toArray();
    }
}
