package org.reprolab.optim;

import java.util.List;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Operand;

/**
 * The one place that knows where a parameter's and its gradient's elements live: the parameter's own
 * device buffer ({@link Tensor#buffer()} from {@link Tensor#offset()}), which the fused update reads
 * and writes in place, with no copies on any device. The gradient is used where it lies when it is a
 * contiguous tensor on the same device with the same dtype (the common case: what {@code backward()}
 * leaves); a strided view is first gathered into a device-side scratch buffer by one kernel, and a
 * gradient of another dtype converted on the device. Optimizer state never lives here: it stays in
 * device buffers owned by the optimizer.
 */
final class ParamStorage implements AutoCloseable {
    final String name;
    final Tensor param;
    final ElementType dtype;
    final int numel;
    private final Device device;
    private final Buffer p;
    private final int pOff;
    private Buffer g;
    private int gOff;
    private Buffer gradCopy;

    ParamStorage(String name, Tensor param, Device device) {
        this.name = name;
        this.param = param;
        this.device = device;
        this.numel = param.numel();
        this.dtype = dtypeOf(param.dtype());
        Device on = param.buffer().device();
        if (on != device)
            throw new IllegalArgumentException("optimizer: parameter '" + name + "' lives on device '" + on.name()
                    + "' but the optimizer runs on '" + device.name() + "'; move the parameters with to(\"" + device.name()
                    + "\") or build the optimizer with device(...)");
        if (!param.isContiguous())
            throw new IllegalArgumentException("optimizer: parameter '" + name + "' is not a contiguous tensor (strides "
                    + java.util.Arrays.toString(param.strides()) + "); optimize the tensor that owns the storage");
        this.p = param.buffer();
        this.pOff = param.offset();
    }

    static ElementType dtypeOf(org.reprolab.tensor.DType t) {
        return t == org.reprolab.tensor.DType.F32 ? ElementType.F32 : ElementType.F64;
    }

    boolean hasGrad() {
        return param.grad() != null;
    }

    /** The device buffer holding the parameter, updated in place; see {@link #offset()}. */
    Buffer param() {
        return p;
    }

    /** Index of the parameter's first element in {@link #param()}. */
    int offset() {
        return pOff;
    }

    Operand paramOperand() {
        return Operand.of(p, pOff);
    }

    /** The gradient's buffer (valid after {@link #pull()}); see {@link #gradOffset()}. */
    Buffer grad() {
        return g;
    }

    int gradOffset() {
        return gOff;
    }

    /** Binds the current gradient: its own buffer when it is contiguous, else a device-side copy. */
    void pull() {
        Tensor gr = param.grad();
        if (gr == null) return;
        Device on = gr.bufferForReading().device();
        if (on != device)
            throw new IllegalArgumentException("optimizer: the gradient of '" + name + "' lives on device '" + on.name()
                    + "' but the parameter on '" + device.name() + "'");
        if (gr.isContiguous() && dtypeOf(gr.dtype()) == dtype) {
            g = gr.bufferForReading(); // read in this step only: a scope may recycle it after
            gOff = gr.offset();
            return;
        }
        if (gradCopy == null) gradCopy = device.allocate(dtype, numel);
        if (dtypeOf(gr.dtype()) != dtype) gr = gr.to(param.dtype());
        if (gr.isContiguous()) device.copy(gr.buffer(), gr.offset(), gradCopy, 0, numel);
        else device.run(Kernels.COPY, gr.shape(), List.of(gr.operand()), List.of(Operand.of(gradCopy)));
        g = gradCopy;
        gOff = 0;
    }

    @Override
    public void close() {
        if (gradCopy != null) gradCopy.close();
    }
}
