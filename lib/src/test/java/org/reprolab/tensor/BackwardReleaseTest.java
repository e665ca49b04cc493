package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;

/**
 * Issue 16 item 7: backward gives the buffers of the intermediate gradients it consumed back to the
 * pool when it ends, and a transposed matmul operand (a Linear layer's {@code x W^T}) gets its
 * gradient laid out as the weight is. Neither may change a bit of any gradient.
 */
class BackwardReleaseTest {

    @ParameterizedTest
    @CsvSource({"F32, 256, 96, 80", "F64, 256, 96, 80", "F32, 4, 3, 5", "F64, 4, 3, 5"})
    void linearWeightGradientIsContiguousWithTheBitsOfTheDirectProduct(DType dtype, int m, int k, int n) {
        Tensor x = Tensor.randn(dtype, 1, m, k), w = Tensor.randn(dtype, 2, n, k).requiresGrad(true);
        Tensor gOut = Tensor.randn(dtype, 3, m, n);
        x.matmul(w.t()).backward(gOut, false);
        Tensor expected;
        try (var _ = Autodiff.noGrad()) {
            expected = x.mT().matmul(gOut).mT(); // the former rule: a^T g, then transposed back to W's shape
        }
        assertTrue(w.grad().isContiguous(), "W's gradient arrives in W's layout, so backward() stores it without a copy");
        assertArrayEquals(expected.toDoubleArray(), w.grad().toDoubleArray(), 0.0);
    }

    @Test
    void backwardReleasesConsumedIntermediatesWithoutChangingAGradient() {
        System.setProperty(Engine.RELEASE_PROPERTY, "true");
        try {
            Tensor x = Tensor.randn(DType.F32, 4, 128, 512).requiresGrad(true);
            Tensor w = Tensor.randn(DType.F32, 5, 512, 512).requiresGrad(true);
            Tensor v = Tensor.randn(DType.F32, 6, 512, 64).requiresGrad(true);
            // the same graph, differentiated with createGraph (nothing released) as the reference
            List<Tensor> reference = Autodiff.grad(x.matmul(w).relu().matmul(v).sum(), List.of(x, w, v), null, true);
            long before = BufferPool.released();
            x.matmul(w).relu().matmul(v).sum().backward();
            assertTrue(BufferPool.released() > before, "the [128, 512] gradients of the hidden layer go back to the pool");
            assertArrayEquals(reference.get(0).toFloatArray(), x.grad().toFloatArray(), 0f);
            assertArrayEquals(reference.get(1).toFloatArray(), w.grad().toFloatArray(), 0f);
            assertArrayEquals(reference.get(2).toFloatArray(), v.grad().toFloatArray(), 0f);
            Tensor reused = x.matmul(w); // may take a released buffer: it must hold the new values
            Tensor expected;
            try (var _ = Autodiff.noGrad()) {
                expected = x.detach().matmul(w.detach());
            }
            assertArrayEquals(expected.toFloatArray(), reused.toFloatArray(), 0f);
        } finally {
            System.clearProperty(Engine.RELEASE_PROPERTY);
        }
    }

    @Test
    void aCustomRuleKeepsTheGradientItWasGiven() {
        int n = BufferPool.MIN_ELEMENTS * 2;
        Tensor x = Tensor.randn(DType.F32, 7, n).requiresGrad(true);
        Tensor y = x.mul(3);
        List<Tensor> seen = new ArrayList<>();
        Tensor c = Autodiff.custom("keep", y.detach(), (g, out) -> {
            seen.add(g);
            return new Tensor[] {g};
        }, y);
        c.mul(c).sum().backward();
        float[] cv = y.detach().toFloatArray(), gv = seen.getFirst().toFloatArray();
        for (int i = 0; i < n; i += 997) {
            assertEquals(2 * cv[i], gv[i], 0f, "the gradient a custom rule kept is still readable and intact");
        }
    }

    /**
     * grokking-stablemax's case: two training runs on two threads ({@code Lab ... parallel(2)}). One run's
     * {@code Optimizer.step} runs every pending chain it lists ({@link Tensor#evaluatePending}), the other's
     * backward meanwhile runs one of those chains itself and releases it as a consumed gradient; the first
     * must then skip it, not read it. Before the fix this failed within a few steps with "a backward
     * intermediate was read after backward() gave its buffer back"; each run must also still learn exactly
     * what it learns alone.
     */
    @Test
    void aReleaseOnOneThreadIsSkippedByAnotherThreadsFlush() throws Exception {
        System.setProperty(Engine.RELEASE_PROPERTY, "true");
        try (ExecutorService pool = Executors.newFixedThreadPool(2)) {
            List<Future<float[]>> runs = new ArrayList<>();
            for (int r = 0; r < 4; r++) {
                runs.add(pool.submit(() -> trainStableMax(120)));
            }
            float[] alone = trainStableMax(120);
            for (Future<float[]> run : runs) {
                assertArrayEquals(alone, run.get(), 0f, "a run beside another ends with the weights it has alone");
            }
        } finally {
            System.clearProperty(Engine.RELEASE_PROPERTY);
        }
    }

    /** The notebook's network and loss, smaller: 62 -> 128 -> 128 -> 31, StableMax cross-entropy, AdamW. */
    private static float[] trainStableMax(int steps) {
        Tensor x = Tensor.randn(DType.F32, 11, 512, 62);
        int[] y = new int[512];
        for (int i = 0; i < y.length; i++) {
            y[i] = (i * 7) % 31;
        }
        MLP net = new MLP(new int[] {62, 128, 128, 31}, Activation::relu, DType.F32, 0);
        try (Optimizer opt = Optimizer.builder(net.parameters(), Optimizers.adamw(0.01, 0)).build()) {
            for (int t = 0; t < steps; t++) {
                opt.zeroGrad();
                Losses.stableMaxCrossEntropyRows(net.forward(x), y).mean().backward();
                opt.step();
            }
        }
        return net.forward(x).toFloatArray();
    }
}
