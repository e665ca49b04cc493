package org.reprolab.data;

/**
 * The binary operations of the algorithmic data sets on which grokking was found (Power et al., "Grokking:
 * Generalization Beyond Overfitting on Small Algorithmic Datasets", 2022) and studied since (Prieto et al.,
 * ICLR 2025, whose code has addition, subtraction and product mod p): {@code a ∘ b mod p} for
 * {@link Datasets#modularArithmetic}.
 */
public enum ModularOperation {
    /** {@code (a + b) mod p}. */
    ADD("+"),
    /** {@code (a - b) mod p}, in {@code [0, p)}. */
    SUBTRACT("-"),
    /** {@code (a b) mod p}. */
    MULTIPLY("*");

    private final String symbol;

    ModularOperation(String symbol) {
        this.symbol = symbol;
    }

    /** {@code a ∘ b mod p} in {@code [0, p)} for {@code a, b} in {@code [0, p)}. */
    public int apply(int a, int b, int modulus) {
        long r = switch (this) {
            case ADD -> (long) a + b;
            case SUBTRACT -> (long) a - b;
            case MULTIPLY -> (long) a * b;
        };
        return (int) Math.floorMod(r, (long) modulus);
    }

    /** The operation as written between its operands, {@code "+"}. */
    public String symbol() {
        return symbol;
    }
}
