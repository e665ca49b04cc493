package org.reprolab.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Forward values against hand computations and closed forms. */
class TensorValuesTest {

    private static final double EPS = 1e-12;

    @Test
    void factories() {
        assertArrayEquals(new double[] {0, 1, 2, 3}, Tensor.arange(4).toDoubleArray());
        assertArrayEquals(new double[] {1, 1.5, 2}, Tensor.arange(1, 2.1, 0.5).toDoubleArray(), EPS);
        assertArrayEquals(new double[] {0, 0.25, 0.5, 0.75, 1}, Tensor.linspace(0, 1, 5).toDoubleArray(), EPS);
        assertArrayEquals(new double[] {7, 7, 7, 7, 7, 7}, Tensor.full(7, 2, 3).toDoubleArray());
        assertArrayEquals(new int[] {2, 3}, Tensor.zeros(DType.F32, 2, 3).shape());
        assertEquals(DType.F32, Tensor.ones(DType.F32, 2).dtype());
        assertEquals(0, Tensor.scalar(3).rank());
        assertEquals("jvm", Tensor.zeros(1).device());
        assertArrayEquals(new double[] {0, 1, 0, 1, 0, 0}, Tensor.oneHot(new int[] {1, 0}, 3).toDoubleArray());
    }

    @Test
    void seededRandomIsReproducibleAndRoughlyStandard() {
        assertArrayEquals(Tensor.randn(5, 100).toDoubleArray(), Tensor.randn(5, 100).toDoubleArray());
        assertFalse(java.util.Arrays.equals(Tensor.randn(5, 10).toDoubleArray(), Tensor.randn(6, 10).toDoubleArray()));
        Tensor z = Tensor.randn(1, 200_000);
        assertEquals(0, z.mean().item(), 0.01);
        assertEquals(1, z.var().item(), 0.01);
        Tensor u = Tensor.rand(2, 200_000);
        assertEquals(0.5, u.mean().item(), 0.01);
        assertEquals(1.0 / 12, u.var().item(), 0.002);
        assertTrue(u.min().item() >= 0 && u.max().item() < 1);
    }

