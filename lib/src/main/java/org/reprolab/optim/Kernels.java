package org.reprolab.optim;

import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/** The few fixed kernels the optimizer runs besides the compiled chains. */
final class Kernels {
    private Kernels() {}

    /** {@code acc += g} (gradient accumulation). */
    static final ElementwiseKernel ACCUMULATE = ElementwiseKernel.of("optim_accumulate", 2, 0, Expr.in(0).add(Expr.in(1)));

    /** {@code out = in}: gathers a strided view into a contiguous buffer. */
    static final ElementwiseKernel COPY = ElementwiseKernel.of("optim_copy", 1, 0, Expr.in(0));
}
