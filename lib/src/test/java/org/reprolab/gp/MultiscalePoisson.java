package org.reprolab.gp;

import java.util.function.DoubleUnaryOperator;

/** The multi-scale test problem u″ = f on [0, 1], u(0) = u(1) = 0, u = sin 2πx + 0.1 sin 50πx (GP-HM's 1-D Poisson). */
final class MultiscalePoisson {

    static final DoubleUnaryOperator SOLUTION = x -> Math.sin(2 * Math.PI * x) + 0.1 * Math.sin(50 * Math.PI * x);
    static final DoubleUnaryOperator SOURCE = x -> -4 * Math.PI * Math.PI * Math.sin(2 * Math.PI * x)
            - 0.1 * 2500 * Math.PI * Math.PI * Math.sin(50 * Math.PI * x);

    private MultiscalePoisson() {}
}
