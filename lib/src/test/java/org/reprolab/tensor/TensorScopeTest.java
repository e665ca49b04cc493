package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;

/**
 * {@link TensorScope}: what a scope frees (results made inside, dropped gradients), what it never
 * frees (parameters, gradients in their slot, handed-out buffers, kept tensors, other scopes' and
 * threads' tensors), and that a training loop with a scope per step computes exactly what the same
 * loop computes without one. Values are checked against separately computed references, so a wrong
 * free shows as wrong numbers or a loud error.
 */
class TensorScopeTest {
    private static final int N = BufferPool.MIN_ELEMENTS * 2;

    @Test
    void resultsMadeInsideAreFreedAtTheEndAndTheirBuffersReused() {
        Tensor x = Tensor.randn(DType.F32, 1, N), y = Tensor.randn(DType.F32, 2, N);
        Tensor inside;
        long before = BufferPool.released();
        try (TensorScope _ = Tensor.scope()) {
            inside = x.add(y).mul(3).evaluate();
            Tensor matmul = x.reshape(256, N / 256).matmul(y.reshape(N / 256, 256));
            assertEquals(256, matmul.shape()[0]);
        }
        assertEquals(before + 2, BufferPool.released(), "the chain's result and the matmul's result went back");
        IllegalStateException e = assertThrows(IllegalStateException.class, inside::toFloatArray);
        assertTrue(e.getMessage().contains("Tensor.scope()"), e.getMessage());
        // the next results take those buffers: they must hold their own values only
        float[] xv = x.toFloatArray(), yv = y.toFloatArray(), w = x.sub(y).evaluate().toFloatArray();
        for (int i = 0; i < N; i++) assertEquals(xv[i] - yv[i], w[i], 0f);
        assertTrue(x.toFloatArray().length == N, "inputs made outside the scope are untouched");
    }

    @Test
    void keptTensorsParametersHandedOutBuffersAndOuterTensorsSurvive() {
        Tensor x = Tensor.randn(DType.F32, 3, N), y = Tensor.randn(DType.F32, 4, N);
        float[] sum = x.add(y).toFloatArray();
        Tensor kept, parameter, handedOut, outer = x.add(y).evaluate();
        try (TensorScope scope = Tensor.scope()) {
            Tensor temp = x.add(y);                // pending, read by the kept chain below
            kept = scope.keep(temp.mul(1));        // computed now, so it does not need `temp` later
            parameter = x.add(y).evaluate().requiresGrad(true);
            handedOut = x.add(y).evaluate();
            handedOut.buffer();
        }
        for (int r = 0; r < 3; r++) x.mul(y).evaluate(); // would take a wrongly freed buffer and overwrite it
        assertArrayEquals(sum, kept.toFloatArray(), 0f);
        assertArrayEquals(sum, parameter.toFloatArray(), 0f);
        assertArrayEquals(sum, handedOut.toFloatArray(), 0f);
        assertArrayEquals(sum, outer.toFloatArray(), 0f);
    }

    @Test
    void aKeptTensorBelongsToTheEnclosingScope() {
        Tensor x = Tensor.randn(DType.F32, 5, N);
        Tensor kept;
        try (TensorScope _ = Tensor.scope()) {
            try (TensorScope inner = Tensor.scope()) {
                kept = inner.keep(x.mul(2));
            }
            assertEquals(2 * x.toFloatArray()[7], kept.toFloatArray()[7], 0f);
        }
        assertThrows(IllegalStateException.class, kept::toFloatArray);
    }

    @Test
    void aPendingChainThatOutlivesTheScopeIsComputedBeforeWhatItReadsIsFreed() {
        Tensor w = Tensor.randn(DType.F32, 6, N).requiresGrad(true);
        Tensor x = Tensor.randn(DType.F32, 7, N);
        float[] xv = x.toFloatArray();
        try (TensorScope _ = Tensor.scope()) {
            Tensor h = x.mul(2).evaluate();      // freed at the end
            w.mul(h).sum().backward();           // dL/dw = h, left in the slot
        }
        for (int r = 0; r < 3; r++) x.add(x).evaluate();
        float[] g = w.grad().toFloatArray();
        for (int i = 0; i < N; i++) assertEquals(2 * xv[i], g[i], 0f);
    }

    @Test
    void zeroGradInsideAScopeFreesTheDroppedGradientButNotTheNewOne() {
        Tensor w = Tensor.randn(DType.F32, 8, N).requiresGrad(true);
        Tensor x = Tensor.randn(DType.F32, 9, N);
        w.mul(x).sum().backward();
        Tensor old = w.grad();
        long before = BufferPool.released();
        try (TensorScope _ = Tensor.scope()) {
            w.zeroGrad();
            w.mul(x).mul(3).sum().backward();
        }
        assertTrue(BufferPool.released() > before);
        assertThrows(IllegalStateException.class, old::toFloatArray, "the dropped gradient was freed");
        float[] xv = x.toFloatArray(), g = w.grad().toFloatArray();
        for (int i = 0; i < N; i++) assertEquals(3 * xv[i], g[i], 1e-6f * Math.abs(3 * xv[i]));
    }

    @Test
    void aScopePerStepTrainsExactlyAsWithoutOneAndReusesTheStepsMemory() {
        float[] plain = train(false), scoped = train(true);
        assertArrayEquals(plain, scoped, 0f);
    }

    /** Ten Adam steps of a 2-layer net on fixed data; returns the first layer's weights. */
    private static float[] train(boolean scoped) {
        Tensor w1 = Tensor.randn(DType.F32, 10, 128, 256).mul(0.05).evaluate().requiresGrad(true);
        Tensor w2 = Tensor.randn(DType.F32, 11, 256, 4).mul(0.05).evaluate().requiresGrad(true);
        Tensor x = Tensor.randn(DType.F32, 12, 256, 128);
        Tensor y = Tensor.randn(DType.F32, 13, 256, 4);
        long before = BufferPool.released();
        try (Optimizer opt = Optimizer.of(Map.of("w1", w1, "w2", w2), Optimizers.adam(1e-2))) {
            for (int s = 0; s < 10; s++) {
                try (TensorScope _ = scoped ? Tensor.scope() : null) {
                    w1.zeroGrad();
                    w2.zeroGrad();
                    x.matmul(w1).tanh().matmul(w2).sub(y).square().mean().backward();
                    opt.step();
                }
            }
        }
        if (scoped) assertTrue(BufferPool.released() - before >= 10 * 3, "each step freed its activations and gradients");
        assertNotNull(w1.grad());
        return w1.toFloatArray();
    }

    @Test
    void scopesEndInReverseOrderOnTheirOwnThreadAndDoNotTouchOtherThreads() throws Exception {
        TensorScope outer = Tensor.scope();
        TensorScope inner = Tensor.scope();
        assertThrows(IllegalStateException.class, outer::close);
        inner.close();
        Tensor x = Tensor.randn(DType.F32, 14, N);
        var pool = Executors.newSingleThreadExecutor();
        try {
            Tensor other = pool.submit(() -> x.mul(5).evaluate()).get(); // made on a thread with no scope
            assertThrows(java.util.concurrent.ExecutionException.class, () -> pool.submit(outer::close).get());
            outer.close();
            assertEquals(5 * x.toFloatArray()[3], other.toFloatArray()[3], 0f);
        } finally {
            pool.shutdown();
        }
    }
}
