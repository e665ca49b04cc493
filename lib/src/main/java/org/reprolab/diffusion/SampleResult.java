package org.reprolab.diffusion;

/**
 * The outcome of a sampling run.
 *
 * @param x     the samples at the end time
 * @param nfe   model evaluations actually made (counted at the model)
 * @param times the grid the sampler stepped on
 */
public record SampleResult(Batch x, int nfe, double[] times) {}
