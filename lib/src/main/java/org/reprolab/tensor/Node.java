package org.reprolab.tensor;

/**
 * One recorded op in the autodiff graph: its name (for error messages), its inputs, and the rule
 * that maps the output's gradient to the inputs' gradients.
 */
record Node(String op, Tensor[] inputs, Backward backward) {

    /** Maps upstream gradient g (shaped like out) to one gradient per input (null = zero). */
    @FunctionalInterface
    interface Backward {
        Tensor[] apply(Tensor g, Tensor out);
    }

}
