package org.reprolab.ode.tensor;

import org.reprolab.ode.solvers.StateOps;
import org.reprolab.ode.solvers.VectorField;
import org.reprolab.tensor.Tensor;

/**
 * The state of a tensor solve as the solvers see it: a cell holding a tuple of tensors (one for a plain ODE,
 * {@code [y, a, ∂L/∂θ…]} for the augmented adjoint system), like torchdiffeq's tuple states.
 *
 * <p>Why a cell and not {@code StateOps<Tensor>}: the {@link StateOps} seam is written in destination-passing
 * style (the fast path overwrites {@code double[]} buffers), while a tensor in the autodiff graph is a value
 * that must never be overwritten. The cell is the buffer; each operation of {@link TensorOps} puts a fresh,
 * recorded tensor in it. The solvers' buffers hold cells, so the Runge–Kutta loop records exactly the tensor
 * operations of the steps it takes (and nothing of the controller's bookkeeping).
 */
public final class TensorState {
    Tensor[] parts;

    TensorState(Tensor[] parts) {
        this.parts = parts;
    }

    /**
     * The tensor algebra for states shaped like {@code template} (one tensor per part), to run the generic
     * solvers ({@code OdeProblem.of(field, TensorState.ops(y0), ...)}) over tensors.
     */
    public static StateOps<TensorState> ops(Tensor... template) {
        return new TensorOps(template);
    }

    /**
     * The fused device algebra for states shaped like {@code template}: it records nothing and overwrites the
     * states' buffers in place, one element-wise kernel per combination (a solve with no sensitivity, a sampler's
     * loop over device buffers, {@code diffusion.DeviceRun}); every part on one device with one dtype.
     */
    public static StateOps<TensorState> deviceOps(Tensor... template) {
        return new DeviceOps(template);
    }

    /** A state of the given parts. */
    public static TensorState of(Tensor... parts) {
        return new TensorState(parts.clone());
    }

    public int count() {
        return parts.length;
    }

    public Tensor part(int i) {
        return parts[i];
    }

    /** The first (for a plain ODE, the only) part. */
    public Tensor value() {
        return parts[0];
    }

    /** Replaces the contents (for {@link VectorField}s writing {@code dydt}). */
    public void set(Tensor... parts) {
        this.parts = parts.clone();
    }
}
