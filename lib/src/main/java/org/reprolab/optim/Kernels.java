package org.reprolab.optim;

import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/** The few fixed kernels the optimizer runs besides the compiled chains. */
final class Kernels {
    private Kernels() {}

    /** {@code acc += g} (gradient accumulation). */
    static final ElementwiseKernel ACCUMULATE = ElementwiseKernel.of("optim_accumulate", 2, 0, Expr.in(0).add(Expr.in(1)));
}
