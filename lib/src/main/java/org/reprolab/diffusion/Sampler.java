package org.reprolab.diffusion;

import org.reprolab.ode.solvers.Tableau;

/**
 * The closed family of samplers. A sampler is a value (a record of its hyper-parameters); one entry point,
 * {@link Diffusion#sample(Sampler, DiffusionModel, Batch, int)}, runs any of them on any model with a budget
 * of model evaluations (NFE), so switching sampler is changing one argument:
 *
 * <pre>{@code
 * var model = GaussianMixture.ring(8, 1, 0.08).model(NoiseSchedule.vpLinear());
 * var z = Batch.normal(4000, 2, 0);
 * Batch a = Diffusion.sample(new Sampler.DpmSolverPP(2), model, z, 10).x();
 * Batch b = Diffusion.sample(new Sampler.UniPC(2, Sampler.UniPC.Variant.BH2), model, z, 10).x();
 * }</pre>
 *
 * Every sampler spends exactly the budget it is given ({@link SampleResult#nfe()} counts the calls), planning
 * its steps with {@link #steps(int)}: one evaluation per step for the multistep and first-order methods;
 * PLMS spends one extra on its improved-Euler start; singlestep DPM-Solver splits the budget into steps of
 * orders 3/2/1 as the official code does; EDM's Heun uses 2 evaluations per step and Euler on the last step
 * (and on the last two when the budget is even); predictor–corrector spends 1 + {@code correctorSteps} per step
 * (correctors dropped on the first steps when the budget does not divide). The exception is an adaptive
 * {@link ProbabilityFlow} ODE solve, whose NFE is set by its tolerance.
 *
 * <p>All samplers integrate from {@code tStart} (noise {@code x_T = priorStd·z}) to {@code tEnd} on the
 * sampler's {@link #defaultGrid()} unless {@link SampleOptions} says otherwise, and stop at tEnd (no extra
 * denoise-to-zero evaluation), so endpoints of different samplers are comparable.
 */
public sealed interface Sampler {

    /** Number of grid steps this sampler takes for a budget of {@code nfe} model evaluations. */
    int steps(int nfe);

    /** The grid used when {@link SampleOptions#grid()} is null: logSNR-uniform (Karras ρ = 7 for EDM Heun). */
    default TimeGrid defaultGrid() {
        return TimeGrid.logSnr();
    }

    /** Whether the sampler draws random numbers (its endpoint is not a function of the noise alone). */
    default boolean stochastic() {
        return false;
    }

    /**
     * Euler–Maruyama on the reverse SDE {@code dx = [f x − g² ∇log p_t] dt + g dW̄} (Song et al. 2021;
     * score_sde {@code EulerMaruyamaPredictor}). One evaluation per step; noise is added on every step.
     */
    record EulerMaruyama() implements Sampler {
        public int steps(int nfe) { return positive(nfe); }
        public boolean stochastic() { return true; }
    }

    /**
     * Predictor–corrector (Song et al. 2021, score_sde {@code get_pc_sampler}, {@code LangevinCorrector}): at each
     * time, {@code correctorSteps} Langevin steps with target signal-to-noise ratio {@code snr}
     * ({@code ε_L = 2α_i(snr·‖z‖/‖s‖)²}, norms per sample averaged over the batch, α_i = 1 − β_i of the
     * N = 1000 chain, 1 for VE), then one Euler–Maruyama step. Defaults as in the CIFAR-10 configs: 0.16, 1.
     */
    record PredictorCorrector(double snr, int correctorSteps) implements Sampler {
        public PredictorCorrector {
            if (!(snr > 0) || correctorSteps < 0) throw new IllegalArgumentException("PC needs snr > 0 and correctorSteps >= 0");
        }
        public PredictorCorrector() { this(0.16, 1); }
        public int steps(int nfe) { return Math.max(1, (positive(nfe) + correctorSteps) / (1 + correctorSteps)); }
        public boolean stochastic() { return true; }
    }

    /**
     * DDPM ancestral sampling (Ho et al. 2020) in continuous time: DDIM with η = 1, i.e. sampling the
     * posterior {@code q(x_s | x_t, x̂₀)} with variance β̃.
     */
    record Ddpm() implements Sampler {
        public int steps(int nfe) { return positive(nfe); }
        public boolean stochastic() { return true; }
    }

