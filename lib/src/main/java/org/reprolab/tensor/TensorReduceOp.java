package org.reprolab.tensor;

/** Reductions a {@link Backend} implements; gradients live with the tensor ops that use them. */
enum TensorReduceOp {
    SUM, MAX, MIN, ARGMAX, ARGMIN
}
