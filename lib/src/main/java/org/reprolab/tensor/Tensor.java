package org.reprolab.tensor;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.Distribution;
import org.reprolab.tornado.Operand;
import org.reprolab.random.RngKey;

/**
 * An n-dimensional array of f32 or f64 with reverse-mode automatic differentiation.
 *
 * <p>Layout is row-major with strides, so {@link #reshape}, {@link #transpose}, {@link #slice} and
 * {@link #expand} are free views sharing storage. Binary ops broadcast by NumPy's rules. Ops on
 * tensors that {@link #requiresGrad()} record a graph node (while grad mode is on, see
 * {@link Autodiff#noGrad()}); {@link #backward()} fills {@link #grad()} of the leaves. Every
 * gradient rule is written with tensor ops, so gradients can be differentiated again (grad of
 * grad, Hessian-vector products; see {@link Autodiff}).
 *
 * <p>Storage is a tornado {@link Buffer} on a {@link Device}: factories allocate on
 * {@link Devices#current()} (the {@code jvm} device unless chosen otherwise), results live where their
 * inputs live, {@link #to(String)} moves a tensor, and an op on tensors of two devices fails naming
 * both. On the {@code jvm} device buffers are Java arrays wrapped without copies. {@link #buffer()},
 * {@link #offset()} and {@link #operand()} hand the storage to device kernels, e.g. an optimizer's
 * fused in-place update.
 *
 * <p>Tensors are immutable values except for the few explicitly named in-place methods
 * ({@link #assign}, {@link #addInPlace}, {@link #fill}) meant for optimizers, which refuse to run
 * on a tensor that requires grad while grad mode is on.
 *
 * <pre>{@code
 * Tensor w = Tensor.randn(42, 3, 2).requiresGrad(true);
 * Tensor x = Tensor.of(new double[] {1, 2, 3}, 1, 3);
 * Tensor loss = x.matmul(w).tanh().square().sum();
 * loss.backward();
 * w.grad();   // d loss / d w, shape [3, 2]
 * }</pre>
 */
public final class Tensor implements AutoCloseable {

    final Storage data;
    final int[] shape;
    final int[] strides;
    final int offset;
    final Node node;
    private boolean requiresGrad;
    private Tensor grad;

    private Tensor(Storage data, int[] shape, int[] strides, int offset, Node node, boolean requiresGrad) {
        this.data = data;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.node = node;
        this.requiresGrad = requiresGrad;
        data.hold();
    }

    // ------------------------------------------------------------------ construction (internal)

    static Tensor leaf(Storage s, int[] shape) {
        return new Tensor(s, shape, Shapes.contiguousStrides(shape), 0, null, false);
    }

    /** A view or result that records {@code fn} when grad mode is on and an input requires grad. */
    private static Tensor make(Storage s, int[] shape, int[] strides, int offset, String op, Node.Backward fn,
                               Tensor[] inputs) {
        boolean rg = false;
        if (fn != null && Autodiff.isGradEnabled()) {
            for (Tensor in : inputs) {
                rg |= in.requiresGrad;
            }
        }
        if (rg) {
            for (Tensor in : inputs) {
                in.data.hold(); // the node keeps it for backward
            }
        }
        return new Tensor(s, shape, strides, offset, rg ? new Node(op, inputs, fn) : null, rg);
    }

    /** Records a freshly computed contiguous result; checks it for NaN/Inf when anomaly detection is on. */
    static Tensor result(String op, Storage s, int[] shape, Node.Backward fn, Tensor... inputs) {
        Tensor t = make(s, shape, Shapes.contiguousStrides(shape), 0, op, fn, inputs);
        if (Autodiff.isDetectingAnomaly()) {
            Anomaly.check(op, t, inputs);
        }
        return t;
    }

    private Tensor view(String op, int[] shape, int[] strides, int offset, Node.Backward fn) {
        return make(data, shape, strides, offset, op, fn, new Tensor[] {this});
    }

    View view() {
        return new View(data, shape, strides, offset);
    }

    /** This tensor seen with the broadcast shape {@code target} (stride 0 on broadcast dims). */
    View expandedView(int[] target) {
        int[] st = new int[target.length];
        int lead = target.length - shape.length;
        for (int d = 0; d < shape.length; d++) {
            st[d + lead] = shape[d] == 1 && target[d + lead] != 1 ? 0 : strides[d];
        }
        return new View(data, target, st, offset);
    }

    // ------------------------------------------------------------------ factories

    public static Tensor zeros(int... shape) {
        return zeros(DType.F64, shape);
    }

    public static Tensor zeros(DType dtype, int... shape) {
        Shapes.checkShape("zeros", shape);
        return leaf(Storage.allocate(Devices.current(), dtype, Shapes.numel(shape)), shape.clone());
    }

