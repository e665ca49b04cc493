package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/**
 * {@link Tensor#close()}: a result's buffer goes back to the pool at once when nothing else can see it,
 * and only then (issue 16 item 1: deterministic reuse of pooled outputs). Every case checks values
 * against a separately computed reference, so a wrong release shows as wrong numbers or a loud error.
 */
class TensorCloseTest {
    private static final int N = BufferPool.MIN_ELEMENTS * 2;

    private static float[] sum(Tensor x, Tensor y) {
        float[] a = x.toFloatArray(), b = y.toFloatArray(), s = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            s[i] = a[i] + b[i];
        }
        return s;
    }

    @Test
    void aClosedResultIsReusedByTheNextOpAndCannotBeReadAgain() {
        Tensor x = Tensor.randn(DType.F32, 1, N), y = Tensor.randn(DType.F32, 2, N);
        Tensor z = x.add(y).evaluate();
        long before = BufferPool.released();
        z.close();
        assertEquals(before + 1, BufferPool.released(), "an unshared, computed result goes back to the pool");
        assertThrows(IllegalStateException.class, z::toFloatArray, "a closed tensor refuses to be read");
        Tensor w = x.mul(y).evaluate(); // takes the released buffer: it must hold the new values only
        float[] xv = x.toFloatArray(), yv = y.toFloatArray(), wv = w.toFloatArray();
        for (int i = 0; i < N; i++) {
            assertEquals(xv[i] * yv[i], wv[i], 0f);
        }
    }

    @Test
    void aLoopOfClosedResultsAllocatesNoFreshBuffers() {
        Tensor x = Tensor.randn(DType.F32, 3, N), y = Tensor.randn(DType.F32, 4, N);
        float[] expected = sum(x, y);
        long before = BufferPool.released();
        for (int r = 0; r < 5; r++) {
            try (Tensor z = x.add(y).evaluate()) {
                assertArrayEquals(expected, z.toFloatArray(), 0f);
            }
        }
        assertEquals(before + 5, BufferPool.released());
    }

    @Test
    void aSharedResultIsNotReleased() {
        Tensor x = Tensor.randn(DType.F32, 5, N), y = Tensor.randn(DType.F32, 6, N);
        float[] expected = sum(x, y);
        long before = BufferPool.released();
        Tensor viewed = x.add(y).evaluate();
        Tensor view = viewed.reshape(2, N / 2);
        viewed.close(); // the view still reads it
        Tensor handedOut = x.add(y).evaluate();
        handedOut.buffer();
        handedOut.close(); // someone outside may hold the buffer
        Tensor w = Tensor.randn(DType.F32, 7, N).requiresGrad(true);
        Tensor saved = x.add(y).evaluate();
        Tensor loss = w.mul(saved).sum(); // the node keeps `saved` for w's gradient
        saved.close();
        Tensor pendingReader = x.add(y).evaluate();
        Tensor reader = pendingReader.mul(2); // a chain not run yet reads it
        pendingReader.close();
        assertEquals(before, BufferPool.released(), "nothing shared went back to the pool");
        x.mul(y).evaluate(); // would take a wrongly released buffer and overwrite it
        x.sub(y).evaluate();
        assertArrayEquals(expected, view.reshape(N).toFloatArray(), 0f);
        assertArrayEquals(expected, handedOut.toFloatArray(), 0f);
        loss.backward();
        assertArrayEquals(expected, w.grad().toFloatArray(), 0f);
        float[] twice = reader.toFloatArray();
        for (int i = 0; i < N; i++) {
            assertEquals(2 * expected[i], twice[i], 0f);
        }
    }

    @Test
    void closingAGradientTheUserGotLeavesTheLeafsGradIntact() {
        Tensor w = Tensor.randn(DType.F32, 8, N).requiresGrad(true), c = Tensor.randn(DType.F32, 9, N);
        w.mul(c).sum().backward();
        long before = BufferPool.released();
        w.grad().close();
        assertEquals(before, BufferPool.released());
        assertArrayEquals(c.toFloatArray(), w.grad().toFloatArray(), 0f);
    }

    @Test
    void anInPlaceTransposeReleasesItsTemporaryCopy() {
        Tensor z = Tensor.randn(DType.F32, 12, 256, 256);
        float[] before = z.toFloatArray();
        long released = BufferPool.released();
        try (var _ = Autodiff.noGrad()) {
            z.assign(z.t()); // the source aliases z: copied first, and the copy is dead once written
        }
        assertEquals(released + 1, BufferPool.released(), "the temporary copy goes back to the pool");
        float[] after = z.toFloatArray();
        for (int i = 0; i < 256; i++) {
            for (int j = 0; j < 256; j++) {
                assertEquals(before[j * 256 + i], after[i * 256 + j], 0f);
            }
        }
    }

    /**
     * The case that broke grokking-stablemax (with backward's former release of its intermediates, under
     * {@code Lab ... parallel(2)}): one thread's {@link Tensor#evaluatePending()} lists the pending chains,
     * another thread meanwhile computes one of them and releases it; the flush must skip it, not read it.
     * Before {@link Storage#evaluateIfPending} it threw "read after ... gave its buffer back" within a few
     * hundred rounds.
     */
    @Test
    void aFlushOnOneThreadSkipsAResultAnotherThreadClosed() throws Exception {
        Tensor x = Tensor.randn(DType.F32, 10, N), y = Tensor.randn(DType.F32, 11, N);
        float[] expected = sum(x, y);
        AtomicBoolean done = new AtomicBoolean();
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            Future<?> flusher = pool.submit(() -> {
                while (!done.get()) {
                    Tensor.evaluatePending();
                }
            });
            Future<?> closer = pool.submit(() -> {
                try {
                    for (int r = 0; r < 3000; r++) {
                        try (Tensor z = x.add(y)) {
                            z.evaluate();
                            if (r % 500 == 0) {
                                assertArrayEquals(expected, z.toFloatArray(), 0f);
                            }
                        }
                    }
                } finally {
                    done.set(true);
                }
            });
            closer.get();
            flusher.get();
        }
        assertTrue(BufferPool.released() > 0);
    }
}
