package org.reprolab.diffusion;

/**
 * The samplers of a masked (absorbing-state) diffusion model, run by {@link MaskedDiffusion#sample}. Each draws its
 * tokens by Gumbel-max in its {@link SamplingPrecision}.
 */
public sealed interface MaskedSampler {

    /** The precision of every categorical draw. */
    SamplingPrecision precision();

    /**
     * The time-stepped ancestral sampler of MDLM/MD4 on a uniform grid {@code 1 = t₀ > … > t_N = 0}: at each step one
     * network call, and every masked position draws from {@code V + 1} categories, staying masked with probability
     * {@code (1 − α_s)/(1 − α_t)} or taking token v with {@code (α_s − α_t)/(1 − α_t)·p̂(v)}; positions unmasked in
     * the same step are drawn independently (the factorisation error that vanishes as N grows). One network call per
     * step until no mask is left (NFE ≤ steps; a time-conditioned network needs every one of them).
     */
    record TimeStepped(int steps, SamplingPrecision precision) implements MaskedSampler {
        public TimeStepped {
            if (steps < 1) throw new IllegalArgumentException("time-stepped sampler needs steps >= 1, got " + steps);
            java.util.Objects.requireNonNull(precision, "precision");
        }

        public TimeStepped(int steps) {
            this(steps, SamplingPrecision.FLOAT64);
        }
    }

    /**
     * The first-hitting sampler (Zheng et al. 2024): from time t with n masked tokens, jump to the time
     * {@link MaskSchedule#firstHit} at which the next token is unmasked, choose that token uniformly among the masked
     * positions, and draw it from the network's prediction. Exactly the time-stepped process in the limit of
     * infinitely many steps, with one network call and one V-way draw per token (NFE = sequence length).
     */
    record FirstHitting(SamplingPrecision precision) implements MaskedSampler {
        public FirstHitting {
            java.util.Objects.requireNonNull(precision, "precision");
        }

        public FirstHitting() {
            this(SamplingPrecision.FLOAT64);
        }
    }
}