    public static Tensor ones(int... shape) {
        return full(DType.F64, 1, shape);
    }

    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    public static Tensor full(double value, int... shape) {
        return full(DType.F64, value, shape);
    }

    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (value != 0 && t.numel() > 0) {
            t.data.device.fill(t.data.buffer(), 0, t.numel(), value);
        }
        return t;
    }

    /** Zeros shaped like {@code t}, in its dtype, on its device. */
    public static Tensor zerosLike(Tensor t) {
        return leaf(Storage.allocate(t.data.device, t.dtype(), t.numel()), t.shape.clone());
    }

    /** Ones shaped like {@code t}, in its dtype, on its device. */
    public static Tensor onesLike(Tensor t) {
        return fullLike(t, 1);
    }

    /** {@code value} everywhere, shaped like {@code t}, in its dtype, on its device. */
    public static Tensor fullLike(Tensor t, double value) {
        Tensor r = zerosLike(t);
        if (value != 0 && r.numel() > 0) {
            r.data.device.fill(r.data.buffer(), 0, r.numel(), value);
        }
        return r;
    }

    /** A rank-0 tensor. */
    public static Tensor scalar(double value) {
        return full(DType.F64, value);
    }

    public static Tensor scalar(DType dtype, double value) {
        return full(dtype, value);
    }

    /** A 1-d f64 tensor holding {@code values}. */
    public static Tensor of(double... values) {
        return of(values, values.length);
    }

    /** An f64 tensor of the given shape over a copy of {@code values} (row-major). */
    public static Tensor of(double[] values, int... shape) {
        checkLength("of", values.length, shape);
        return leaf(Storage.wrap(Devices.current(), values.clone()), shape.clone());
    }

    /** An f32 tensor of the given shape over a copy of {@code values} (row-major). */
    public static Tensor of(float[] values, int... shape) {
        checkLength("of", values.length, shape);
        return leaf(Storage.wrap(Devices.current(), values.clone()), shape.clone());
    }

    /** A 2-d f64 tensor from rows of equal length. */
    public static Tensor of(double[][] rows) {
        int m = rows.length;
        int n = m == 0 ? 0 : rows[0].length;
        double[] v = new double[m * n];
        for (int i = 0; i < m; i++) {
            if (rows[i].length != n) {
                throw new ShapeException("of: row " + i + " has length " + rows[i].length + ", expected " + n);
            }
            System.arraycopy(rows[i], 0, v, i * n, n);
        }
        return leaf(Storage.wrap(Devices.current(), v), new int[] {m, n});
    }

    private static void checkLength(String op, int len, int[] shape) {
        Shapes.checkShape(op, shape);
        if (Shapes.numel(shape) != len) {
            throw new ShapeException(op + ": " + len + " values do not fill shape " + Shapes.str(shape)
                    + " (" + Shapes.numel(shape) + " elements)");
        }
    }

    /** 0, 1, ..., n-1 in f64. */
    public static Tensor arange(int n) {
        return arange(0, n, 1);
    }

    /** start, start+step, ... while below end (above, for a negative step), like NumPy. */
    public static Tensor arange(double start, double end, double step) {
        if (step == 0 || !Double.isFinite(step)) {
            throw new IllegalArgumentException("arange: step must be finite and non-zero, got " + step);
        }
        int n = (int) Math.max(0, Math.ceil((end - start) / step));
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = start + i * step;
        }
        return of(v, n);
    }

    /** n evenly spaced points from a to b inclusive. */
    public static Tensor linspace(double a, double b, int n) {
        if (n < 0) {
            throw new IllegalArgumentException("linspace: n must be >= 0, got " + n);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = n == 1 ? a : a + (b - a) * i / (n - 1);
        }
        return of(v, n);
    }

    /**
     * Standard normal samples, f64: element {@code i} is number {@code i} of the Philox-4x32-10 stream of
     * {@code RngKey.of(seed)} (Box-Muller), so the same seed gives the same tensor on every device.
     */
    public static Tensor randn(long seed, int... shape) {
        return randn(DType.F64, seed, shape);
    }

    public static Tensor randn(DType dtype, long seed, int... shape) {
        return random(Distribution.NORMAL, dtype, seed, shape);
    }

    /** Uniform samples on [0, 1), f64, from the Philox stream of {@code seed} (see {@link #randn}). */
    public static Tensor rand(long seed, int... shape) {
        return rand(DType.F64, seed, shape);
    }

    public static Tensor rand(DType dtype, long seed, int... shape) {
        return random(Distribution.UNIFORM, dtype, seed, shape);
    }

    private static Tensor random(Distribution dist, DType dtype, long seed, int... shape) {
        Tensor t = zeros(dtype, shape);
        if (t.numel() > 0) {
            t.data.device.random(dist, RngKey.of(seed), 0, t.data.buffer(), 0, t.numel());
        }
        return t;
    }

    /** Uniform samples on [lo, hi). */
    public static Tensor uniform(DType dtype, long seed, double lo, double hi, int... shape) {
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            return rand(dtype, seed, shape).mul(hi - lo).add(lo);
        }
    }

    /** Rows of the identity: result[i, labels[i]] = 1, shape [labels.length, classes], f64. */
    public static Tensor oneHot(int[] labels, int classes) {
        double[] v = new double[labels.length * classes];
        for (int i = 0; i < labels.length; i++) {
            checkClass("oneHot", labels[i], classes, i);
            v[i * classes + labels[i]] = 1;
        }
        return of(v, labels.length, classes);
    }

    /** One-hot of integral values: shape labels.shape + [classes], in labels' dtype. */
    public static Tensor oneHot(Tensor labels, int classes) {
        int[] l = labels.toIntArray("oneHot");
        double[] v = new double[l.length * classes];
        for (int i = 0; i < l.length; i++) {
            checkClass("oneHot", l[i], classes, i);
            v[i * classes + l[i]] = 1;
        }
        return on(labels.data.device, v, Shapes.concat(labels.shape, new int[] {classes})).to(labels.dtype());
    }

    private static void checkClass(String op, int label, int classes, int pos) {
        if (label < 0 || label >= classes) {
            throw new IndexOutOfBoundsException(op + ": label " + label + " at position " + pos
                    + " is out of range for " + classes + " classes");
        }
    }

    // ------------------------------------------------------------------ metadata and values

    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    /** Size along one axis (negative counts from the end). */
    public int size(int axis) {
        return shape[Shapes.axis("size", axis, shape.length)];
    }

    public int numel() {
        return Shapes.numel(shape);
    }

    public DType dtype() {
        return data.dtype;
    }

    /** Name of the device holding the data ({@code "jvm"}, {@code "opencl"}). */
    public String device() {
        return data.device.name();
    }

    /**
     * This tensor on {@code device} (this tensor if it is already there). Differentiable: the gradient
     * flows back to the original device.
     */
    public Tensor to(Device device) {
        Device from = data.device;
        if (device == from) {
            return this;
        }
        Storage s = dtype() == DType.F32 ? Storage.wrap(device, toFloatArray()) : Storage.wrap(device, toDoubleArray());
        return result("to", s, shape.clone(), (g, y) -> new Tensor[] {g.to(from)}, this);
    }

    /** This tensor on the named device; see {@link Devices#get(String)}. */
    public Tensor to(String device) {
        return to(Devices.get(device));
    }

    /**
     * The buffer holding this tensor's elements, on {@link #device()}. Element {@code index} of the
     * tensor lives at {@code offset() + sum(index[d] * strides()[d])}; a {@link #isContiguous()
     * contiguous} tensor occupies {@code [offset(), offset() + numel())}. Kernels run on it directly
     * ({@link #operand()}); writes bypass autodiff and are seen by every view of the storage.
     */
    public Buffer buffer() {
        return data.escape();
    }

    /**
     * The buffer holding this tensor's values, to read during one operation that does not keep it
     * afterwards (an optimizer reads each gradient this way in its step). Unlike {@link #buffer()} it
     * leaves the buffer recyclable, so a gradient a {@link TensorScope} frees is reused by the next
     * step; do not write it, and do not hold it past the tensor's life.
     */
    public Buffer bufferForReading() {
        return data.buffer();
    }

    /**
     * This tensor with its values computed: runs its pending element-wise chain, if any, now rather
     * than when something first reads it (ops are recorded lazily and fused, see {@link Fusion}).
     * For timing a computation; results never depend on it. Returns this.
     */
    public Tensor evaluate() {
        if (!data.isConstant()) {
            data.buffer();
        }
        return this;
    }

    /**
     * Runs every pending element-wise chain now (see {@link Fusion}: ops are recorded lazily and fused,
     * and run when something needs their values). Code that keeps a {@link #buffer()} and writes it
     * later, as an optimizer does with its parameters, calls this first, so no chain recorded before
     * the write reads the new values.
     */
    public static void evaluatePending() {
        Fusion.flushAll();
    }

    /**
     * Opens a {@link TensorScope} on this thread: the memory of the tensors made until it closes is
     * freed then (one per training step, in try-with-resources).
     */
    public static TensorScope scope() {
        return TensorScope.open();
    }

    /**
     * Gives this tensor's memory back for reuse now, as PyTorch's caching allocator does when the last
     * reference to a tensor goes, instead of when the garbage collector finds it dead: a loop
     * {@code try (Tensor z = x.add(y)) { ... }} then writes every round into the same, already mapped
     * buffer (issue 16: a fresh 64 MB result costs the JVM a zeroing pass, page faults while the heap
     * grows, and collections, none of which the op itself needs).
     * It is a promise about this tensor only and is kept only where nothing else can see the memory:
     * a large op result that no other tensor (a view, a leaf's {@code grad}, a recorded autodiff
     * node) ever shared, that was never handed out ({@link #buffer()}, arrays) and that no pending chain
     * still reads; otherwise it does nothing and the collector recycles the buffer as before. After a
     * release, reading this tensor throws {@link IllegalStateException} instead of seeing reused values.
     */
    @Override
    public void close() {
        if (!requiresGrad && node == null && !data.isConstant()) {
            data.release();
        }
    }

    /** Index in {@link #buffer()} of the first element. */
    public int offset() {
        return offset;
    }

    /** Element strides in {@link #buffer()} per axis (0 on broadcast axes). */
    public int[] strides() {
        return strides.clone();
    }

    /**
     * This tensor as an operand of a device kernel launched over {@link #shape()}: contiguous from
     * {@link #offset()} when it is, else with its strides.
     */
    public Operand operand() {
        Buffer b = data.escape();
        return isContiguous() ? Operand.of(b, offset) : Operand.strided(b, offset, strides);
    }

    /** A tensor over {@code buffer} (no copy), row-major from element 0, on the buffer's device. */
    public static Tensor fromBuffer(Buffer buffer, int... shape) {
        Shapes.checkShape("fromBuffer", shape);
        if (Shapes.numel(shape) > buffer.length()) {
            throw new ShapeException("fromBuffer: shape " + Shapes.str(shape) + " needs " + Shapes.numel(shape)
                    + " elements but the buffer has " + buffer.length());
        }
        return leaf(Storage.of(buffer), shape.clone());
    }

    /** A tensor of {@code values} on {@code device}. */
    private static Tensor on(Device device, double[] values, int... shape) {
        return leaf(Storage.wrap(device, values), shape);
    }

    public boolean isContiguous() {
        return view().contiguous();
    }

    /** The single value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new ShapeException("item: tensor of shape " + Shapes.str(shape) + " has " + numel() + " elements, not 1");
        }
        return data.get(offset);
    }

    /** The element at a full index. */
    public double get(int... index) {
        if (index.length != shape.length) {
            throw new ShapeException("get: index of length " + index.length + " for a tensor of shape " + Shapes.str(shape));
        }
        int o = offset;
        for (int d = 0; d < index.length; d++) {
            int i = index[d] < 0 ? index[d] + shape[d] : index[d];
            if (i < 0 || i >= shape[d]) {
                throw new IndexOutOfBoundsException("get: index " + index[d] + " out of range for axis " + d
                        + " of size " + shape[d]);
            }
            o += i * strides[d];
        }
        return data.get(o);
    }

    /** The elements in row-major order, as a new array. */
    public double[] toDoubleArray() {
        double[] r = new double[numel()];
        if (r.length > 0) {
            View v = dense();
            v.data().buffer().read(v.offset(), r, 0, r.length);
        }
        return r;
    }

    public float[] toFloatArray() {
        float[] r = new float[numel()];
        if (r.length > 0) {
            View v = dense();
            v.data().buffer().read(v.offset(), r, 0, r.length);
        }
        return r;
    }

    /** This tensor's elements contiguous in row-major order (itself when already so). */
    private View dense() {
        View v = view();
        return v.contiguous() && !data.isConstant() ? v : Backend.dense(v);
    }

    int[] toIntArray(String op) {
        double[] v = toDoubleArray();
        int[] r = new int[v.length];
        for (int i = 0; i < v.length; i++) {
            r[i] = (int) v[i];
            if (r[i] != v[i]) {
                throw new IllegalArgumentException(op + ": expected integral values, found " + v[i] + " at " + i);
            }
        }
        return r;
    }

    /**
     * The live backing array of a dense f32 tensor on the {@code jvm} device (contiguous, offset 0,
     * owning all of its storage): host code reads and writes it with no copy. Writes are visible to
     * every view of the storage and are not tracked by autodiff. On other devices use
     * {@link #buffer()} with a kernel, or {@link #toFloatArray()}.
     */
    public float[] f32Array() {
        requireDense("f32Array");
        if (dtype() != DType.F32) {
            throw new IllegalStateException("f32Array: tensor is " + dtype().pyName());
        }
        return heap("f32Array", data.escape().heapFloats());
    }

    /** The live backing array of a dense f64 tensor on the {@code jvm} device; see {@link #f32Array()}. */
    public double[] f64Array() {
        requireDense("f64Array");
        if (dtype() != DType.F64) {
            throw new IllegalStateException("f64Array: tensor is " + dtype().pyName());
        }
        return heap("f64Array", data.escape().heapDoubles());
    }

    private <A> A heap(String op, A array) {
        if (array == null) {
            throw new IllegalStateException(op + ": tensor lives on device '" + device()
                    + "', whose memory is not a Java array; use buffer() with a kernel, or to(\"jvm\")");
        }
        return array;
    }

    private void requireDense(String op) {
        if (offset != 0 || !isContiguous() || data.isConstant() || data.size() != numel()) {
            throw new IllegalStateException(op + ": tensor is a view; call copy() first");
        }
    }

    // ------------------------------------------------------------------ autodiff state

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Marks a leaf as a variable to differentiate with respect to; returns this. */
    public Tensor requiresGrad(boolean on) {
        if (node != null && !on) {
            throw new IllegalStateException("requiresGrad(false) on a non-leaf tensor; use detach()");
        }
        if (node == null) {
            if (on && !requiresGrad) {
                data.pin(); // a parameter: no TensorScope frees it, even one made inside a scope
            }
            requiresGrad = on;
        }
        return this;
    }

    /** The accumulated gradient of a leaf after {@link #backward()}, or null. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor g) {
        if (g != null && !Arrays.equals(g.shape, shape)) {
            throw new ShapeException("setGrad: gradient of shape " + Shapes.str(g.shape) + " for tensor of shape "
                    + Shapes.str(shape));
        }
        if (g != null) {
            g.data.hold(); // the grad slot holds it as well as the caller's tensor
        }
        putGrad(g);
    }

    /**
     * Drops the gradient. Inside a {@link TensorScope} the dropped gradient is freed when the scope ends,
     * so a training step that starts with {@code zeroGrad()} reuses last step's gradient memory.
     */
    public void zeroGrad() {
        putGrad(null);
    }

    /** Fills the grad slot: the slot pins its gradient; one it drops goes to the current scope, if any. */
    private void putGrad(Tensor g) {
        if (g != null) {
            g.data.pin();
        }
        Tensor old = grad;
        grad = g;
        if (old != null && old.data.unpin()) {
            TensorScope.register(old.data);
        }
    }

    /** True for tensors not produced by a recorded op (inputs, parameters, constants). */
    public boolean isLeaf() {
        return node == null;
    }

    /** Name of the op that produced this tensor in the graph, or null for a leaf. */
    public String gradFn() {
        return node == null ? null : node.op();
    }

    /** The same data, cut from the graph. */
    public Tensor detach() {
        return new Tensor(data, shape, strides, offset, null, false);
    }

    /** Back-propagates from a one-element tensor, accumulating into the leaves' {@link #grad()}. */
    public void backward() {
        if (numel() != 1) {
            throw new ShapeException("backward: output has shape " + Shapes.str(shape)
                    + "; pass a gradient for non-scalar outputs");
        }
        backward(onesLike(this), false);
    }

    /** Back-propagates {@code gradient} (shaped like this); with createGraph, the grads are differentiable. */
    public void backward(Tensor gradient, boolean createGraph) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward: tensor does not require grad (no input had requiresGrad(true),"
                    + " or it was computed under noGrad)");
        }
        if (!Arrays.equals(gradient.shape, shape)) {
            throw new ShapeException("backward: gradient shape " + Shapes.str(gradient.shape)
                    + " does not match output shape " + Shapes.str(shape));
        }
        Map<Tensor, Tensor> grads = Engine.run(this, gradient, createGraph, null);
        Set<Storage> used = Collections.newSetFromMap(new IdentityHashMap<>());
        try (Autodiff.Scope _ = Autodiff.setGradEnabled(createGraph)) {
            for (Map.Entry<Tensor, Tensor> e : grads.entrySet()) {
                Tensor leaf = e.getKey();
                Tensor g = e.getValue().to(leaf.dtype());
                if (leaf.grad == null) {
                    // leaf grads are dense and unaliased, so optimizers may update them in place
                    boolean dense = g.offset == 0 && g.isContiguous() && g.data.size() == g.numel();
                    leaf.putGrad(createGraph || (dense && used.add(g.data)) ? g : g.copy());
                } else {
                    leaf.putGrad(leaf.grad.add(g));
                }
                leaf.grad.data.hold(); // so that closing a tensor the user got from grad() never frees the slot's buffer
            }
        }
    }

    // ------------------------------------------------------------------ in-place (optimizers)

    private void checkInPlace(String op) {
        if (requiresGrad && Autodiff.isGradEnabled()) {
            throw new IllegalStateException(op + ": in-place update of a tensor that requires grad;"
                    + " do it inside try (var _ = Autodiff.noGrad()) { ... }");
        }
    }

    /**
     * this[...] = src (broadcast, cast); returns this. A lazily recorded element-wise {@code src} of
     * this shape and dtype is computed straight into this tensor's memory, with no intermediate buffer
     * ({@code z.assign(x.add(y))} is PyTorch's {@code torch.add(x, y, out=z)}).
     */
    public Tensor assign(Tensor src) {
        checkInPlace("assign");
        if (src.rank() > rank() || !Arrays.equals(Shapes.broadcast("assign", src.shape, shape), shape)) {
            throw new ShapeException("assign: source shape " + Shapes.str(src.shape) + " does not broadcast to "
                    + Shapes.str(shape));
        }
        Tensor s = src.data == data ? src.copy() : src;
        Fusion.flushReaders(data); // chains recorded before this write read the old values
        if (!Fusion.assignInto(s, this)) {
            Backend.copy(s.expandedView(shape), view());
        }
        if (s != src) {
            s.close(); // the copy of an aliased source is dead now: its buffer goes straight back to the pool
        }
        return this;
    }

    /** this += alpha * other; returns this. */
    public Tensor addInPlace(Tensor other, double alpha) {
        checkInPlace("addInPlace");
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            return assign(this.add(other.mul(alpha)));
        }
    }

    /** Sets every element to value; returns this. */
    public Tensor fill(double value) {
        checkInPlace("fill");
        return assign(scalar(dtype(), value));
    }

    // ------------------------------------------------------------------ views

    /** Same elements in a new shape; one dimension may be -1. A view when the layout allows. */
    public Tensor reshape(int... newShape) {
        int[] ns = newShape.clone();
        int infer = -1;
        long known = 1;
        for (int d = 0; d < ns.length; d++) {
            if (ns[d] == -1) {
                if (infer >= 0) {
                    throw new ShapeException("reshape: more than one -1 in " + Shapes.str(newShape));
                }
                infer = d;
            } else {
                known *= ns[d];
            }
        }
        int n = numel();
        if (infer >= 0 && known != 0 && n % known == 0) {
            ns[infer] = (int) (n / known);
        }
        if (Arrays.stream(ns).anyMatch(d -> d < 0) || Shapes.numel(ns) != n) {
            throw new ShapeException("reshape: cannot reshape shape " + Shapes.str(shape) + " (" + n
                    + " elements) into " + Shapes.str(newShape));
        }
        if (!isContiguous()) {
            return contiguous().reshape(ns);
        }
        int[] orig = shape;
        return view("reshape", ns, Shapes.contiguousStrides(ns), offset, (g, y) -> new Tensor[] {g.reshape(orig)});
    }

    /** All elements in one dimension. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Keeps axes before {@code startAxis} and flattens the rest into one. */
    public Tensor flatten(int startAxis) {
        int s = Shapes.axis("flatten", startAxis, shape.length);
        int[] ns = Arrays.copyOf(shape, s + 1);
        ns[s] = -1;
        return reshape(ns);
    }

    /** Reorders axes: result.shape[i] = shape[perm[i]]. A view. */
    public Tensor permute(int... perm) {
        int r = shape.length;
        if (perm.length != r) {
            throw new ShapeException("permute: permutation " + Arrays.toString(perm) + " for shape " + Shapes.str(shape));
        }
        int[] p = new int[r];
        int[] inv = new int[r];
        boolean[] seen = new boolean[r];
        for (int i = 0; i < r; i++) {
            p[i] = Shapes.axis("permute", perm[i], r);
            if (seen[p[i]]) {
                throw new ShapeException("permute: repeated axis in " + Arrays.toString(perm));
            }
            seen[p[i]] = true;
            inv[p[i]] = i;
        }
        int[] ns = new int[r];
        int[] st = new int[r];
        for (int i = 0; i < r; i++) {
            ns[i] = shape[p[i]];
            st[i] = strides[p[i]];
        }
        return view("permute", ns, st, offset, (g, y) -> new Tensor[] {g.permute(inv)});
    }

    /** Swaps two axes. A view. */
    public Tensor transpose(int a, int b) {
        int r = shape.length;
        int[] p = new int[r];
        for (int i = 0; i < r; i++) {
            p[i] = i;
        }
        int x = Shapes.axis("transpose", a, r);
        int y = Shapes.axis("transpose", b, r);
        p[x] = y;
        p[y] = x;
        return permute(p);
    }

    /** Transpose of a matrix (rank 2); rank 0 and 1 are returned unchanged, like PyTorch. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new ShapeException("t: expects rank <= 2, got shape " + Shapes.str(shape) + "; use mT() or transpose");
        }
        return shape.length < 2 ? this : transpose(0, 1);
    }

    /** Swaps the last two axes (batched matrix transpose). */
    public Tensor mT() {
        if (shape.length < 2) {
            throw new ShapeException("mT: expects rank >= 2, got shape " + Shapes.str(shape));
        }
        return transpose(-2, -1);
    }

    /** Elements start, start+step, ... before end along axis (Python slice rules, negative ends count back). */
    public Tensor slice(int axis, int start, int end, int step) {
        int ax = Shapes.axis("slice", axis, shape.length);
        if (step <= 0) {
            throw new IllegalArgumentException("slice: step must be positive, got " + step);
        }
        int n = shape[ax];
        int s = Math.clamp(start < 0 ? start + n : start, 0, n);
        int e = Math.clamp(end < 0 ? end + n : end, 0, n);
        int len = Math.max(0, (e - s + step - 1) / step);
        int[] ns = shape.clone();
        ns[ax] = len;
        int[] st = strides.clone();
        st[ax] *= step;
        int[] full = shape;
        return view("slice", ns, st, offset + s * strides[ax], (g, y) -> new Tensor[] {g.embed(full, ax, s, step)});
    }

    public Tensor slice(int axis, int start, int end) {
        return slice(axis, start, end, 1);
    }

    /** {@code length} elements from {@code start} along axis; errors when out of range. */
    public Tensor narrow(int axis, int start, int length) {
        int ax = Shapes.axis("narrow", axis, shape.length);
        if (start < 0 || length < 0 || start + length > shape[ax]) {
            throw new IndexOutOfBoundsException("narrow: [" + start + ", " + (start + length) + ") out of range for axis "
                    + ax + " of size " + shape[ax] + " in shape " + Shapes.str(shape));
        }
        return slice(ax, start, start + length, 1);
    }

    /** The sub-tensor at {@code index} along axis, with that axis removed. */
    public Tensor select(int axis, int index) {
        int ax = Shapes.axis("select", axis, shape.length);
        int i = index < 0 ? index + shape[ax] : index;
        if (i < 0 || i >= shape[ax]) {
            throw new IndexOutOfBoundsException("select: index " + index + " out of range for axis " + ax
                    + " of size " + shape[ax]);
        }
        return slice(ax, i, i + 1, 1).squeeze(ax);
    }

    /** Zero-pads along axis: {@code before} zeros, the data, {@code after} zeros. */
    public Tensor pad(int axis, int before, int after) {
        int ax = Shapes.axis("pad", axis, shape.length);
        if (before < 0 || after < 0) {
            throw new IllegalArgumentException("pad: negative padding " + before + ", " + after);
        }
        int[] full = shape.clone();
        full[ax] += before + after;
        return embed(full, ax, before, 1);
    }

    /** The adjoint of slice: zeros of {@code full} with this written at start, start+step, ... on axis. */
    Tensor embed(int[] full, int axis, int start, int step) {
        Storage s = Storage.allocate(data.device, dtype(), Shapes.numel(full));
        int[] fs = Shapes.contiguousStrides(full);
        int[] st = fs.clone();
        st[axis] *= step;
        Backend.copy(view(), new View(s, shape, st, start * fs[axis]));
        int len = shape[axis];
        return result("embed", s, full.clone(),
                (g, y) -> new Tensor[] {g.slice(axis, start, start + (len - 1) * step + 1, step)}, this);
    }

    /** Inserts a size-1 axis at {@code axis} (in [-rank-1, rank]). A view. */
    public Tensor unsqueeze(int axis) {
        int ax = Shapes.axis("unsqueeze", axis, shape.length + 1);
        int[] ns = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int d = 0, j = 0; d < ns.length; d++) {
            if (d == ax) {
                ns[d] = 1;
                st[d] = ax < shape.length ? strides[ax] * shape[ax] : 1;
            } else {
                ns[d] = shape[j];
                st[d] = strides[j++];
            }
        }
        return view("unsqueeze", ns, st, offset, (g, y) -> new Tensor[] {g.squeeze(ax)});
    }

    /** Removes axis if its size is 1 (otherwise returns this, like PyTorch). A view. */
    public Tensor squeeze(int axis) {
        int ax = Shapes.axis("squeeze", axis, shape.length);
        if (shape[ax] != 1) {
            return this;
        }
        int[] ns = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int d = 0, j = 0; d < shape.length; d++) {
            if (d != ax) {
                ns[j] = shape[d];
                st[j++] = strides[d];
            }
        }
        return view("squeeze", ns, st, offset, (g, y) -> new Tensor[] {g.unsqueeze(ax)});
    }

    /** Removes every size-1 axis. */
    public Tensor squeeze() {
        Tensor t = this;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] == 1) {
                t = t.squeeze(d);
            }
        }
        return t;
    }

    /** Broadcasts to {@code target} (NumPy rules; -1 keeps a dimension). A view with stride 0. */
    public Tensor expand(int... target) {
        int[] tg = target.clone();
        int lead = tg.length - shape.length;
        if (lead < 0) {
            throw new ShapeException("expand: cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        int[] st = new int[tg.length];
        for (int d = 0; d < tg.length; d++) {
            if (d < lead) {
                if (tg[d] < 0) {
                    throw new ShapeException("expand: -1 not allowed for new leading dims in " + Shapes.str(target));
                }
                continue;
            }
            int s = shape[d - lead];
            if (tg[d] == -1) {
                tg[d] = s;
            }
            if (s == tg[d]) {
                st[d] = strides[d - lead];
            } else if (s != 1) {
                throw new ShapeException("expand: cannot expand shape " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        if (Arrays.equals(tg, shape)) {
            return this;
        }
        int[] orig = shape;
        return view("expand", tg, st, offset, (g, y) -> new Tensor[] {g.sumTo(orig)});
    }

    /** Sums broadcast dimensions away so the result has {@code target} shape (the adjoint of expand). */
    public Tensor sumTo(int... target) {
        if (Arrays.equals(shape, target)) {
            return this;
        }
        int lead = shape.length - target.length;
        if (lead < 0) {
            throw new ShapeException("sumTo: cannot reduce shape " + Shapes.str(shape) + " to " + Shapes.str(target));
        }
        List<Integer> axes = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (d < lead || (target[d - lead] == 1 && shape[d] != 1)) {
                axes.add(d);
            } else if (target[d - lead] != shape[d]) {
                throw new ShapeException("sumTo: cannot reduce shape " + Shapes.str(shape) + " to " + Shapes.str(target));
            }
        }
        return sum(axes.stream().mapToInt(Integer::intValue).toArray(), true).reshape(target);
    }

    /** A contiguous tensor with the same values (this, if already contiguous). */
    public Tensor contiguous() {
        return isContiguous() ? this : copy();
    }

    /** A fresh contiguous copy (differentiable). */
    public Tensor copy() {
        return cast("copy", dtype());
    }

    /** Converts to another dtype (differentiable; this if already that dtype). */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : cast("to", dtype);
    }

    private Tensor cast(String op, DType dt) {
        Storage s = Storage.output(data.device, dt, numel());
        Backend.copy(view(), new View(s, shape, Shapes.contiguousStrides(shape), 0));
        DType orig = dtype();
        return result(op, s, shape.clone(), (g, y) -> new Tensor[] {g.to(orig)}, this);
    }

    // ------------------------------------------------------------------ element-wise

    private Tensor unary(TensorUnaryOp op) {
        Storage s = Backend.map(op, view(), dtype());
        Tensor x = this;
        return result(op.label(), s, shape.clone(), (g, y) -> new Tensor[] {op.grad(x, y, g)}, this);
    }

    private Tensor binary(TensorBinaryOp op, Tensor o) {
        int[] sh = Shapes.broadcast(op.label(), shape, o.shape);
        DType dt = DType.promote(dtype(), o.dtype());
        Storage s = Backend.zip(op, expandedView(sh), o.expandedView(sh), dt);
        Tensor a = this;
        Node.Backward fn = op.differentiable() ? (g, y) -> {
            Tensor[] gs = op.grad(a, o, y, g);
            return new Tensor[] {fit(gs[0], a), fit(gs[1], o)};
        } : null;
        return result(op.label(), s, sh, fn, a, o);
    }

    /** Sums a broadcast gradient back to the operand's shape and dtype. */
    private static Tensor fit(Tensor g, Tensor like) {
        return g == null ? null : g.sumTo(like.shape).to(like.dtype());
    }

    /** A host constant on this tensor's device: kernels take it as a parameter, not a buffer. */
    private Tensor s(double v) {
        return leaf(Storage.constant(data.device, dtype(), v), new int[0]);
    }

    public Tensor add(Tensor o) { return binary(TensorBinaryOp.ADD, o); }
    public Tensor add(double v) { return binary(TensorBinaryOp.ADD, s(v)); }
    public Tensor sub(Tensor o) { return binary(TensorBinaryOp.SUB, o); }
    public Tensor sub(double v) { return binary(TensorBinaryOp.SUB, s(v)); }
    public Tensor mul(Tensor o) { return binary(TensorBinaryOp.MUL, o); }
    public Tensor mul(double v) { return binary(TensorBinaryOp.MUL, s(v)); }
    public Tensor div(Tensor o) { return binary(TensorBinaryOp.DIV, o); }
    public Tensor div(double v) { return binary(TensorBinaryOp.DIV, s(v)); }
    public Tensor pow(Tensor o) { return binary(TensorBinaryOp.POW, o); }
    public Tensor pow(double v) { return binary(TensorBinaryOp.POW, s(v)); }
    /** Element-wise maximum (ties share the gradient equally). */
    public Tensor maximum(Tensor o) { return binary(TensorBinaryOp.MAXIMUM, o); }
    public Tensor maximum(double v) { return binary(TensorBinaryOp.MAXIMUM, s(v)); }
    public Tensor minimum(Tensor o) { return binary(TensorBinaryOp.MINIMUM, o); }
    public Tensor minimum(double v) { return binary(TensorBinaryOp.MINIMUM, s(v)); }
    /** 1 where this &gt; o, else 0 (no gradient). */
    public Tensor gt(Tensor o) { return binary(TensorBinaryOp.GT, o); }
    public Tensor gt(double v) { return binary(TensorBinaryOp.GT, s(v)); }
    public Tensor ge(Tensor o) { return binary(TensorBinaryOp.GE, o); }
    public Tensor ge(double v) { return binary(TensorBinaryOp.GE, s(v)); }
    public Tensor lt(Tensor o) { return binary(TensorBinaryOp.LT, o); }
    public Tensor lt(double v) { return binary(TensorBinaryOp.LT, s(v)); }
    public Tensor le(Tensor o) { return binary(TensorBinaryOp.LE, o); }
    public Tensor le(double v) { return binary(TensorBinaryOp.LE, s(v)); }
    public Tensor eq(Tensor o) { return binary(TensorBinaryOp.EQ, o); }
    public Tensor eq(double v) { return binary(TensorBinaryOp.EQ, s(v)); }
    public Tensor ne(Tensor o) { return binary(TensorBinaryOp.NE, o); }

    public Tensor neg() { return unary(TensorUnaryOp.NEG); }
    public Tensor exp() { return unary(TensorUnaryOp.EXP); }
    public Tensor log() { return unary(TensorUnaryOp.LOG); }
    public Tensor log1p() { return unary(TensorUnaryOp.LOG1P); }
    public Tensor sqrt() { return unary(TensorUnaryOp.SQRT); }
    public Tensor rsqrt() { return unary(TensorUnaryOp.RSQRT); }
    public Tensor reciprocal() { return unary(TensorUnaryOp.RECIPROCAL); }
    public Tensor square() { return unary(TensorUnaryOp.SQUARE); }
    public Tensor abs() { return unary(TensorUnaryOp.ABS); }
    /** -1, 0 or 1 (no gradient). */
    public Tensor sign() { return unary(TensorUnaryOp.SIGN); }
    public Tensor tanh() { return unary(TensorUnaryOp.TANH); }
    public Tensor sigmoid() { return unary(TensorUnaryOp.SIGMOID); }
    public Tensor relu() { return unary(TensorUnaryOp.RELU); }
    /** log(1 + e^x), computed stably. */
    public Tensor softplus() { return unary(TensorUnaryOp.SOFTPLUS); }
    public Tensor sin() { return unary(TensorUnaryOp.SIN); }
    public Tensor cos() { return unary(TensorUnaryOp.COS); }
    public Tensor erf() { return unary(TensorUnaryOp.ERF); }

    /** x * sigmoid(x) (Ramachandran et al. 2017, "Searching for Activation Functions"). */
    public Tensor silu() {
        return mul(sigmoid());
    }

    /** Exact GELU x * Phi(x) = x/2 (1 + erf(x/sqrt 2)) (Hendrycks and Gimpel 2016), PyTorch's default. */
    public Tensor gelu() {
        return mul(div(Math.sqrt(2)).erf().add(1)).mul(0.5);
    }

    /** 1 where finite, 0 where NaN or infinite. */
    public Tensor isFinite() {
        return abs().lt(Double.POSITIVE_INFINITY);
    }

    /** c != 0 ? a : b, broadcasting all three; gradients flow to a and b. */
    public static Tensor where(Tensor c, Tensor a, Tensor b) {
        int[] sh = Shapes.broadcast("where", Shapes.broadcast("where", c.shape, a.shape), b.shape);
        DType dt = DType.promote(a.dtype(), b.dtype());
        Storage s = Backend.where(c.expandedView(sh), a.expandedView(sh), b.expandedView(sh), dt);
        return result("where", s, sh, (g, y) -> {
            Tensor z = g.s(0);
            return new Tensor[] {null, fit(where(c, g, z), a), fit(where(c, z, g), b)};
        }, c, a, b);
    }

    /** Limits values to [lo, hi]; the gradient is 1 inside (boundaries included) and 0 outside. */
    public Tensor clamp(double lo, double hi) {
        if (lo > hi) {
            throw new IllegalArgumentException("clamp: lo " + lo + " > hi " + hi);
        }
        return where(lt(lo), s(lo), where(gt(hi), s(hi), this));
    }

    public Tensor clampMin(double lo) {
        return where(lt(lo), s(lo), this);
    }

    // ------------------------------------------------------------------ reductions

    private boolean[] axesMask(String op, int[] axes) {
        boolean[] m = new boolean[shape.length];
        if (axes.length == 0) {
            Arrays.fill(m, true);
        }
        for (int a : axes) {
            m[Shapes.axis(op, a, shape.length)] = true;
        }
        return m;
    }

    private Tensor reduce(TensorReduceOp op, String name, int[] axes, boolean keepDims) {
        boolean[] mask = axesMask(name, axes);
        int[] keep = shape.clone();
        List<Integer> dropped = new ArrayList<>();
        List<Integer> kept = new ArrayList<>();
        for (int d = 0; d < shape.length; d++) {
            if (mask[d]) {
                keep[d] = 1;
                dropped.add(d);
            } else {
                kept.add(shape[d]);
            }
        }
        for (int d : dropped) {
            if (shape[d] == 0 && op != TensorReduceOp.SUM) {
                throw new ShapeException(name + ": cannot reduce an empty axis " + d + " of shape " + Shapes.str(shape));
            }
        }
        Storage s = Backend.reduce(op, view(), mask, op == TensorReduceOp.ARGMAX || op == TensorReduceOp.ARGMIN ? DType.F64 : dtype());
        Tensor x = this;
        int[] all = dropped.stream().mapToInt(Integer::intValue).toArray();
        int[] orig = shape;
        Node.Backward fn = switch (op) {
            case SUM -> (g, y) -> new Tensor[] {g.expand(orig)};
            case MAX, MIN -> (g, y) -> {
                Tensor hit = x.eq(y);
                return new Tensor[] {g.mul(hit).div(hit.sum(all, true))};
            };
            case ARGMAX, ARGMIN -> null;
        };
        Tensor r = result(name, s, keep, fn, this);
        return keepDims ? r : r.reshape(kept.stream().mapToInt(Integer::intValue).toArray());
    }

    /** Sum of all elements (rank 0). */
    public Tensor sum() { return sum(new int[0], false); }
    public Tensor sum(int axis) { return sum(new int[] {axis}, false); }
    public Tensor sum(int axis, boolean keepDims) { return sum(new int[] {axis}, keepDims); }
    /** Sum over {@code axes} (all axes when empty). */
    public Tensor sum(int[] axes, boolean keepDims) { return reduce(TensorReduceOp.SUM, "sum", axes, keepDims); }

    public Tensor mean() { return mean(new int[0], false); }
    public Tensor mean(int axis) { return mean(new int[] {axis}, false); }
    public Tensor mean(int axis, boolean keepDims) { return mean(new int[] {axis}, keepDims); }
    public Tensor mean(int[] axes, boolean keepDims) {
        return sum(axes, keepDims).div(count(axes));
    }

    private int count(int[] axes) {
        boolean[] m = axesMask("mean", axes);
        int n = 1;
        for (int d = 0; d < shape.length; d++) {
            if (m[d]) {
                n *= shape[d];
            }
        }
        return n;
    }

    /** Maximum; the gradient is shared equally among tied maxima. */
    public Tensor max() { return max(new int[0], false); }
    public Tensor max(int axis) { return max(new int[] {axis}, false); }
    public Tensor max(int axis, boolean keepDims) { return max(new int[] {axis}, keepDims); }
    public Tensor max(int[] axes, boolean keepDims) { return reduce(TensorReduceOp.MAX, "max", axes, keepDims); }

    public Tensor min() { return min(new int[0], false); }
    public Tensor min(int axis) { return min(new int[] {axis}, false); }
    public Tensor min(int axis, boolean keepDims) { return min(new int[] {axis}, keepDims); }
    public Tensor min(int[] axes, boolean keepDims) { return reduce(TensorReduceOp.MIN, "min", axes, keepDims); }

    /** Index of the first maximum along axis (as f64 values; no gradient). */
    public Tensor argmax(int axis) { return reduce(TensorReduceOp.ARGMAX, "argmax", new int[] {axis}, false); }
    public Tensor argmin(int axis) { return reduce(TensorReduceOp.ARGMIN, "argmin", new int[] {axis}, false); }

    /** Population variance (divides by n, like NumPy's default and LayerNorm). */
    public Tensor var() { return var(new int[0], false, 0); }
    public Tensor var(int axis, boolean keepDims) { return var(new int[] {axis}, keepDims, 0); }

    /** Variance dividing by n - correction (correction 1 is PyTorch's default unbiased estimate). */
    public Tensor var(int[] axes, boolean keepDims, int correction) {
        Tensor d = sub(mean(axes, true));
        return d.square().sum(axes, keepDims).div(count(axes) - correction);
    }

    public Tensor std(int axis, boolean keepDims) {
        return var(axis, keepDims).sqrt();
    }

    // ------------------------------------------------------------------ softmax family

    /** log(sum(exp(x))) along axis, stable: the max is subtracted first (and detached; its gradient cancels). */
    public Tensor logsumexp(int axis, boolean keepDims) {
        int ax = Shapes.axis("logsumexp", axis, shape.length);
        Tensor m = max(ax, true).detach();
        m = where(m.isFinite(), m, s(0));
        Tensor r = sub(m).exp().sum(ax, true).log().add(m);
        return keepDims ? r : r.squeeze(ax);
    }

    public Tensor softmax(int axis) {
        int ax = Shapes.axis("softmax", axis, shape.length);
        Tensor e = sub(max(ax, true).detach()).exp();
        return e.div(e.sum(ax, true));
    }

    public Tensor logSoftmax(int axis) {
        return sub(logsumexp(axis, true));
    }

    // ------------------------------------------------------------------ linear algebra

    /**
     * Matrix product with NumPy semantics: 1-d operands are promoted to a row/column and the extra
     * axis removed afterwards; leading (batch) axes broadcast.
     */
    public Tensor matmul(Tensor o) {
        if (rank() == 0 || o.rank() == 0) {
            throw new ShapeException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape)
                    + ": both operands need rank >= 1");
        }
        int k1 = shape[shape.length - 1];
        int k2 = o.rank() == 1 ? o.shape[0] : o.shape[o.rank() - 2];
        if (k1 != k2) {
            throw new ShapeException("matmul: shapes " + Shapes.str(shape) + " and " + Shapes.str(o.shape)
                    + " do not align (" + k1 + " != " + k2 + ")");
        }
        Tensor a = rank() == 1 ? unsqueeze(0) : this;
        Tensor b = o.rank() == 1 ? o.unsqueeze(1) : o;
        Tensor r = mm(a, b, shape, o.shape);
        if (rank() == 1) {
            r = r.squeeze(-2);
        }
        if (o.rank() == 1) {
            r = r.squeeze(-1);
        }
        return r;
    }

    private static Tensor mm(Tensor a, Tensor b, int[] sa, int[] sb) {
        int ra = a.rank();
        int rb = b.rank();
        int m = a.shape[ra - 2];
        int k = a.shape[ra - 1];
        int n = b.shape[rb - 1];
        int[] batch;
        try {
            batch = Shapes.broadcast("matmul", Arrays.copyOf(a.shape, ra - 2), Arrays.copyOf(b.shape, rb - 2));
        } catch (ShapeException e) {
            throw new ShapeException("matmul: batch dimensions of shapes " + Shapes.str(sa) + " and " + Shapes.str(sb)
                    + " cannot be broadcast");
        }
        DType dt = DType.promote(a.dtype(), b.dtype());
        Storage s = Backend.matmul(a.expandedView(Shapes.concat(batch, new int[] {m, k})),
                b.expandedView(Shapes.concat(batch, new int[] {k, n})), dt);
        return result("matmul", s, Shapes.concat(batch, new int[] {m, n}), (g, y) -> new Tensor[] {
            a.requiresGrad ? fit(g.matmul(b.mT()), a) : null,
            b.requiresGrad ? fit(rightGradient(a, b, g), b) : null}, a, b);
    }

    /**
     * {@code a^T g}, the gradient of {@code b} in {@code a b}, laid out as {@code b} is: for a transposed
     * {@code b} (a {@code Linear} layer's {@code x W^T}) it is computed as {@code (g^T a)^T}, so {@code W}'s
     * gradient arrives contiguous and {@code backward()} stores it without a transposing copy. Each
     * element is the same chain of products over the same index, each product with its factors swapped,
     * so the bits are those of {@code a^T g}.
     */
    private static Tensor rightGradient(Tensor a, Tensor b, Tensor g) {
        return !b.isContiguous() && b.mT().isContiguous() ? g.mT().matmul(a).mT() : a.mT().matmul(g);
    }

    // ------------------------------------------------------------------ indexing

    /** out[i][j] = this[index[i][j]][j] for axis 0 (and so on): PyTorch's gather. */
    public Tensor gather(int axis, Tensor index) {
        int ax = Shapes.axis("gather", axis, shape.length);
        if (index.rank() != rank()) {
            throw new ShapeException("gather: index shape " + Shapes.str(index.shape) + " must have the rank of input shape "
                    + Shapes.str(shape));
        }
        for (int d = 0; d < shape.length; d++) {
            if (d != ax && index.shape[d] > shape[d]) {
                throw new ShapeException("gather: index shape " + Shapes.str(index.shape) + " exceeds input shape "
                        + Shapes.str(shape) + " at axis " + d);
            }
        }
        Storage s = Backend.gather(view(), ax, index.view(), dtype());
        int[] full = shape;
        return result("gather", s, index.shape.clone(),
                (g, y) -> new Tensor[] {g.scatterAdd(ax, index, full), null}, this, index);
    }

    /** Zeros of {@code outShape} with this added at the positions index names along axis (the adjoint of gather). */
    public Tensor scatterAdd(int axis, Tensor index, int... outShape) {
        int ax = Shapes.axis("scatterAdd", axis, outShape.length);
        if (!Arrays.equals(index.shape, shape)) {
            throw new ShapeException("scatterAdd: index shape " + Shapes.str(index.shape) + " differs from source shape "
                    + Shapes.str(shape));
        }
        boolean fits = index.rank() == outShape.length;
        for (int d = 0; fits && d < outShape.length; d++) {
            fits = d == ax || index.shape[d] <= outShape[d];
        }
        if (!fits) {
            throw new ShapeException("scatterAdd: index shape " + Shapes.str(index.shape) + " does not fit output shape "
                    + Shapes.str(outShape) + " outside axis " + ax);
        }
        Storage s = Backend.scatterAdd(view(), ax, index.view(), outShape, dtype());
        return result("scatterAdd", s, outShape.clone(), (g, y) -> new Tensor[] {g.gather(ax, index), null}, this, index);
    }

    /** The entries {@code indices} along axis, in that order (repeats allowed). */
    public Tensor indexSelect(int axis, int... indices) {
        int ax = Shapes.axis("indexSelect", axis, shape.length);
        double[] v = new double[indices.length];
        for (int i = 0; i < v.length; i++) {
            v[i] = indices[i];
        }
        int[] ishape = new int[shape.length];
        Arrays.fill(ishape, 1);
        ishape[ax] = indices.length;
        int[] out = shape.clone();
        out[ax] = indices.length;
        return gather(ax, on(data.device, v, ishape).expand(out));
    }

    /** Joins tensors along an existing axis; the others must match. */
    public static Tensor concat(int axis, Tensor... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("concat: no tensors");
        }
        int r = ts[0].rank();
        int ax = Shapes.axis("concat", axis, r);
        DType dt = ts[0].dtype();
        int total = 0;
        for (Tensor t : ts) {
            boolean ok = t.rank() == r;
            for (int d = 0; ok && d < r; d++) {
                ok = d == ax || t.shape[d] == ts[0].shape[d];
            }
            if (!ok) {
                throw new ShapeException("concat: shapes " + Shapes.str(ts[0].shape) + " and " + Shapes.str(t.shape)
                        + " differ outside axis " + ax);
            }
            total += t.shape[ax];
            dt = DType.promote(dt, t.dtype());
        }
        int[] out = ts[0].shape.clone();
        out[ax] = total;
        Storage s = Storage.allocate(ts[0].data.device, dt, Shapes.numel(out));
        int[] os = Shapes.contiguousStrides(out);
        int[] starts = new int[ts.length];
        for (int i = 0, at = 0; i < ts.length; i++) {
            starts[i] = at;
            Backend.copy(ts[i].view(), new View(s, ts[i].shape, os, at * os[ax]));
            at += ts[i].shape[ax];
        }
        return result("concat", s, out, (g, y) -> {
            Tensor[] gs = new Tensor[ts.length];
            for (int i = 0; i < ts.length; i++) {
                gs[i] = g.narrow(ax, starts[i], ts[i].shape[ax]).to(ts[i].dtype());
            }
            return gs;
        }, ts);
    }

    /** Joins equally shaped tensors along a new axis. */
    public static Tensor stack(int axis, Tensor... ts) {
        if (ts.length == 0) {
            throw new IllegalArgumentException("stack: no tensors");
        }
        int ax = Shapes.axis("stack", axis, ts[0].rank() + 1);
        Tensor[] us = new Tensor[ts.length];
        for (int i = 0; i < ts.length; i++) {
            if (!Arrays.equals(ts[i].shape, ts[0].shape)) {
                throw new ShapeException("stack: shapes " + Shapes.str(ts[0].shape) + " and " + Shapes.str(ts[i].shape)
                        + " differ");
            }
            us[i] = ts[i].unsqueeze(ax);
        }
        return concat(ax, us);
    }

    // ------------------------------------------------------------------ losses

    /** Mean squared error against a target of the same (or broadcastable) shape. */
    public Tensor mse(Tensor target) {
        return sub(target).square().mean();
    }

    /**
     * Mean cross-entropy of logits [N, C] against class indices [N] (each in [0, C)), computed
     * through logSoftmax so large logits do not overflow.
     */
    public Tensor crossEntropy(int... targets) {
        if (rank() != 2 || shape[0] != targets.length) {
            throw new ShapeException("crossEntropy: logits of shape " + Shapes.str(shape) + " and " + targets.length
                    + " targets; expected logits [N, C] with N = number of targets");
        }
        double[] v = new double[targets.length];
        for (int i = 0; i < v.length; i++) {
            checkClass("crossEntropy", targets[i], shape[1], i);
            v[i] = targets[i];
        }
        return logSoftmax(1).gather(1, on(data.device, v, targets.length, 1)).mean().neg();
    }

    /**
     * Cross-entropy as PyTorch decides it: a target shaped like the logits holds class
     * probabilities; a target of shape [N] holds class indices.
     */
    public Tensor crossEntropy(Tensor target) {
        if (Arrays.equals(target.shape, shape)) {
            return logSoftmax(-1).mul(target).sum(-1).mean().neg();
        }
        return crossEntropy(target.toIntArray("crossEntropy"));
    }

    // ------------------------------------------------------------------ comparison

    /** NumPy's allclose: same broadcast shape and |a - b| <= atol + rtol |b| everywhere (NaNs unequal). */
    public boolean allClose(Tensor other, double rtol, double atol) {
        double[] a;
        double[] b;
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            int[] sh = Shapes.broadcast("allClose", shape, other.shape);
            a = expand(sh).toDoubleArray();
            b = other.expand(sh).toDoubleArray();
        }
        for (int i = 0; i < a.length; i++) {
            if (!(Math.abs(a[i] - b[i]) <= atol + rtol * Math.abs(b[i])) && a[i] != b[i]) {
                return false;
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ printing

    /** PyTorch-style text for small tensors; a one-line summary (shape, dtype, device) for large ones. */
    @Override
    public String toString() {
        return Format.format(this);
    }
}
