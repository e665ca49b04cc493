package org.reprolab.diffusion;

import org.reprolab.implicit.IterativeSolver;
import org.reprolab.implicit.SolverTrace;
import org.reprolab.optim.Optimizers;
import org.reprolab.optim.Transform;

/**
 * The closed family of solvers for linear inverse problems with a diffusion prior ({@link InverseProblem}): each a
 * record of its hyper-parameters, each an {@link IterativeSolver}, so {@code Lab.iterate(problem).compare(...)}
 * compares them and sweeps any component ({@code "steps"}). All visit {@code steps} times of the prior's schedule,
 * uniform in t from {@code tStart} to {@code tEnd}, with one model evaluation each (NFE = steps), and return a clean
 * estimate (the last step goes to t = 0). A trace records, per step, the problem's {@link InverseProblem#error} of the
 * current clean estimate and the elapsed seconds; its scalars are {@code nfe}, {@code vjp} (back-propagations
 * through the denoiser) and {@link InverseProblem#scalars}. Randomness comes from the problem's key.
 */
public sealed interface InverseSolver extends IterativeSolver<InverseProblem> {

    int steps();

    /**
     * Diffusion posterior sampling (Chung, Kim, Mccann, Klasky &amp; Ye, ICLR 2023; {@code DPS2022}
     * {@code PosteriorSampling.conditioning}): a DDPM ancestral step (DDIM η = 1) from x̂₀ = E[x₀|x_t], then
     * {@code x_s −= ζ ∇_{x_t} ‖y − A x̂₀(x_t)‖} (the norm, not its square: the official step size ζ/‖y − A x̂₀‖ on the
     * squared norm's half-gradient). Needs a {@link DifferentiableModel}: one vector–Jacobian product per step.
     */
    record Dps(int steps, double zeta) implements InverseSolver {
        public Dps {
            checkSteps(steps);
            if (!(zeta >= 0) || !Double.isFinite(zeta)) throw new IllegalArgumentException("DPS step size zeta must be finite and >= 0, got " + zeta);
        }
        public SolverTrace trace(InverseProblem problem) { return InverseSolvers.dps(this, problem); }
    }

    /**
     * RED-diff (Mardani, Song, Kautz &amp; Vahdat, ICLR 2024, Alg. 1; {@code NVlabs/RED-diff algos/reddiff.py}): a
     * point estimate μ (the variational posterior N(μ, σ²I) with σ → 0) fitted by {@code optimizer} to
     * {@code v·mean‖y − Aμ‖²/2 + w_t·mean(sg[ε̂(x_t, t) − ε]·μ)}, {@code x_t = α_t μ + σ_t ε}, one step per time from
     * high noise to low, with {@code w_t = λ σ_t/α_t} (the official "linear" inverse-SNR weighting) and v = 1;
     * μ starts at the minimum-norm solution {@code A⁺y}. The regulariser's gradient is the stop-gradient denoising
     * residual: no back-propagation through the network.
     *
     * @param optimizer the official Adam(lr, β = (0.9, 0.99)) unless given
     */
    record RedDiff(int steps, double lambda, Transform optimizer) implements InverseSolver {
        public RedDiff {
            checkSteps(steps);
            if (!(lambda >= 0) || !Double.isFinite(lambda)) throw new IllegalArgumentException("RED-diff lambda must be finite and >= 0, got " + lambda);
            if (optimizer == null) throw new IllegalArgumentException("RED-diff needs an optimizer");
        }
        /** Adam with learning rate {@code lr} and β = (0.9, 0.99), as the official code. */
        public RedDiff(int steps, double lambda, double lr) { this(steps, lambda, Optimizers.adam(lr).with("beta2", 0.99)); }
        public SolverTrace trace(InverseProblem problem) { return InverseSolvers.redDiff(this, problem); }
    }

    /**
     * Decomposed diffusion sampling (Chung, Lee &amp; Ye, ICLR 2024, Alg. 1): Tweedie's x̂₀, then {@code cgSteps}
     * conjugate-gradient steps on {@code (AᵀA + γI) x = Aᵀy + γ x̂₀} started at x̂₀ (data consistency in the clean
     * space, truncated on purpose), then the DDIM re-noising with the updated x̂₀′ and the model's ε̂:
     * {@code x_s = α_s x̂₀′ + σ_s(√(1−η²) ε̂ + η z)} (the official code's parametrisation of η). No
     * back-propagation through the network.
     */
    record Dds(int steps, int cgSteps, double gamma, double eta) implements InverseSolver {
        public Dds {
            checkSteps(steps);
            if (cgSteps < 0) throw new IllegalArgumentException("DDS cgSteps must be >= 0, got " + cgSteps);
            if (!(gamma > 0) || !Double.isFinite(gamma)) throw new IllegalArgumentException("DDS gamma must be finite and > 0, got " + gamma);
            if (!(eta >= 0 && eta <= 1)) throw new IllegalArgumentException("DDS eta must be in [0, 1], got " + eta);
        }
        public SolverTrace trace(InverseProblem problem) { return InverseSolvers.dds(this, problem); }
    }

    private static void checkSteps(int steps) {
        if (steps < 2) throw new IllegalArgumentException("an inverse solver needs >= 2 steps, got " + steps);
    }
}
