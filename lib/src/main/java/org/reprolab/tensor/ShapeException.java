package org.reprolab.tensor;

/** Thrown when tensor shapes do not fit an op; the message names the op and both shapes. */
public final class ShapeException extends IllegalArgumentException {
    public ShapeException(String message) {
        super(message);
    }
}
