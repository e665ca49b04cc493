package org.reprolab.nn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.GradCheck;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

class LayersTest {

    @Test
    void layerNormNormalisesAndDifferentiates() {
        Tensor x = Tensor.randn(1, 4, 6).mul(3).add(2);
        Tensor y = new LayerNorm(6).forward(x);
        assertArrayEquals(new double[4], y.mean(1).toDoubleArray(), 1e-12);
        // var(y) = var(x) / (var(x) + eps)
        Tensor vx = x.var(1, false);
        assertArrayEquals(vx.div(vx.add(1e-5)).toDoubleArray(), y.var(1, false).toDoubleArray(), 1e-12);
        GradCheck.checkSecondOrder(xs -> LayerNorm.apply(xs[0], xs[1], xs[2], 1, 1e-5),
                Tensor.randn(2, 3, 4), Tensor.randn(3, 4), Tensor.randn(4, 4));
        GradCheck.check(xs -> LayerNorm.apply(xs[0], null, null, 2, 1e-5), Tensor.randn(5, 2, 3, 2));
        assertThrows(ShapeException.class, () -> new LayerNorm(5).forward(x));
    }

    @Test
    void linearFunctionalGradients() {
        GradCheck.checkSecondOrder(xs -> Linear.apply(xs[0], xs[1], xs[2]).tanh(),
                Tensor.randn(6, 5, 3), Tensor.randn(7, 2, 3), Tensor.randn(8, 2));
    }

    @Test
    void timeEmbeddingMatchesFormula() {
        TimeEmbedding te = new TimeEmbedding(6);
        Tensor e = te.forward(Tensor.of(0, 2.5));
        assertArrayEquals(new int[] {2, 6}, e.shape());
        assertArrayEquals(new double[] {1, 1, 1, 0, 0, 0}, e.select(0, 0).toDoubleArray(), 1e-15);
        double[] row = e.select(0, 1).toDoubleArray();
        for (int i = 0; i < 3; i++) {
            double f = Math.pow(10_000, -i / 3.0);
            assertEquals(Math.cos(2.5 * f), row[i], 1e-12);
            assertEquals(Math.sin(2.5 * f), row[i + 3], 1e-12);
        }
        assertArrayEquals(new int[] {1, 7}, new TimeEmbedding(7).forward(Tensor.scalar(3)).shape());
        assertEquals(0, new TimeEmbedding(7).forward(Tensor.scalar(3)).get(0, 6));
        assertEquals(DType.F32, te.forward(Tensor.of(new float[] {1}, 1)).dtype());
        GradCheck.check(xs -> te.forward(xs[0]), Tensor.of(0.3, 7.0));
    }

    /** Direct cross-correlation loops, independent of im2col. */
    private static double[] naiveConv(Tensor x, Tensor w, Tensor b, int stride, int pad) {
        int n = x.size(0), c = x.size(1), h = x.size(2), wd = x.size(3), o = w.size(0), k = w.size(2);
        int ho = (h + 2 * pad - k) / stride + 1, wo = (wd + 2 * pad - k) / stride + 1;
        double[] out = new double[n * o * ho * wo];
        for (int in = 0; in < n; in++) {
            for (int oc = 0; oc < o; oc++) {
                for (int y = 0; y < ho; y++) {
                    for (int xx = 0; xx < wo; xx++) {
                        double acc = b.get(oc);
                        for (int ic = 0; ic < c; ic++) {
                            for (int i = 0; i < k; i++) {
                                for (int j = 0; j < k; j++) {
                                    int r = y * stride + i - pad, q = xx * stride + j - pad;
                                    if (r >= 0 && r < h && q >= 0 && q < wd) {
                                        acc += w.get(oc, ic, i, j) * x.get(in, ic, r, q);
                                    }
                                }
                            }
                        }
                        out[((in * o + oc) * ho + y) * wo + xx] = acc;
                    }
                }
            }
        }
        return out;
    }

    @Test
    void conv2dMatchesDirectLoopsAndGradients() {
        Conv2d conv = new Conv2d(2, 3, 3, 2, 1, 11);
        Tensor x = Tensor.randn(2, 2, 2, 5, 6);
        Tensor y = conv.forward(x);
        assertArrayEquals(new int[] {2, 3, 3, 3}, y.shape());
        Tensor w = conv.parameters().get("weight");
        Tensor b = conv.parameters().get("bias");
        assertArrayEquals(naiveConv(x, w, b, 2, 1), y.toDoubleArray(), 1e-12);
        Tensor x1 = Tensor.randn(3, 1, 2, 4, 4);
        Tensor w1 = Tensor.randn(4, 2, 2, 2, 2);
        assertArrayEquals(naiveConv(x1, w1, Tensor.zeros(2), 1, 0), Conv2d.apply(x1, w1, null, 1, 0).toDoubleArray(), 1e-12);
        GradCheck.check(xs -> Conv2d.apply(xs[0], xs[1], xs[2], 2, 1), Tensor.randn(5, 1, 2, 4, 3), Tensor.randn(6, 2, 2, 3, 3),
                Tensor.randn(7, 2));
        GradCheck.checkSecondOrder(xs -> Conv2d.apply(xs[0], xs[1], null, 1, 0).tanh(), Tensor.randn(8, 1, 1, 3, 3),
                Tensor.randn(9, 2, 1, 2, 2));
        assertThrows(ShapeException.class, () -> conv.forward(Tensor.zeros(1, 3, 5, 5)));
    }

