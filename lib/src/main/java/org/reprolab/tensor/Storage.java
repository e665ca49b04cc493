package org.reprolab.tensor;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;

/**
 * The elements behind a tensor: a tornado {@link Buffer} on one {@link Device}. Tensors are strided
 * views over a storage, so reshape/transpose/slice share it. On the {@code jvm} device the buffer
 * wraps a Java array (see {@link Device#wrap}), so host-built tensors cost no copy.
 *
 * <p>A <em>constant</em> storage is a one-element value known on the host ({@code x.mul(2)}'s 2):
 * kernels receive it as a scalar parameter instead of a broadcast buffer, and its buffer is only
 * allocated if someone reads it as data. Constants are internal to ops and never written.
 *
 * <p>A <em>pending</em> storage is an element-wise result not computed yet ({@link Fusion}): it holds
 * the expression that defines it, and {@link #buffer()}, the one materialisation point, runs it.
 * Results that a kernel overwrites completely take their buffer from {@link BufferPool}.
 */
final class Storage {
    final Device device;
    final DType dtype;
    private Buffer buffer;
    private final boolean constant;
    private final double value;
    private final int length;
    private volatile Fusion.Pending pending;
    private BufferPool.Tracker tracker;
    private boolean released;
    /** Tensors and other holders seen over this storage so far (never decremented: see {@link #hold}). */
    private volatile long holders;
    private static final VarHandle HOLDERS;

