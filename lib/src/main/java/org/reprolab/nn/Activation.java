package org.reprolab.nn;

import java.util.function.UnaryOperator;
import org.reprolab.tensor.Tensor;

/** An element-wise non-linearity as a parameter-free module, so it can sit in a {@link Sequential}. */
public final class Activation extends Module {
    private final String name;
    private final UnaryOperator<Tensor> fn;

    private Activation(String name, UnaryOperator<Tensor> fn) {
        this.name = name;
        this.fn = fn;
    }

    public static Activation relu() { return new Activation("ReLU", Tensor::relu); }
    public static Activation tanh() { return new Activation("Tanh", Tensor::tanh); }
    public static Activation sigmoid() { return new Activation("Sigmoid", Tensor::sigmoid); }
    public static Activation gelu() { return new Activation("GELU", Tensor::gelu); }
    public static Activation silu() { return new Activation("SiLU", Tensor::silu); }
    public static Activation softplus() { return new Activation("Softplus", Tensor::softplus); }
    public static Activation identity() { return new Activation("Identity", x -> x); }

    /** max(x, slope * x) for 0 <= slope <= 1. */
    public static Activation leakyRelu(double slope) {
        return new Activation("LeakyReLU", x -> x.maximum(x.mul(slope)));
    }

    /** By PyTorch-style name, case-insensitive: relu, tanh, sigmoid, gelu, silu, softplus, identity. */
    public static Activation of(String name) {
        return switch (name.toLowerCase(java.util.Locale.ROOT)) {
            case "relu" -> relu();
            case "tanh" -> tanh();
            case "sigmoid" -> sigmoid();
            case "gelu" -> gelu();
            case "silu", "swish" -> silu();
            case "softplus" -> softplus();
            case "identity", "linear", "none" -> identity();
            default -> throw new IllegalArgumentException("unknown activation '" + name
                    + "'; known: relu, tanh, sigmoid, gelu, silu, softplus, identity");
        };
    }

    public String name() {
        return name;
    }

    @Override
    public Tensor forward(Tensor x) {
        return fn.apply(x);
    }

    @Override
    public String toString() {
        return name + "()";
    }
}