    /**
     * DDIM (Song, Meng &amp; Ermon 2021; diffusers {@code DDIMScheduler.step}):
     * {@code x_s = α_s x̂₀ + √(σ_s² − c²) ε̂ + c z}, {@code c² = η² σ_s²(σ_t² − (α_t/α_s)²σ_s²)/σ_t²}
     * (the general-α form of {@code η²(σ_s²/σ_t²)(1 − α_t²/α_s²)}); η = 0 is the exponential-integrator Euler step
     * {@code x_s = (α_s/α_t)x − σ_s(e^h − 1)ε̂} = DPM-Solver-1.
     */
    record Ddim(double eta) implements Sampler {
        public Ddim {
            if (!(eta >= 0)) throw new IllegalArgumentException("DDIM eta must be >= 0, got " + eta);
        }
        public Ddim() { this(0); }
        public int steps(int nfe) { return positive(nfe); }
        public boolean stochastic() { return eta > 0; }
    }

    /**
     * PLMS as in LDM / diffusers {@code PNDMScheduler(skip_prk_steps=True)} (Liu et al. 2022, "Pseudo Numerical
     * Methods for Diffusion Models", {@code luping-liu/PNDM}): a pseudo improved-Euler first step (2 NFE), then
     * Adams–Bashforth 2, 3, 4 on ε̂ through the DDIM transfer. NFE = steps + 1.
     */
    record Plms() implements Sampler {
        public int steps(int nfe) {
            if (nfe < 2) throw new IllegalArgumentException("PLMS needs a budget of >= 2 evaluations, got " + nfe);
            return nfe - 1;
        }
    }

    /**
     * Singlestep DPM-Solver of order 1–3 with noise prediction (Lu et al. 2022, {@code LuChengTHU/dpm-solver},
     * {@code method='singlestep'}, {@code solver_type='dpmsolver'}, r₁ = ½ for order 2, r₁ = ⅓, r₂ = ⅔ for
     * order 3). The budget is split into K steps with orders as the official code: order 3: K = ⌊N/3⌋+1 steps
     * [3…3,2,1], [3…3,1] or [3…3,2] for N mod 3 = 0, 1, 2; order 2: [2…2] or [2…2,1]. On a logSNR grid the K
     * steps are logSNR-uniform; on other grids they are the N-step grid subsampled at the cumulative orders.
     */
    record DpmSolver(int order) implements Sampler {
        public DpmSolver {
            if (order < 1 || order > 3) throw new IllegalArgumentException("DPM-Solver order must be 1, 2 or 3, got " + order);
        }
        public int steps(int nfe) { return Singlestep.orders(order, positive(nfe)).length; }
    }

    /** DPM-Solver++(2S), singlestep with data prediction and r₁ = ½ (Lu et al. 2022b, "DPM-Solver++"), order-2 budget split. */
    record DpmSolverPP2S() implements Sampler {
        public int steps(int nfe) { return Singlestep.orders(2, positive(nfe)).length; }
    }

    /**
     * Multistep DPM-Solver++ with data prediction: order 1 (= DDIM), 2 (2M, {@code solver_type='dpmsolver'}) or 3
     * (3M), warm-up with lower orders; with {@code lowerOrderFinal} the last steps drop order when fewer than 10
     * steps are taken ({@code dpm_solver_pytorch.py}: {@code lower_order_final and steps < 10}).
     */
    record DpmSolverPP(int order, boolean lowerOrderFinal) implements Sampler {
        public DpmSolverPP {
            if (order < 1 || order > 3) throw new IllegalArgumentException("DPM-Solver++ order must be 1, 2 or 3, got " + order);
        }
        public DpmSolverPP(int order) { this(order, true); }
        public int steps(int nfe) { return positive(nfe); }
    }

    /**
     * SDE-DPM-Solver++(2M) (Lu et al. 2022b; diffusers {@code algorithm_type='sde-dpmsolver++'}, midpoint):
     * {@code x_t = (σ_t/σ_s)e^{−h}x + α_t(1−e^{−2h})(m₀ + ½D₁) + σ_t√(1−e^{−2h}) z}; first step order 1, lower
     * order final below 10 steps.
     */
    record DpmSolverPP2MSde() implements Sampler {
        public int steps(int nfe) { return positive(nfe); }
        public boolean stochastic() { return true; }
    }

