package org.reprolab.optim;

/**
 * One per-element state buffer of a transformation, shaped like its parameter and kept on the
 * parameter's device between steps.
 *
 * @param name key in saved state ({@code "mu"}, {@code "nu"}, ...)
 * @param init value every element starts with
 */
public record Slot(String name, double init) {
    public Slot {
        if (name == null || !name.matches("[A-Za-z_][A-Za-z0-9_]*"))
            throw new IllegalArgumentException("slot name must be an identifier, got '" + name + "'");
    }

    public static Slot zeros(String name) {
        return new Slot(name, 0);
    }
}
