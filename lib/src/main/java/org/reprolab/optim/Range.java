package org.reprolab.optim;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import java.util.function.DoublePredicate;

/**
 * The valid values of a hyper-parameter, declared once on its record component, e.g.
 * {@code record ScaleByAdam(@Range(BETA) double beta1, ...)}; {@link Hyper#check} enforces it when the
 * record is built (including re-parameterisation by {@link Transform#with}), with a message naming
 * the transformation, the parameter and the value: {@code "Adam: beta1 must be in [0, 1), got 1.2"}.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.RECORD_COMPONENT)
public @interface Range {

    Kind value();

    /** The ranges the optimizers need; each is checked and worded here only. */
    enum Kind {
        /** {@code 0 <= v < 1}: moment decay rates. */
        BETA("be in [0, 1)", v -> v >= 0 && v < 1),
        /** {@code 0 <= v <= 1}. */
        UNIT("be in [0, 1]", v -> v >= 0 && v <= 1),
        /** {@code v >= 0} and finite. */
        NON_NEGATIVE("be finite and >= 0", v -> v >= 0 && !Double.isInfinite(v)),
        /** {@code v > 0} and finite. */
        POSITIVE("be finite and > 0", v -> v > 0 && !Double.isInfinite(v)),
        /** Finite. */
        FINITE("be finite", Double::isFinite),
        /** A count {@code >= 1}. */
        AT_LEAST_ONE("be >= 1", v -> v >= 1),
        /** A count {@code >= 0} (0 usually meaning "none"). */
        NOT_NEGATIVE("be >= 0", v -> v >= 0);

        private final String phrase;
        private final DoublePredicate ok;

        Kind(String phrase, DoublePredicate ok) {
            this.phrase = phrase;
            this.ok = ok;
        }

        /** Returns {@code v} when it is in range, else throws naming {@code owner} and {@code name}. */
        public <N extends Number> N check(String owner, String name, N v) {
            if (!ok.test(v.doubleValue()))
                throw new IllegalArgumentException(owner + ": " + name + " must " + phrase + ", got " + v);
            return v;
        }
    }
}