    /**
     * UniPC (Zhao et al. 2023, {@code wl-zhao/UniPC} {@code multistep_uni_pc_bh_update}): UniP-p predictor and
     * UniC-p corrector with data prediction; the corrector reuses the model output at the predicted point, so it
     * costs nothing; no corrector after the last step; warm-up and lower order final as in the repo. Order of
     * accuracy p + 1.
     */
    record UniPC(int order, Variant variant, boolean lowerOrderFinal) implements Sampler {
        public enum Variant { BH1, BH2 }
        public UniPC {
            if (order < 1 || order > 4) throw new IllegalArgumentException("UniPC order must be 1..4, got " + order);
        }
        public UniPC(int order, Variant variant) { this(order, variant, true); }
        public int steps(int nfe) { return positive(nfe); }
    }

    /**
     * DC-Solver (Zhao et al. 2024, "DC-Solver: Improving Predictor-Corrector Diffusion Sampler via Dynamic
     * Compensation", {@code wl-zhao/DC-Solver dc_solver.py}): UniPC whose newest model output is replaced, before
     * step k, by the quadratic Lagrange interpolant in t through the last three outputs at
     * {@code ρ_k t_{k−1} + (1 − ρ_k) t_{k−2}}, compensating the misalignment between the corrected state and the
     * output evaluated at the predicted one. The ratios ρ (one per step, 1 = no compensation) are searched once per
     * NFE on a few points by {@link #search}: greedily per step, minimising the squared distance of the state after
     * the step to an accurate probability-flow ODE solve from the same noise (upstream: AdamW on the ratio against a
     * many-step DDIM trajectory; here a golden-section search on [0, 2], keeping ρ = 1 unless it is beaten). Same
     * NFE as UniPC. Upstream defaults: order 3, B(h) = bh1.
     *
     * @param ratios the searched ratios, one per step (not copied; records compare arrays by identity)
     */
    record DcSolver(int order, UniPC.Variant variant, double[] ratios) implements Sampler {
        public DcSolver {
            if (order < 1 || order > 4) throw new IllegalArgumentException("DC-Solver order must be 1..4, got " + order);
            if (ratios == null) throw new IllegalArgumentException("DC-Solver needs its ratios: use DcSolver.search(...)");
            for (double r : ratios) if (!Double.isFinite(r)) throw new IllegalArgumentException("DC-Solver ratio is not finite: " + r);
        }
        public int steps(int nfe) {
            if (positive(nfe) != ratios.length)
                throw new IllegalArgumentException("DC-Solver ratios were searched for " + ratios.length + " steps, the budget " + nfe + " needs " + nfe);
            return nfe;
        }

        /** Ratios for order 3, bh1 (the upstream defaults), searched on {@code points} (noise) at the default grid. */
        public static DcSolver search(DiffusionModel model, Batch points, int nfe) {
            return search(3, UniPC.Variant.BH1, model, points, nfe, SampleOptions.defaults());
        }

        /** Searches the ratios for this order, variant, model, budget and grid on the noise {@code points}. */
        public static DcSolver search(int order, UniPC.Variant variant, DiffusionModel model, Batch points, int nfe, SampleOptions options) {
            return new DcSolver(order, variant, DynamicCompensation.search(order, variant, model, points, positive(nfe), options));
        }

        @Override
        public String toString() {
            return "DcSolver[order=" + order + ", variant=" + variant + ", ratios=" + java.util.Arrays.toString(ratios) + "]";
        }
    }

    /**
     * DC-Solver that searches its ratios when it runs ({@link DcSolver#search}), for the model, budget and grid it
     * is run with, on the noise {@code points}: the value to compare across budgets, where a {@link DcSolver}
     * holds the ratios of one budget. Same endpoint, bit for bit, as {@code DcSolver.search(...)} followed by
     * sampling; the search's own model evaluations (on {@code points}) are not counted in the run's NFE.
     */
    record DcSolverSearch(int order, UniPC.Variant variant, Batch points) implements Sampler {
        public DcSolverSearch {
            if (order < 1 || order > 4) throw new IllegalArgumentException("DC-Solver order must be 1..4, got " + order);
            if (points == null) throw new IllegalArgumentException("DC-Solver needs the points its ratios are searched on");
        }
        /** The upstream defaults, order 3 and B(h) = bh1. */
        public DcSolverSearch(Batch points) { this(3, UniPC.Variant.BH1, points); }
        public int steps(int nfe) { return positive(nfe); }
    }