    @Test
    void broadcastingArithmetic() {
        Tensor a = Tensor.of(new double[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(10, 20, 30);
        assertArrayEquals(new double[] {11, 22, 33, 14, 25, 36}, a.add(b).toDoubleArray());
        Tensor c = Tensor.of(new double[] {1, 2}, 2, 1);
        assertArrayEquals(new double[] {0, 1, 2, 2, 3, 4}, a.sub(c).toDoubleArray(), EPS);
        assertArrayEquals(new int[] {2, 3}, c.mul(b).shape());
        assertArrayEquals(new double[] {10, 20, 30, 20, 40, 60}, c.mul(b).toDoubleArray());
        assertArrayEquals(new double[] {1, 4, 27}, Tensor.of(1, 2, 3).pow(Tensor.of(5, 2, 3)).toDoubleArray(), EPS);
        assertArrayEquals(new double[] {2, 5, 3}, Tensor.of(1, 5, 3).maximum(2).minimum(Tensor.of(9, 9, 3)).toDoubleArray());
        assertEquals(DType.F64, Tensor.ones(DType.F32, 2).add(Tensor.ones(2)).dtype());
        assertEquals(DType.F32, Tensor.ones(DType.F32, 2).mul(3.5).dtype());
    }

    @Test
    void elementwiseMath() {
        assertEquals(0.5204998778130465, Tensor.of(0.5).erf().item(), 1e-15);
        assertEquals(0.8427007929497149, Tensor.of(1.0).erf().item(), 1e-15);
        assertEquals(0.9953222650189527, Tensor.of(2.0).erf().item(), 1e-15);
        assertEquals(-0.9999779095030014, Tensor.of(-3.0).erf().item(), 1e-15);
        assertEquals(0.8413447460685429, Tensor.of(1.0).gelu().item(), 1e-15);
        assertEquals(-0.15865525393145707, Tensor.of(-1.0).gelu().item(), 1e-15);
        assertEquals(1 / (1 + Math.exp(-2.0)) * 2, Tensor.of(2.0).silu().item(), EPS);
        assertArrayEquals(new double[] {Math.log(2), 1000, 0}, Tensor.of(0, 1000, -1000).softplus().toDoubleArray(), EPS);
        assertArrayEquals(new double[] {0, 1, 1}, Tensor.of(-1000, 1000, 800).sigmoid().toDoubleArray(), EPS);
        assertArrayEquals(new double[] {0, 0, 2}, Tensor.of(-1, 0, 2).relu().toDoubleArray());
        assertArrayEquals(new double[] {0.5, 2}, Tensor.of(4, 0.25).rsqrt().toDoubleArray(), EPS);
        assertArrayEquals(new double[] {-1, 0, 1}, Tensor.of(-3, 0, 2).sign().toDoubleArray());
        assertArrayEquals(new double[] {-0.5, 0.3, 1}, Tensor.of(-2, 0.3, 7).clamp(-0.5, 1).toDoubleArray(), EPS);
        assertArrayEquals(new double[] {1, 0, 0}, Tensor.of(1, Double.NaN, Double.POSITIVE_INFINITY).isFinite().toDoubleArray());
    }

    @Test
    void matmulValues() {
        Tensor a = Tensor.of(new double[][] {{1, 2}, {3, 4}});
        Tensor b = Tensor.of(new double[][] {{5, 6}, {7, 8}});
        assertArrayEquals(new double[] {19, 22, 43, 50}, a.matmul(b).toDoubleArray());
        assertArrayEquals(new double[] {26, 30, 38, 44}, a.t().matmul(b).toDoubleArray());
        assertArrayEquals(new double[] {17, 39}, a.matmul(Tensor.of(5, 6)).toDoubleArray());
        assertEquals(11, Tensor.of(1, 2).matmul(Tensor.of(3, 4)).item());
        // batch broadcast: [2,1,2,2] @ [3,2,2] -> [2,3,2,2]
        Tensor ba = Tensor.stack(0, a, b).unsqueeze(1);
        Tensor bb = Tensor.stack(0, b, a, Tensor.of(new double[][] {{1, 0}, {0, 1}}));
        Tensor r = ba.matmul(bb);
        assertArrayEquals(new int[] {2, 3, 2, 2}, r.shape());
        assertArrayEquals(b.matmul(a).toDoubleArray(), r.select(0, 1).select(0, 1).toDoubleArray());
        assertArrayEquals(a.toDoubleArray(), r.select(0, 0).select(0, 2).toDoubleArray());
        // f32 path agrees with f64 on a larger product that takes the parallel route
        Tensor x = Tensor.randn(3, 300, 200);
        Tensor y = Tensor.randn(4, 200, 100);
        double[] r64 = x.matmul(y).toDoubleArray();
        double[] r32 = x.to(DType.F32).matmul(y.to(DType.F32)).toDoubleArray();
        double[] naive = new double[300 * 100];
        double[] xv = x.toDoubleArray();
        double[] yv = y.toDoubleArray();
        for (int i = 0; i < 300; i++) {
            for (int j = 0; j < 100; j++) {
                for (int p = 0; p < 200; p++) {
                    naive[i * 100 + j] += xv[i * 200 + p] * yv[p * 100 + j];
                }
            }
        }
        assertArrayEquals(naive, r64, 1e-10);
        assertArrayEquals(naive, r32, 1e-3);
        // ragged sizes around the f32 register tile (4 rows x 2 vectors), batched, transposed operand
        for (int[] d : new int[][] {{7, 5, 37}, {4, 3, 32}, {1, 9, 65}, {13, 1, 3}}) {
            Tensor p = Tensor.randn(10 + d[0], 2, d[0], d[1]);
            Tensor q = Tensor.randn(20 + d[2], 2, d[2], d[1]).mT();
            assertArrayEquals(p.matmul(q).toDoubleArray(), p.to(DType.F32).matmul(q.to(DType.F32)).toDoubleArray(), 1e-4,
                    java.util.Arrays.toString(d));
        }
    }

    @Test
    void reductionsValues() {
        Tensor x = Tensor.of(new double[] {1, 5, 3, 4, 2, 6}, 2, 3);
        assertEquals(21, x.sum().item());
        assertArrayEquals(new double[] {9, 12}, x.sum(1).toDoubleArray());
        assertArrayEquals(new int[] {1, 3}, x.sum(0, true).shape());
        assertArrayEquals(new double[] {2.5, 3.5, 4.5}, x.mean(0).toDoubleArray());
        assertArrayEquals(new double[] {5, 6}, x.max(1).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3}, x.min(0).toDoubleArray());
        assertArrayEquals(new double[] {1, 2}, x.argmax(1).toDoubleArray());
        assertArrayEquals(new double[] {0, 1, 0}, x.argmin(0).toDoubleArray());
        assertEquals(1.25, Tensor.of(1, 2, 3, 4).var().item(), EPS);
        assertEquals(5.0 / 3, Tensor.of(1, 2, 3, 4).var(new int[] {0}, false, 1).item(), EPS);
        assertEquals(6, x.max().item());
        assertTrue(Double.isNaN(Tensor.of(1, Double.NaN, 3).max().item()), "max propagates NaN like NumPy");
        // reduce over a permuted (non-contiguous) view
        assertArrayEquals(new double[] {9, 12}, x.t().sum(0).toDoubleArray());
    }

    @Test
    void softmaxIsStable() {
        Tensor x = Tensor.of(new double[] {1000, 1000, -1000, 0}, 2, 2);
        assertArrayEquals(new double[] {1000 + Math.log(2), Math.log1p(Math.exp(-1000))}, x.logsumexp(1, false).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {0.5, 0.5, 0, 1}, x.softmax(1).toDoubleArray(), 1e-12);
        assertArrayEquals(new double[] {-Math.log(2), -Math.log(2), -1000, 0}, x.logSoftmax(1).toDoubleArray(), 1e-12);
        Tensor ninf = Tensor.of(Double.NEGATIVE_INFINITY, Double.NEGATIVE_INFINITY);
        assertEquals(Double.NEGATIVE_INFINITY, ninf.logsumexp(0, false).item());
        Tensor r = Tensor.randn(3, 4, 7).softmax(-1).sum(-1);
        assertArrayEquals(new double[] {1, 1, 1, 1}, r.toDoubleArray(), 1e-12);
    }

    @Test
    void crossEntropyAndMse() {
        double expected = Math.log(1 + Math.exp(-1) + Math.exp(-2));
        Tensor logits = Tensor.of(new double[][] {{1, 2, 3}, {1, 2, 3}});
        assertEquals(expected, logits.crossEntropy(2, 2).item(), 1e-14);
        double e0 = Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 1;
        assertEquals((expected + e0) / 2, logits.crossEntropy(2, 0).item(), 1e-14);
        assertEquals((expected + e0) / 2, logits.crossEntropy(Tensor.of(2, 0)).item(), 1e-14);
        Tensor soft = Tensor.of(new double[][] {{0, 0, 1}, {1, 0, 0}});
        assertEquals((expected + e0) / 2, logits.crossEntropy(soft).item(), 1e-14);
        assertEquals((1 + 4) / 2.0, Tensor.of(1, 2).mse(Tensor.of(0, 4)).item(), EPS);
    }

    @Test
    void viewsShareStorage() {
        Tensor x = Tensor.arange(12).reshape(3, 4);
        Tensor col = x.select(1, 2);
        assertArrayEquals(new double[] {2, 6, 10}, col.toDoubleArray());
        assertArrayEquals(new double[] {1, 3, 9, 11}, x.slice(0, 0, 3, 2).slice(1, 1, 4, 2).toDoubleArray());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9, 2, 6, 10, 3, 7, 11}, x.t().contiguous().toDoubleArray());
        assertFalse(x.t().isContiguous());
        assertArrayEquals(new double[] {0, 4, 8, 1, 5, 9}, x.t().reshape(2, 6).select(0, 0).toDoubleArray());
        assertArrayEquals(new int[] {2, 3, 4}, x.unsqueeze(0).expand(2, -1, -1).shape());
        col.assign(Tensor.of(-1, -2, -3));
        assertEquals(-2, x.get(1, 2));
        assertArrayEquals(new double[] {0, 0, 1, 2, 0}, Tensor.of(1, 2).pad(0, 2, 1).toDoubleArray());
        assertArrayEquals(new int[] {4, 3}, x.permute(1, 0).shape());
        assertEquals(x.get(2, 1), x.permute(1, 0).get(1, 2));
    }

    @Test
    void indexingValues() {
        Tensor x = Tensor.of(new double[][] {{1, 2, 3}, {4, 5, 6}});
        assertArrayEquals(new double[] {3, 1, 3, 6, 4, 6}, x.indexSelect(1, 2, 0, 2).toDoubleArray());
        assertArrayEquals(new double[] {1, 5, 4, 2}, x.gather(0, Tensor.of(new double[] {0, 1, 1, 0}, 2, 2)).toDoubleArray());
        assertArrayEquals(new double[] {3, 0, 0, 2},
                Tensor.of(new double[] {1, 2, 2}, 1, 3).scatterAdd(1, Tensor.of(new double[] {0, 3, 0}, 1, 3), 1, 4).toDoubleArray());
        assertArrayEquals(new double[] {1, 2, 3, 7, 4, 5, 6, 8}, Tensor.concat(1, x, Tensor.of(new double[] {7, 8}, 2, 1)).toDoubleArray());
        Tensor s = Tensor.stack(1, Tensor.of(1, 2), Tensor.of(3, 4));
        assertArrayEquals(new int[] {2, 2}, s.shape());
        assertArrayEquals(new double[] {1, 3, 2, 4}, s.toDoubleArray());
        assertArrayEquals(new double[] {1, 20, 3}, Tensor.where(Tensor.of(1, 0, 1), Tensor.of(1, 2, 3), Tensor.of(10, 20, 30)).toDoubleArray());
        assertArrayEquals(new double[] {0, 0, 1, 1, 0, 0}, Tensor.oneHot(Tensor.of(2, 0), 3).toDoubleArray());
    }

    @Test
    void float32Storage() {
        Tensor f = Tensor.of(new float[] {1.5f, -2f}, 2);
        assertEquals(DType.F32, f.exp().dtype());
        assertArrayEquals(new float[] {(float) Math.exp(1.5), (float) Math.exp(-2)}, f.exp().toFloatArray(), 1e-6f);
        assertEquals(0.1f, (float) Tensor.scalar(DType.F32, 0.1).item());
        assertNotEquals(0.1, Tensor.scalar(DType.F32, 0.1).item());
    }

    @Test
    void printsLikePyTorch() {
        assertEquals("tensor([[1., 2.],\n        [3., 4.]])", Tensor.of(new float[] {1, 2, 3, 4}, 2, 2).toString());
        assertEquals("tensor([ 0.5000, -1.2500])", Tensor.of(new float[] {0.5f, -1.25f}, 2).toString());
        assertEquals("tensor([1., 2.], dtype=float64)", Tensor.of(1, 2).toString());
        assertEquals("tensor([[[0., 0.]],\n\n        [[0., 0.]]])", Tensor.zeros(DType.F32, 2, 1, 2).toString());
        assertEquals("tensor(3.5000)", Tensor.scalar(DType.F32, 3.5).toString());
        assertEquals("tensor([1.0000e-05, 1.0000e+00])", Tensor.of(new float[] {1e-5f, 1f}, 2).toString());
        assertEquals("tensor([2.], dtype=float64, requires_grad=True)", Tensor.of(2).requiresGrad(true).toString());
        assertEquals("tensor([4.], dtype=float64, grad_fn=<mul>)", Tensor.of(2).requiresGrad(true).mul(2).toString());
        assertEquals("tensor(shape=[100, 100], dtype=float32, device=jvm)", Tensor.zeros(DType.F32, 100, 100).toString());
    }
}
