package org.reprolab.diffusion;

/**
 * What {@link MaskedDiffusion#sample} returns.
 *
 * @param tokens the generated sequences
 * @param nfe    network evaluations per sequence (one per step until no mask is left for the time-stepped sampler,
 *               one per token for the first-hitting sampler)
 * @param draws  categorical draws per sequence (one per masked position per step for the time-stepped sampler: the
 *               cost Zheng et al. 2024 remove)
 */
public record MaskedSamples(int[][] tokens, double nfe, double draws) {}
