package org.reprolab.tornado.jvm;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The blocked GEMM ({@link F32Gemm}, {@link F64Gemm}) computes every element of C as one FMA chain over
 * {@code p = 0 .. k-1}, starting from zero (or from C when accumulating), whatever its k slabs, task
 * grid, thread count or edge tiles. So above the small-problem cutoff it must equal, bit for bit, a
 * scalar {@code Math.fma} loop in the same precision; and it must lie near an f64 (for f64 inputs: a
 * compensated) reference. Shapes cover 1 x 1, primes, {@code k = 1}, several k slabs, ragged tiles in
 * both directions, every transpose of A and B, a batch broadcasting A, accumulation and a
 * column-major C.
 */
class GemmTest {

    /** The slab depth fills half the L2 with the packed B block (2 KB a row): 256 on 1 MB, 512 on 2 MB, clamped. */
    @Test
    void slabDepthFollowsTheL2() {
        assertEquals(256, F32Gemm.slabDepth(1 << 20));
        assertEquals(512, F32Gemm.slabDepth(2 << 20));
        assertEquals(384, F32Gemm.slabDepth(1536 << 10));
        assertEquals(128, F32Gemm.slabDepth(256 << 10));
        assertEquals(512, F32Gemm.slabDepth(32L << 20));
        assertEquals(256, F32Gemm.slabDepth(0));
        assertEquals(F32Gemm.slabDepth(1 << 20), F64Gemm.slabDepth(1 << 20), "f64's block rows are 2 KB too");
        assertTrue(F32Gemm.l2Bytes() >= 0);
    }

    /**
     * The A panel (12 rows) stays within 24 KB of L1: f64 stops at depth 256 where f32 goes to 512, and its block
     * widens to keep the B block at half the L2; where the panel does not limit the depth the width is 32 vectors.
     */
    @Test
    void f64PanelCapsTheDepthAndWidensTheBlock() {
        assertEquals(256, F64Gemm.slabDepth(2 << 20));
        assertEquals(256, F64Gemm.slabDepth(32L << 20));
        assertEquals(128, F64Gemm.slabDepth(256 << 10));
        assertEquals(512, F64Gemm.blockWidth(256, 2 << 20), "f64 on a 2 MB L2: 256 x 512 doubles = 1 MB");
        assertEquals(256, F64Gemm.blockWidth(256, 1 << 20), "f64 on a 1 MB L2: as before");
        assertEquals(512, F64Gemm.blockWidth(128, 32L << 20), "at most twice the reference width");
        assertEquals(512, F32Gemm.blockWidth(512, 2 << 20), "f32 on a 2 MB L2: as before");
        assertEquals(512, F32Gemm.blockWidth(256, 1 << 20), "f32 on a 1 MB L2: as before");
        assertEquals(512, F32Gemm.blockWidth(512, 0), "unknown L2");
    }

    @ParameterizedTest(name = "{0}x{1}x{2} batch {3} transA {4} transB {5} acc {6} threads {7}")
    @CsvSource({
        "1, 1, 1, 1, false, false, false, 2",
        "1, 1, 70001, 1, false, false, false, 2",
        "200, 300, 1, 1, false, false, false, 2",
        "37, 41, 43, 1, false, false, false, 1",
        "37, 41, 43, 1, true, false, false, 2",
        "37, 41, 43, 1, false, true, false, 2",
        "37, 41, 43, 1, true, true, true, 3",
        "6, 64, 300, 1, false, false, false, 2",
        "97, 131, 257, 2, false, true, false, 2",
        "13, 67, 521, 3, true, false, true, 2",
        "131, 257, 600, 1, false, false, true, 2",
        "256, 512, 784, 1, false, true, false, 2",
        "784, 512, 256, 1, true, false, false, 2",
        "300, 1100, 70, 1, false, false, false, 4"})
    void equalsTheScalarFmaChainAndIsNearTheF64Product(int m, int n, int k, int batch, boolean transA, boolean transB,
            boolean accumulate, int threads) {
        Parallel par = new Parallel(threads);
        SplittableRandom rnd = new SplittableRandom(31L * m + 7L * n + k);
        float[] a = new float[m * k], b = new float[batch * k * n], c = new float[batch * m * n];
        double[] ad = new double[a.length], bd = new double[b.length], cd = new double[c.length];
        fill(rnd, a, ad);
        fill(rnd, b, bd);
        fill(rnd, c, cd);
        float[] c0 = c.clone();
        double[] cd0 = cd.clone();
        int ars = transA ? 1 : k, acs = transA ? m : 1, brs = transB ? 1 : n, bcs = transB ? k : 1;
        // A broadcast over the batch (batch stride 0); B and C one matrix per batch element
        F32Gemm.gemm(par, batch, m, n, k, a, 0, 0, ars, acs, b, 0, k * n, brs, bcs, c, 0, m * n, n, 1, accumulate);
        F64Gemm.gemm(par, batch, m, n, k, ad, 0, 0, ars, acs, bd, 0, k * n, brs, bcs, cd, 0, m * n, n, 1, accumulate);
        boolean blocked = (long) m * n * k >= 32 * 32 * 32;
        for (int t = 0; t < batch; t++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    int ci = t * m * n + i * n + j;
                    float chain = accumulate ? c0[ci] : 0;
                    double dchain = accumulate ? cd0[ci] : 0, exact = dchain, mag = Math.abs(dchain), comp = 0;
                    for (int p = 0; p < k; p++) {
                        int ai = i * ars + p * acs, bi = t * k * n + p * brs + j * bcs;
                        chain = Math.fma(a[ai], b[bi], chain);
                        dchain = Math.fma(ad[ai], bd[bi], dchain);
                        double prod = ad[ai] * bd[bi], y = prod - comp, s = exact + y; // Kahan, for the f64 check
                        comp = (s - exact) - y;
                        exact = s;
                        mag += Math.abs(prod);
                    }
                    String where = m + "x" + n + "x" + k + " at (" + t + "," + i + "," + j + ")";
                    if (blocked) {
                        assertEquals(chain, c[ci], 0f, "f32 FMA chain " + where);
                        assertEquals(dchain, cd[ci], 0d, "f64 FMA chain " + where);
                    }
                    assertTrue(Math.abs(c[ci] - exact) <= 1e-6 * k * mag + 1e-30, "f32 vs f64 product " + where + ": " + c[ci] + " vs " + exact);
                    assertTrue(Math.abs(cd[ci] - exact) <= 1e-15 * k * mag + 1e-300, "f64 vs compensated " + where + ": " + cd[ci] + " vs " + exact);
                }
    }

