package org.reprolab.optim;

/**
 * A kernel scalar computed on the host for one tensor at each step (a bias correction, a learning
 * rate, a norm-based factor), declared by name in {@link Elementwise#apply} through
 * {@link Pass#scalar(String, StepScalar)}. Hyper-parameters enter the same way, as constants.
 */
@FunctionalInterface
public interface StepScalar {
    double at(Step step);
}