    static {
        try {
            HOLDERS = MethodHandles.lookup().findVarHandle(Storage.class, "holders", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private Storage(Device device, DType dtype, Buffer buffer, boolean constant, double value, int length) {
        this.device = device;
        this.dtype = dtype;
        this.buffer = buffer;
        this.constant = constant;
        this.value = value;
        this.length = length;
    }

    private Storage(Device device, DType dtype, Buffer buffer) {
        this(device, dtype, buffer, false, 0, buffer.length());
    }

    /** A fresh zero-filled storage. */
    static Storage allocate(Device d, DType t, int n) {
        return new Storage(d, t, d.allocate(t.tornado(), n));
    }

    /**
     * Storage for a result that the caller overwrites completely: a recycled buffer when one of this
     * size is free (its old contents are stale, so never use this where zeros are expected).
     */
    static Storage output(Device d, DType t, int n) {
        Storage s = new Storage(d, t, BufferPool.take(d, t.tornado(), n));
        s.tracker = BufferPool.track(s, s.buffer);
        if (s.tracker != null) {
            TensorScope.register(s);
        }
        return s;
    }

    /** An element-wise result still to be computed (see {@link Fusion}). */
    static Storage pending(Device d, DType t, int n, Fusion.Pending p) {
        Storage s = new Storage(d, t, null, false, 0, n);
        s.pending = p;
        if (n >= BufferPool.MIN_ELEMENTS) {
            TensorScope.register(s);
        }
        return s;
    }

    /** Storage over {@code a} (the array itself on the jvm device, an upload elsewhere). */
    static Storage wrap(Device d, double[] a) {
        return new Storage(d, DType.F64, d.wrap(a));
    }

    static Storage wrap(Device d, float[] a) {
        return new Storage(d, DType.F32, d.wrap(a));
    }

    /** Storage adopting a buffer (its dtype decides the tensor's). */
    static Storage of(Buffer b) {
        return new Storage(b.device(), DType.of(b.dtype()), b);
    }

    /** A one-element host constant, rounded to {@code t}. */
    static Storage constant(Device d, DType t, double v) {
        return new Storage(d, t, null, true, t == DType.F32 ? (float) v : v, 1);
    }

    boolean isConstant() {
        return constant;
    }

    /** The value of a constant storage. */
    double constantValue() {
        return value;
    }

    /** The unevaluated definition of a pending storage, or null once it has values. */
    Fusion.Pending pending() {
        return pending;
    }

    /**
     * The buffer holding the values: the materialisation point of a pending storage, whose chain runs
     * here, once. Constants get a one-element buffer on first use.
     */
    synchronized Buffer buffer() {
        if (released) {
            throw new IllegalStateException("a tensor was read after its buffer went back to the pool: after its close(),"
                    + " or after the end of the Tensor.scope() that made it (keep(tensor) what must outlive a scope)");
        }
        if (pending != null) {
            Fusion.Pending p = pending;
            buffer = BufferPool.take(device, dtype.tornado(), length);
            tracker = BufferPool.track(this, buffer);
            Fusion.run(p, this);
            pending = null;
        } else if (buffer == null) {
            buffer = device.allocate(dtype.tornado(), 1);
            device.fill(buffer, 0, 1, value);
        }
        return buffer;
    }

    /**
     * Runs this storage's chain if it is still pending, else does nothing: the check and the run are one
     * step under this storage's lock. {@link Fusion#flushAll} and {@link Fusion#flushReaders} find pending
     * storages first and run them after; in between another thread may run one (reading it) and its
     * backward sweep release it, and a released storage must then be skipped, not read (with
     * backward's former opt-in release of its intermediates, grokking-stablemax's {@code parallel(2)} runs hit
     * exactly that: one run's optimizer step flushed the chains it had listed while the other run's backward
     * released one; {@link Tensor#close()} releases the same way).
     */
    synchronized void evaluateIfPending() {
        if (pending != null) {
            buffer();
        }
    }

    /** The output buffer while {@link Fusion#run} fills it. */
    Buffer rawBuffer() {
        return buffer;
    }

    /**
     * The buffer, for code outside the tensor package that may keep or write it: materialised, never
     * recycled, and with every pending chain that reads it run first (a write must not change what an
     * earlier op computes).
     */
    Buffer escape() {
        Buffer b = buffer();
        if (tracker != null) {
            tracker.escape();
        }
        Fusion.flushReaders(this);
        return b;
    }

    int size() {
        return length;
    }

    /**
     * Counts one more holder: every {@link Tensor} over this storage (views included), a leaf's
     * {@code grad} slot, a recorded graph node that reads it. The count only grows, since Java does not
     * say when a holder dies: a storage with more than one holder ever is simply never released early.
     */
    void hold() {
        HOLDERS.getAndAdd(this, 1L);
    }

    /**
     * Gives this storage's buffer back to the calling thread's pool now ({@link Tensor#close()}), instead
     * of when the collector finds the storage dead, when nothing else can read it: one holder ever (the
     * closing tensor), a pooled buffer (not escaped, not a constant, not a wrapped array) or a chain not run
     * yet (then dropped unrun), and no pending chain that still reads it. Returns whether it was released; a released storage refuses to be read,
     * so a use after close fails loudly instead of reading stale values.
     */
    synchronized boolean release() {
        if (released || holders > 1 || hasPendingReaders()) {
            return false;
        }
        return giveBack();
    }

    /**
     * Drops a chain never run (nothing to give back, and nothing will run it now) or gives a pooled,
     * never-escaped buffer back to this thread's pool; then this storage refuses to be read.
     */
    private boolean giveBack() {
        if (pending != null) {
            pending = null;
            released = true;
            return true;
        }
        if (tracker == null || !BufferPool.release(tracker)) {
            return false;
        }
        released = true;
        buffer = null;
        tracker = null;
        return true;
    }

    /**
     * Frees this storage at the end of the {@link TensorScope} that made it: like {@link #release} but
     * whatever tensors or graph nodes still hold it (the scope's promise is that none is used again),
     * except a pinned storage (a parameter or a gradient in its slot) and one whose buffer was handed
     * out ({@link #escape}). The scope has run the pending chains that read it and outlive it. Returns
     * whether it was freed.
     */
    synchronized boolean releaseAtScopeEnd() {
        if (released || pins > 0 || constant) {
            return false;
        }
        readers = null;
        return giveBack();
    }

    /** Parameters (leaves that require grad) and gradients in a leaf's slot: no scope frees these. */
    private int pins;

    synchronized boolean pinned() {
        return pins > 0;
    }

    synchronized void pin() {
        pins++;
    }

    /** Returns whether nothing pins this storage any more. */
    synchronized boolean unpin() {
        pins = Math.max(0, pins - 1);
        return pins == 0;
    }

    private boolean hasPendingReaders() {
        if (readers != null) {
            for (WeakReference<Storage> r : readers) {
                Storage p = r.get();
                if (p != null && p.pending() != null) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Pending chains that read this storage directly (weakly held), run before it is written. */
    private List<WeakReference<Storage>> readers;
    private int readersPrune = 16;

    synchronized void addReader(Storage pending) {
        if (readers == null) {
            readers = new ArrayList<>();
        }
        if (readers.size() >= readersPrune) { // amortised: chains already run or collected are dropped
            readers.removeIf(r -> r.get() == null || r.get().pending() == null);
            readersPrune = Math.max(16, 2 * readers.size());
        }
        readers.add(new WeakReference<>(pending));
    }

    /** The readers recorded so far, forgotten here: once run, a chain reads no buffer again. */
    synchronized List<WeakReference<Storage>> takeReaders() {
        List<WeakReference<Storage>> r = readers == null ? List.of() : readers;
        readers = null;
        return r;
    }

    /** One element, read to the host (waits for the device). */
    double get(int i) {
        if (constant) {
            return value;
        }
        double[] r = new double[1];
        buffer().read(i, r, 0, 1);
        return r[0];
    }
}