    @ParameterizedTest(name = "column-major C {0}x{1}x{2}")
    @CsvSource({"45, 50, 41", "70, 130, 90"})
    void columnMajorCEqualsRowMajorC(int m, int n, int k) {
        Parallel par = new Parallel(2);
        SplittableRandom rnd = new SplittableRandom(5);
        float[] a = randomFloats(rnd, m * k), b = randomFloats(rnd, k * n), row = new float[m * n], col = new float[m * n];
        F32Gemm.gemm(par, 1, m, n, k, a, 0, 0, k, 1, b, 0, 0, n, 1, row, 0, 0, n, 1, false);
        F32Gemm.gemm(par, 1, m, n, k, a, 0, 0, k, 1, b, 0, 0, n, 1, col, 0, 0, 1, m, false);
        for (int i = 0; i < m; i++)
            for (int j = 0; j < n; j++) assertEquals(row[i * n + j], col[j * m + i], 0f, "(" + i + "," + j + ")");
    }

    /**
     * Operands that are strided views with no unit stride (every other column of wider arrays, A offset into its
     * array): the packs' general paths, against the same product of dense copies.
     */
    @ParameterizedTest(name = "strided views {0}x{1}x{2}")
    @CsvSource({"45, 70, 600", "130, 96, 300"})
    void stridedViewsEqualDenseCopies(int m, int n, int k) {
        Parallel par = new Parallel(2);
        SplittableRandom rnd = new SplittableRandom(17);
        float[] a = randomFloats(rnd, m * k), b = randomFloats(rnd, k * n), dense = new float[m * n], strided = new float[m * n];
        int off = 3;
        float[] wa = new float[off + 2 * m * k], wb = new float[2 * k * n];
        for (int i = 0; i < m; i++)
            for (int p = 0; p < k; p++) wa[off + i * 2 * k + 2 * p] = a[i * k + p];
        for (int p = 0; p < k; p++)
            for (int j = 0; j < n; j++) wb[p * 2 * n + 2 * j] = b[p * n + j];
        F32Gemm.gemm(par, 1, m, n, k, a, 0, 0, k, 1, b, 0, 0, n, 1, dense, 0, 0, n, 1, false);
        F32Gemm.gemm(par, 1, m, n, k, wa, off, 0, 2 * k, 2, wb, 0, 0, 2 * n, 2, strided, 0, 0, n, 1, false);
        assertArrayEquals(dense, strided, 0f);
    }

    /**
     * Two threads multiplying at once on one device: one gets the spinning team, the other the pool
     * ({@link Parallel#forTasks}); each product has the bits of the same product on one thread.
     */
    @Test
    void concurrentCallersGetTheSameBitsAsOneThread() throws Exception {
        Parallel two = new Parallel(2), one = new Parallel(1);
        int m = 300, n = 260, k = 270, calls = 30;
        SplittableRandom rnd = new SplittableRandom(11);
        float[][] a = new float[2][], b = new float[2][], expected = new float[2][m * n];
        for (int t = 0; t < 2; t++) {
            a[t] = randomFloats(rnd, m * k);
            b[t] = randomFloats(rnd, k * n);
            F32Gemm.gemm(one, 1, m, n, k, a[t], 0, 0, k, 1, b[t], 0, 0, n, 1, expected[t], 0, 0, n, 1, false);
        }
        ExecutorService callers = Executors.newFixedThreadPool(2);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 2; t++) {
                int w = t;
                done.add(callers.submit(() -> {
                    for (int call = 0; call < calls; call++) {
                        float[] c = new float[m * n];
                        F32Gemm.gemm(two, 1, m, n, k, a[w], 0, 0, k, 1, b[w], 0, 0, n, 1, c, 0, 0, n, 1, false);
                        assertArrayEquals(expected[w], c, 0f, "caller " + w + ", call " + call);
                    }
                }));
            }
            for (Future<?> f : done) f.get(60, TimeUnit.SECONDS);
        } finally {
            callers.shutdownNow();
        }
    }

    private static float[] randomFloats(SplittableRandom rnd, int n) {
        float[] f = new float[n];
        fill(rnd, f, new double[n]);
        return f;
    }

    private static void fill(SplittableRandom rnd, float[] f, double[] d) {
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) (rnd.nextDouble() * 2 - 1);
            d[i] = f[i];
        }
    }
}
