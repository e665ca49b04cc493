package org.reprolab.ode.tensor;

import org.reprolab.nn.Module;
import org.reprolab.tensor.Tensor;

/**
 * The right-hand side {@code dy/dt = f(t, y)} of a tensor ODE, written as a value-returning function so that
 * autodiff records it (a neural ODE's {@link Module}, a parametrised system whose parameters require grad).
 *
 * <p>In a solve without gradients each evaluation runs in its own {@link org.reprolab.tensor.TensorScope}:
 * the large tensors it makes, other than the one it returns, are freed when it returns, so the next
 * evaluation reuses their memory. A field that caches a tensor it computed across evaluations must make
 * it outside the field (or {@code keep} it in the enclosing scope); reading a freed one fails loudly.
 */
@FunctionalInterface
public interface TensorField {
    Tensor eval(double t, Tensor y);

    /**
     * A module as a time-dependent field: {@code f(t, y) = m([y, t])}, the time appended as a last input
     * column (Chen, Rubanova, Bettencourt, Duvenaud, <i>Neural Ordinary Differential Equations</i>, NeurIPS
     * 2018; torchdiffeq's {@code ConcatLinear}). y is {@code [d]} or a batch {@code [B, d]}; m maps d + 1
     * inputs to d outputs.
     */
    static TensorField of(Module m) {
        return (t, y) -> {
            int[] sh = y.shape();
            int[] col = sh.clone();
            col[col.length - 1] = 1;
            Tensor tc = Tensor.full(y.dtype(), t, col).to(y.device());
            return m.forward(Tensor.concat(sh.length - 1, y, tc));
        };
    }

    /** A module of y alone (an autonomous field). */
    static TensorField autonomous(Module m) {
        return (t, y) -> m.forward(y);
    }
}