    /**
     * A solver schedule (Liu et al. 2024, "A Unified Sampling Framework for Solver Searching of Diffusion
     * Probabilistic Models", USF / S³): every step of the multistep exponential integrator makes its own choices —
     * which prediction is expanded in λ (data x̂₀ or noise ε̂), the order (how many past outputs), UniPC's B(h), and
     * whether the UniC corrector re-solves the step with the output at the predicted point — and the time steps are
     * the {@code grid}. With one choice at every step (warm-up, lower order final: {@link #constant}) it is UniPC
     * (corrector on) or UniP, bit for bit. The corrector reuses the evaluation that starts the next step, so it is
     * free except on the last step, where it costs one more evaluation: NFE = steps + (last step corrected ? 1 : 0).
     * Searched by {@link SolverSearch}.
     *
     * @param steps the choices of each step, in order (copied)
     * @param grid  the time steps, used when {@link SampleOptions#grid()} is null
     */
    record SolverSchedule(java.util.List<Step> steps, TimeGrid grid) implements Sampler {
        /**
         * One step's choices.
         *
         * @param prediction {@link Prediction#DATA} or {@link Prediction#NOISE}: the output extrapolated in λ
         * @param order      1–4, at most the step's position (step k has k outputs behind it)
         * @param corrector  whether UniC corrects the step
         * @param variant    UniPC's B(h): bh1 = h, bh2 = e^h − 1
         */
        public record Step(Prediction prediction, int order, boolean corrector, UniPC.Variant variant) {
            public Step {
                if (prediction != Prediction.DATA && prediction != Prediction.NOISE)
                    throw new IllegalArgumentException("a solver step expands the DATA or NOISE prediction, got " + prediction);
                if (order < 1 || order > 4) throw new IllegalArgumentException("a solver step's order must be 1..4, got " + order);
                if (variant == null) throw new IllegalArgumentException("a solver step needs its B(h) variant");
            }
        }

        public SolverSchedule {
            if (steps == null || steps.isEmpty()) throw new IllegalArgumentException("a solver schedule needs at least one step");
            steps = java.util.List.copyOf(steps);
            for (int k = 0; k < steps.size(); k++)
                if (steps.get(k).order() > k + 1)
                    throw new IllegalArgumentException("step " + (k + 1) + " has only " + (k + 1) + " outputs behind it, order " + steps.get(k).order() + " asked");
            if (grid == null) throw new IllegalArgumentException("a solver schedule needs its time grid (TimeGrid.logSnr() for the usual one)");
        }

        /** One choice at every step of a budget of {@code nfe} (no corrector on the last step), as UniPC plans it. */
        public static SolverSchedule constant(Prediction prediction, int order, boolean corrector, UniPC.Variant variant, int nfe) {
            return new SolverSchedule(UniPc.steps(prediction, order, corrector, variant, true, positive(nfe)), TimeGrid.logSnr());
        }

        /** The evaluations this schedule spends. */
        public int nfe() { return steps.size() + (steps.getLast().corrector() ? 1 : 0); }

        public int steps(int nfe) {
            if (positive(nfe) != nfe())
                throw new IllegalArgumentException("the solver schedule spends " + nfe() + " evaluations, the budget is " + nfe);
            return steps.size();
        }

        public TimeGrid defaultGrid() { return grid; }
    }

    /**
     * A solver schedule searched when it runs ({@link SolverSearch#search}) for the model, budget and interval it
     * is run with, on the noise {@code points}, among {@code candidates} schedules from seed {@code seed}: the value
     * to compare across budgets. The search's own evaluations are not counted in the run's NFE; score it on other
     * noise than {@code points} (the search fits them).
     */
    record SolverScheduleSearch(Batch points, int candidates, long seed) implements Sampler {
        public SolverScheduleSearch {
            if (points == null) throw new IllegalArgumentException("the solver search needs the points it scores schedules on");
            if (candidates < 1) throw new IllegalArgumentException("the solver search needs >= 1 candidate, got " + candidates);
        }
        public int steps(int nfe) { return positive(nfe); }
    }

