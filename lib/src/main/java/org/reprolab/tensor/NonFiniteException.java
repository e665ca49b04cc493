package org.reprolab.tensor;

/**
 * Thrown by anomaly detection ({@link Autodiff#detectAnomaly(boolean)}) when an op, forward or
 * backward, produces NaN or infinity. The message names the op so a diverging run points at its cause.
 */
public final class NonFiniteException extends ArithmeticException {
    private final String op;

    public NonFiniteException(String op, String message) {
        super(message);
        this.op = op;
    }

    /** The op that produced the non-finite value (e.g. "log", or "backward of div"). */
    public String op() {
        return op;
    }
}