    @Test
    void initialisersHaveTheirScales() {
        int[] shape = {200, 300};
        Tensor xu = Init.xavierUniform().sample(DType.F64, 1, shape);
        double b = Math.sqrt(6.0 / 500);
        assertTrue(xu.abs().max().item() <= b);
        assertEquals(b * b / 3, xu.var().item(), 0.03 * b * b / 3);
        assertEquals(2.0 / 500, Init.xavierNormal().sample(DType.F64, 2, shape).var().item(), 0.03 * 2.0 / 500);
        assertEquals(2.0 / 300, Init.kaimingNormal().sample(DType.F64, 3, shape).var().item(), 0.03 * 2.0 / 300);
        Tensor ku = Init.kaimingUniform().sample(DType.F64, 4, shape);
        assertTrue(ku.abs().max().item() <= Math.sqrt(6.0 / 300));
        Tensor td = Init.torchDefault().sample(DType.F64, 5, shape);
        assertTrue(td.abs().max().item() <= 1 / Math.sqrt(300));
        assertEquals(1.0 / 300 / 3, td.var().item(), 0.03 / 900);
        assertArrayEquals(new int[] {3 * 25, 8 * 25}, Init.fans(8, 3, 5, 5));
        assertArrayEquals(new double[] {0.25, 0.25}, new Init.Constant(0.25).sample(DType.F64, 0, 2).toDoubleArray());
        assertThrows(IllegalArgumentException.class, () -> Init.xavierUniform().sample(DType.F64, 0, 5));
    }

    @Test
    void lossesClosedForms() {
        assertEquals(Math.log(2), Losses.bceWithLogits(Tensor.of(0.0), Tensor.of(1.0)).item(), 1e-15);
        assertEquals(100, Losses.bceWithLogits(Tensor.of(100.0, -100.0), Tensor.of(0.0, 1.0)).item(), 1e-12);
        double x = 0.7;
        double y = 0.3;
        double s = 1 / (1 + Math.exp(-x));
        assertEquals(-(y * Math.log(s) + (1 - y) * Math.log(1 - s)), Losses.bceWithLogits(Tensor.of(x), Tensor.of(y)).item(), 1e-14);
        GradCheck.check(xs -> Losses.bceWithLogits(xs[0], xs[1]), Tensor.randn(3, 5), Tensor.rand(4, 5));
        assertThrows(ShapeException.class, () -> Losses.bceWithLogits(Tensor.zeros(2), Tensor.zeros(3)));
        assertEquals(Math.log(3), Losses.crossEntropy(Tensor.zeros(2, 3), 0, 2).item(), 1e-15);
        assertEquals(2.5, Losses.mse(Tensor.of(1, 2), Tensor.of(0, 4)).item(), 1e-15);
    }

    @Test
    void hvpThroughAModule() {
        // The Hessian of a linear least-squares loss in w is 2 X^T X / n, independent of w.
        Tensor xs = Tensor.randn(12, 10, 3);
        Tensor ys = Tensor.randn(13, 10, 1);
        Tensor v = Tensor.of(1, -2, 0.5);
        Tensor hv = Autodiff.hvp(w -> Losses.mse(xs.matmul(w.unsqueeze(1)), ys), Tensor.randn(14, 3), v);
        Tensor expected = xs.t().matmul(xs).matmul(v).mul(2.0 / 10);
        assertArrayEquals(expected.toDoubleArray(), hv.toDoubleArray(), 1e-12);
    }

    @Test
    void mlpHiddenGivesEveryActivationAndTheLastFeedsTheOutputLayer() {
        MLP net = new MLP(new int[] {4, 6, 5, 3}, Activation::tanh, 7);
        Tensor x = Tensor.randn(1, 8, 4);
        var hidden = net.hidden(x);
        assertEquals(2, hidden.size());
        assertArrayEquals(new int[] {8, 6}, hidden.get(0).shape());
        assertArrayEquals(new int[] {8, 5}, hidden.get(1).shape());
        Tensor first = x.matmul(net.parameters().get("layers.0.weight").transpose(0, 1)).add(net.parameters().get("layers.0.bias")).tanh();
        assertArrayEquals(first.toDoubleArray(), hidden.get(0).toDoubleArray(), 1e-14, "tanh(x W0^T + b0)");
        Tensor out = hidden.get(1).matmul(net.parameters().get("layers.4.weight").transpose(0, 1)).add(net.parameters().get("layers.4.bias"));
        assertArrayEquals(net.forward(x).toDoubleArray(), out.toDoubleArray(), 1e-14);
    }

    @Test
    void mlpWithGivenInitsDrawsThemPerLayer() {
        // the information-plane paper's init: N(0, 1/fanIn) weights, zero biases
        MLP net = new MLP(new int[] {400, 300, 2}, Activation::tanh, new Init.KaimingNormal(1, Init.FanMode.FAN_IN), new Init.Constant(0), 3);
        double[] w = net.parameters().get("layers.0.weight").toDoubleArray();
        double var = java.util.Arrays.stream(w).map(v -> v * v).sum() / w.length;
        assertEquals(1.0 / 400, var, 0.03 / 400, "variance 1/fanIn over 120000 draws");
        assertEquals(0.0, java.util.Arrays.stream(net.parameters().get("layers.0.bias").toDoubleArray()).map(Math::abs).max().orElseThrow(), 0.0);
        assertThrows(NullPointerException.class, () -> new MLP(new int[] {2, 2}, Activation::tanh, null, new Init.Constant(0), 3));
    }
}