    /**
     * EDM's Heun sampler with churn (Karras et al. 2022, Alg. 2; {@code NVlabs/edm generate.py edm_sampler}) on
     * {@code dy/dσ̃ = ε̂} with {@code y = x/α}, {@code σ̃ = σ/α}: γ = min(S_churn/N, √2−1) on
     * S_min ≤ σ̃ ≤ S_max, σ̂ = σ̃(1+γ), {@code ŷ = y + √(σ̂²−σ̃²) S_noise z}, Heun step to the next σ̃; the last step
     * is Euler (and the last two for an even budget), so NFE = budget. Default grid Karras ρ = 7.
     */
    record EdmHeun(double churn, double sMin, double sMax, double sNoise) implements Sampler {
        public EdmHeun {
            if (!(churn >= 0) || !(sNoise >= 0)) throw new IllegalArgumentException("EDM churn and sNoise must be >= 0");
        }
        public EdmHeun() { this(0, 0, Double.POSITIVE_INFINITY, 1); }
        public int steps(int nfe) { return positive(nfe) / 2 + 1; }
        public TimeGrid defaultGrid() { return TimeGrid.karras(7); }
        public boolean stochastic() { return churn > 0; }
    }

    /**
     * The probability-flow ODE {@code dy/du = e^u ε̂(α y, t(u))}, {@code y = x/α}, {@code u = log σ̃}, through the
     * ode package's tableaus: a fixed-step tableau (RK4, Heun, …) takes budget/stages steps on the grid; an
     * adaptive one (DOPRI5, DOP853) ignores the budget and solves to {@code rtol}/{@code atol} (its NFE is
     * reported).
     */
    record ProbabilityFlow(Tableau tableau, double rtol, double atol) implements Sampler {
        public ProbabilityFlow(Tableau tableau) { this(tableau, 1e-6, 1e-9); }
        public int steps(int nfe) {
            if (tableau.adaptive()) return 1;
            if (positive(nfe) % tableau.stages() != 0)
                throw new IllegalArgumentException("budget " + nfe + " is not a multiple of " + tableau.name() + "'s " + tableau.stages() + " stages");
            return nfe / tableau.stages();
        }
    }

    /**
     * Generalised heavy-ball momentum (GHVB) of Wizadwongsa &amp; Suwajanakorn 2023, "Diffusion Sampling with
     * Momentum for Mitigating Divergence Artifacts" ({@code sWizad/momentum-diffusion momentum_scheduler.py
     * GHVBScheduler}): on {@code ȳ = x/α}, {@code v ← (1−β)v + βε̂}, Adams–Bashforth-like weights of order
     * p = ⌈q⌉ on the v history divided by β, β = frac(q) (q integer: β = 1, plain AB-p / PLMS without start).
     */
    record Ghvb(double order) implements Sampler {
        public Ghvb {
            if (!(order > 0) || order > 5) throw new IllegalArgumentException("GHVB order must be in (0, 5], got " + order);
        }
        public int steps(int nfe) { return positive(nfe); }
    }

    /**
     * DPM-Solver++(2M) with Polyak heavy-ball momentum on its update direction (same paper;
     * {@code MomentumDPMSolverMultistepScheduler}): {@code vel ← (1−β)vel + β(D₀ + ½D₁)},
     * {@code x_t = (σ_t/σ_s)x − α_t(e^{−h}−1)vel}; first order (β = 1 is plain 2M).
     */
    record DpmSolverPP2MHeavyBall(double beta) implements Sampler {
        public DpmSolverPP2MHeavyBall {
            if (!(beta > 0 && beta <= 1)) throw new IllegalArgumentException("heavy-ball beta must be in (0, 1], got " + beta);
        }
        public int steps(int nfe) { return positive(nfe); }
    }

    private static int positive(int nfe) {
        if (nfe < 1) throw new IllegalArgumentException("the NFE budget must be >= 1, got " + nfe);
        return nfe;
    }
}
