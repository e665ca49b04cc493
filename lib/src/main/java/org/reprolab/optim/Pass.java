package org.reprolab.optim;

import org.reprolab.tornado.expr.Expr;

/**
 * What an {@link Elementwise} fragment reads and writes inside the fused pass, as expressions. Kernel
 * scalars are asked for by name: a hyper-parameter ({@link #hyper}, a record component), or a value
 * computed on the host at each step ({@link #scalar(String, StepScalar)}); the kernel's scalar layout
 * follows from these calls, so one compiled kernel serves every value of the hyper-parameters.
 */
public interface Pass {

    /** The update entering this transformation. */
    Expr update();

    /** The parameter before this step. */
    Expr param();

    /** The gradient (after optimizer-level clipping and accumulation). */
    Expr grad();

    /** The current value of one of this transformation's slots. */
    Expr slot(String name);

    /** Sets the next value of a slot (slots not set keep their value). */
    void slot(String name, Expr next);

    /**
     * A kernel scalar computed on the host for each tensor and step, after {@link Elementwise#advance};
     * asking again with the same name gives the same scalar.
     */
    Expr scalar(String name, StepScalar value);

    /** The value of the transformation's record component {@code component} (numeric, or boolean as 1/0). */
    Expr hyper(String component);

    /** {@code 1 - component}, computed on the host in double precision. */
    Expr complement(String component);

    /** The exponential moving average {@code b avg + (1 - b) x} with {@code b} the hyper-parameter {@code beta}. */
    default Expr ema(String beta, Expr avg, Expr x) {
        return hyper(beta).mul(avg).add(complement(beta).mul(x));
    }

    /** An extra input (see {@link Elementwise#aux()}). */
    Expr aux(String name);

    /** This transformation's per-row value {@code j} (see {@link Elementwise#rowValues}), the same along each row. */
    Expr row(int j);
}
