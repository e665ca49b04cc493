package org.reprolab.tensor;

import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.ElementType;

/**
 * Recycles the buffers of dead intermediate results, so a large element-wise op writes into memory
 * that is already mapped instead of a fresh array the JVM must zero and the OS must fault in (issue
 * 16: {@code x.add(y)} on 16M f32 spent most of its 59 ms there, the kernel itself needs about 8).
 * PyTorch's caching allocator does the same with reference counts; here the garbage collector says
 * when a result's {@link Storage} is unreachable (a phantom reference), and its buffer goes back to
 * the pool of the thread that made it, or at once when its tensor is closed ({@link Tensor#close()}) and
 * nothing else ever held it, or when the {@link TensorScope} that made it ends (a training step). Thread-confined pools mean a buffer is reused only by later
 * work of that thread, which on every device is ordered after the work that last read it.
 *
 * <p>Only results whose buffer never left the tensor package are recycled: {@link Storage#escape()}
 * (any public {@link Tensor#buffer()}, array or operand access) keeps a buffer out of the pool for
 * good, since someone outside may still hold it. Pooled buffers hold stale values, so only outputs that
 * a kernel overwrites completely come from here ({@link Storage#output}); zeros still come fresh.
 * Small buffers (under {@value #MIN_ELEMENTS} elements) are cheap to allocate and are not tracked;
 * each thread's pool holds at most an eighth of the heap (1 GiB at most) and drops buffers beyond that.
 */
final class BufferPool {
    private BufferPool() {}

    static final int MIN_ELEMENTS = 1 << 15;
    private static final long MAX_BYTES = Math.min(1L << 30, Runtime.getRuntime().maxMemory() / 8);
    private static final ReferenceQueue<Storage> DEAD = new ReferenceQueue<>();
    /** Keeps trackers reachable until their storage dies. */
    private static final Set<Tracker> TRACKED = ConcurrentHashMap.newKeySet();
    /** Buffers given back by {@link #release} so far (tests check that {@link Tensor#close()} releases). */
    private static final AtomicLong RELEASED = new AtomicLong();
    private static final ThreadLocal<Pool> HOME = ThreadLocal.withInitial(Pool::new);

    private record Key(Device device, ElementType dtype, int length) {}

    /**
     * One thread's free buffers by device, dtype and length, at most {@link #MAX_BYTES} of them (a
     * pool of a finished thread is garbage with its buffers).
     */
    private static final class Pool {
        private final Map<Key, ArrayDeque<Buffer>> free = new HashMap<>();
        private long bytes;

        synchronized void put(Buffer b) {
            if (bytes + bytes(b) <= MAX_BYTES) {
                free.computeIfAbsent(new Key(b.device(), b.dtype(), b.length()), x -> new ArrayDeque<>()).push(b);
                bytes += bytes(b);
            }
        }

        synchronized Buffer take(Key k) {
            ArrayDeque<Buffer> q = free.get(k);
            Buffer b = q == null ? null : q.poll();
            if (b != null) {
                bytes -= bytes(b);
            }
            return b;
        }
    }

    /** Follows one storage's buffer; escaped ones are never recycled. */
    static final class Tracker extends PhantomReference<Storage> {
        private final Buffer buffer;
        private final Pool home;
        private volatile boolean escaped;

        private Tracker(Storage s, Buffer buffer, Pool home) {
            super(s, DEAD);
            this.buffer = buffer;
            this.home = home;
        }

        void escape() {
            escaped = true;
        }
    }

    /** A buffer of {@code n} elements whose contents are unspecified (stale when recycled). */
    static Buffer take(Device d, ElementType t, int n) {
        if (n < MIN_ELEMENTS) {
            return d.allocate(t, n);
        }
        recycleDead();
        Buffer b = HOME.get().take(new Key(d, t, n));
        return b == null || b.isClosed() ? d.allocate(t, n) : b;
    }

    /** Starts following {@code s}'s buffer, or returns null when it is too small to matter. */
    static Tracker track(Storage s, Buffer b) {
        if (b.length() < MIN_ELEMENTS) {
            return null;
        }
        Tracker t = new Tracker(s, b, HOME.get());
        TRACKED.add(t);
        return t;
    }

    /**
     * Puts a live storage's buffer into the calling thread's pool at once ({@link Storage#release}), and
     * stops following it: the collector will not hand it back a second time. False when it escaped.
     */
    static boolean release(Tracker t) {
        if (t.escaped || t.buffer.isClosed()) {
            return false;
        }
        t.clear();
        TRACKED.remove(t);
        HOME.get().put(t.buffer);
        RELEASED.incrementAndGet();
        return true;
    }

    static long released() {
        return RELEASED.get();
    }

    private static void recycleDead() {
        for (Object r; (r = DEAD.poll()) != null; ) {
            Tracker t = (Tracker) r;
            TRACKED.remove(t);
            if (!t.escaped && !t.buffer.isClosed()) {
                t.home.put(t.buffer);
            }
        }
    }

    private static long bytes(Buffer b) {
        return (long) b.length() * (b.dtype() == ElementType.F32 ? 4 : 8);
    }
}
