package org.reprolab.optim;

import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.DType;
import org.reprolab.tornado.Device;

/**
 * The one place that knows how a parameter's and its gradient's data reach the device. Today
 * tensors keep their data in Java arrays ({@link Tensor#f64Array()}): on the {@code jvm} device the
 * buffer wraps that array with no copy ({@code Device.wrap}); on a device with its own memory this
 * uploads parameter and gradient before the step ({@link #pull()}) and copies the parameter back
 * after it ({@link #push()}). When tensors expose their device buffer ({@code Tensor.buffer()} plus an
 * offset), this class returns that buffer instead and both copies disappear; nothing else in the
 * package changes. Optimizer state never lives here: it stays in device buffers owned by the optimizer.
 */
final class ParamStorage implements AutoCloseable {
    final String name;
    final Tensor param;
    final DType dtype;
    final int numel;
    private final Device device;
    private Buffer p;
    private Buffer g;

    ParamStorage(String name, Tensor param, Device device) {
        this.name = name;
        this.param = param;
        this.device = device;
        this.numel = param.numel();
        this.dtype = dtypeOf(param.dtype());
        live(); // fails early, naming the parameter, for views
    }

    static DType dtypeOf(org.reprolab.tensor.DType t) {
        return t == org.reprolab.tensor.DType.F32 ? DType.F32 : DType.F64;
    }

    private Object live() {
        try {
            return param.dtype() == org.reprolab.tensor.DType.F32 ? param.f32Array() : param.f64Array();
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("optimizer: parameter '" + name + "' is not a dense tensor (" + e.getMessage()
                    + "); optimize the tensor that owns the storage");
        }
    }

    boolean hasGrad() {
        return param.grad() != null;
    }

    /** Device buffer holding the parameter (valid after {@link #pull()}), and its element offset. */
    Buffer param() {
        return p;
    }

    Buffer grad() {
        return g;
    }

    int offset() {
        return 0;
    }

    /** Brings the current parameter values, and the gradient when there is one, to the device. */
    void pull() {
        p = bind(p, live());
        Tensor gr = param.grad();
        if (gr == null) return;
        Object ga;
        try {
            ga = gr.dtype() == org.reprolab.tensor.DType.F32 ? gr.f32Array() : gr.f64Array();
        } catch (IllegalStateException e) { // a view: copy it out
            ga = gr.dtype() == org.reprolab.tensor.DType.F32 ? gr.toFloatArray() : gr.toDoubleArray();
        }
        g = bind(g, ga);
    }

    /**
     * A device buffer with the contents of {@code array}: the array itself where the device's memory is
     * the Java heap (zero-copy, kept while the array is the same), else a fresh upload.
     */
    private Buffer bind(Buffer cur, Object array) {
        if (cur != null && heap(cur) == array) return cur;
        if (cur != null) cur.close();
        return array instanceof float[] f ? device.wrap(f) : device.wrap((double[]) array);
    }

    private static Object heap(Buffer b) {
        return b.dtype() == DType.F32 ? b.heapFloats() : b.heapDoubles();
    }

    /** Writes the updated parameter back into the tensor (nothing to do when the buffer is the array). */
    void push() {
        Object a = live();
        if (heap(p) == a) return;
        if (a instanceof float[] f) p.read(0, f, 0, numel);
        else p.read(0, (double[]) a, 0, numel);
    }

    @Override
    public void close() {
        // zero-copy buffers share the tensors' arrays; closing them only drops the wrapper
        if (p != null && heap(p) == null) p.close();
        if (g != null && heap(g) == null) g.close();
    }
}
