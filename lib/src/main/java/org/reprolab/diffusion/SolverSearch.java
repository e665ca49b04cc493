package org.reprolab.diffusion;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.SplittableRandom;
import org.reprolab.diffusion.Sampler.SolverSchedule;
import org.reprolab.diffusion.Sampler.SolverSchedule.Step;
import org.reprolab.diffusion.Sampler.UniPC.Variant;
import org.reprolab.ode.solvers.Tableau;

/**
 * Searches a {@link SolverSchedule} for one model, budget and interval (Liu et al. 2024, "A Unified Sampling
 * Framework for Solver Searching of Diffusion Probabilistic Models", S³). The paper scores candidates by FID on a
 * few samples with a predictor-guided multi-stage search; here, where the exact ODE solution is at hand, a candidate's
 * score is the mean squared distance of its endpoints to the probability-flow ODE solved by DOP853 (rtol = atol =
 * 10⁻¹¹) from the same noise {@code points}, and the search is a seeded (μ + 1) evolution: the population starts
 * with UniPC-bh2, UniPC-bh1 and UniP-2 (= DPM-Solver++(2M)) on the logSNR-uniform grid; each further candidate
 * mutates one elite member in one decision — a step's prediction type, order, corrector or B(h), or the position
 * of one time step between its neighbours (not when {@link SampleOptions#grid()} fixes the grid) — and replaces the
 * worst elite member if it scores better. So the result never scores worse on {@code points} than UniPC; score it
 * on other noise, since it is fitted to these points.
 */
public final class SolverSearch {
    private SolverSearch() {}

    /** Elite size of the (μ + 1) evolution. */
    static final int ELITE = 8;

    private record Scored(SolverSchedule schedule, double score) {}

    /**
     * The best of {@code candidates} schedules for a budget of {@code nfe} evaluations (no corrector on the last
     * step, so every candidate has {@code nfe} steps) on the noise {@code points}.
     */
    public static SolverSchedule search(DiffusionModel model, Batch points, int nfe, int candidates, long seed, SampleOptions options) {
        if (candidates < 1) throw new IllegalArgumentException("the solver search needs >= 1 candidate, got " + candidates);
        if (nfe < 1) throw new IllegalArgumentException("the NFE budget must be >= 1, got " + nfe);
        int steps = nfe;
        NoiseSchedule s = model.schedule();
        double t0 = Double.isNaN(options.tStart()) ? s.tStart() : options.tStart();
        double t1 = Double.isNaN(options.tEnd()) ? s.tEnd() : options.tEnd();
        double[] xT = points.data().clone();
        for (int i = 0; i < xT.length; i++) xT[i] *= s.priorStd();
        Batch truth = ProbabilityFlowOde.solve(model, points.with(xT), t0, t1, Tableau.DOP853, 1e-11, 1e-11).x();
        double[] uniform = new double[steps - 1];
        for (int i = 0; i < uniform.length; i++) uniform[i] = (i + 1.0) / steps;
        TimeGrid grid = new TimeGrid.LogSnrFractions(uniform);
        List<Scored> elite = new ArrayList<>();
        for (var start : List.of(UniPc.steps(Prediction.DATA, 2, true, Variant.BH2, true, steps),
                UniPc.steps(Prediction.DATA, 2, true, Variant.BH1, true, steps),
                UniPc.steps(Prediction.DATA, 2, false, Variant.BH2, true, steps))) {
            if (elite.size() == candidates) break;
            elite.add(score(new SolverSchedule(start, grid), model, points, truth, nfe, options));
        }
        SplittableRandom rng = new SplittableRandom(seed);
        boolean placeSteps = options.grid() == null && steps > 1;
        for (int c = elite.size(); c < candidates; c++) {
            Run.checkInterrupt("the solver search");
            SolverSchedule parent = elite.get(rng.nextInt(elite.size())).schedule();
            Scored child = score(mutate(parent, rng, placeSteps), model, points, truth, nfe, options);
            if (elite.size() < ELITE) elite.add(child);
            else {
                Scored worst = elite.stream().max(Comparator.comparingDouble(Scored::score)).orElseThrow();
                if (child.score() < worst.score()) elite.set(elite.indexOf(worst), child);
            }
        }
        return elite.stream().min(Comparator.comparingDouble(Scored::score)).orElseThrow().schedule();
    }

    private static Scored score(SolverSchedule candidate, DiffusionModel model, Batch points, Batch truth, int nfe, SampleOptions options) {
        try {
            return new Scored(candidate, Metrics.endpointError(Diffusion.sample(candidate, model, points, nfe, options).x(), truth).mean());
        } catch (IllegalStateException diverged) {
            return new Scored(candidate, Double.POSITIVE_INFINITY);
        }
    }

    /** One decision changed: a step's prediction, order, corrector or B(h), or one time step's position. */
    static SolverSchedule mutate(SolverSchedule parent, SplittableRandom rng, boolean placeSteps) {
        List<Step> steps = new ArrayList<>(parent.steps());
        int n = steps.size();
        int choice = rng.nextInt(placeSteps ? 5 : 4);
        if (choice == 4) {
            double[] u = ((TimeGrid.LogSnrFractions) parent.grid()).fractions();
            int i = rng.nextInt(u.length);
            double lo = i == 0 ? 0 : u[i - 1], hi = i == u.length - 1 ? 1 : u[i + 1];
            double w = (u[i] - lo) / (hi - lo) + 0.15 * normal(rng);
            u[i] = lo + (hi - lo) * Math.clamp(w, 0.05, 0.95);
            return new SolverSchedule(steps, new TimeGrid.LogSnrFractions(u));
        }
        int k = rng.nextInt(n);
        Step st = steps.get(k);
        if (choice == 2 && k == n - 1) choice = 1;   // a last-step corrector would cost one more evaluation
        steps.set(k, switch (choice) {
            case 0 -> new Step(st.prediction() == Prediction.DATA ? Prediction.NOISE : Prediction.DATA, st.order(), st.corrector(), st.variant());
            case 1 -> new Step(st.prediction(), 1 + rng.nextInt(Math.min(3, k + 1)), st.corrector(), st.variant());
            case 2 -> new Step(st.prediction(), st.order(), !st.corrector(), st.variant());
            default -> new Step(st.prediction(), st.order(), st.corrector(), st.variant() == Variant.BH1 ? Variant.BH2 : Variant.BH1);
        });
        return new SolverSchedule(steps, parent.grid());
    }

    private static double normal(SplittableRandom rng) {
        return Math.sqrt(-2 * Math.log1p(-rng.nextDouble())) * Math.cos(2 * Math.PI * rng.nextDouble());
    }

    /** A compact form of a schedule: per step D/N (prediction), the order, {@code c} when corrected, {@code '} for bh1. */
    public static String describe(SolverSchedule schedule) {
        StringBuilder b = new StringBuilder();
        for (Step st : schedule.steps())
            b.append(b.isEmpty() ? "" : " ").append(st.prediction() == Prediction.DATA ? 'D' : 'N').append(st.order())
                    .append(st.corrector() ? "c" : "").append(st.variant() == Variant.BH1 ? "'" : "");
        if (schedule.grid() instanceof TimeGrid.LogSnrFractions f) b.append(" at logSNR fractions ").append(Arrays.toString(
                Arrays.stream(f.fractions()).map(v -> Math.round(v * 1000) / 1000.0).toArray()));
        return b.toString();
    }
}
