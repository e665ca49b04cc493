package org.reprolab.optim;

import org.reprolab.tornado.expr.Expr;

/** What an {@link Elementwise} fragment reads and writes inside the fused pass, as expressions. */
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

    /** This transformation's per-step scalar {@code i}. */
    Expr scalar(int i);

    /** An extra input (see {@link Elementwise#aux()}). */
    Expr aux(String name);

    /** This transformation's per-row value {@code j} (see {@link Elementwise#rowValues}), the same along each row. */
    Expr row(int j);
}
