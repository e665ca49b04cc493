package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched f32 matrix product on strided views. Each matrix pair is first packed into zero-padded
 * micro-panels (A as 8-row panels stored {@code [k][8]}, B as 2-vector-wide column panels stored
 * {@code [k][2L]}), so transposed operands and broadcast batches cost the same as contiguous ones and
 * the inner loop reads both operands with unit stride. Bands of row panels then run in parallel on the
 * device pool, each walking the B panels in its outer loop (one B panel, 128 KB at k = 1024, stays in
 * L2 while the band's A panels pass over it) through an 8-row by 2-vector Vector API register tile
 * (16 accumulators) accumulated with FMA over the whole of {@code k}. On the 2-vCPU AVX-512 VM this
 * is about 2x the former 4-row tile over unpacked row-major B (stride-n loads), in back-to-back runs;
 * see docs/performance.md.
 *
 * <p>{@code F64Gemm} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Below this many multiply-adds the packing is not worth it. */
    private static final long SMALL = 32L * 32 * 32;

    private F32Gemm() {}

    static void gemm(Parallel par, int batch, int m, int n, int k,
            float[] a, int ao, int abs, int ars, int acs,
            float[] b, int bo, int bbs, int brs, int bcs,
            float[] c, int co, int cbs, int crs, int ccs, boolean accumulate) {
        if (batch == 0 || m == 0 || n == 0) return;
        if (k == 0) {
            if (!accumulate)
                for (int bt = 0; bt < batch; bt++)
                    for (int i = 0; i < m; i++)
                        for (int j = 0; j < n; j++) c[co + bt * cbs + i * crs + j * ccs] = 0;
            return;
        }
        if ((long) m * n * k < SMALL) {
            par.forRange(batch * m, Math.max(1, (int) (SMALL / ((long) n * k + 1))), 1, (from, to) -> {
                float[] row = new float[n];
                for (int r = from; r < to; r++) {
                    int bt = r / m, i = r % m;
                    java.util.Arrays.fill(row, 0f);
                    for (int p = 0; p < k; p++) {
                        float av = a[ao + bt * abs + i * ars + p * acs];
                        int bp = bo + bt * bbs + p * brs;
                        for (int j = 0; j < n; j++) row[j] += av * b[bp + j * bcs];
                    }
                    int cp = co + bt * cbs + i * crs;
                    for (int j = 0; j < n; j++) c[cp + j * ccs] = accumulate ? c[cp + j * ccs] + row[j] : row[j];
                }
            });
            return;
        }
        rows(par, batch, m, n, k, a, ao, abs, ars, acs, b, bo, bbs, brs, bcs, c, co, cbs, crs, ccs, accumulate);
    }

    /**
     * Packed schedule: A is copied into row micro-panels of {@code MR} rows ({@code [p][MR]}) and B into
     * column micro-panels of {@code NR = 2L} columns ({@code [p][NR]}), both zero-padded, so the
     * micro-kernel reads both with unit stride. Each task owns a band of row panels and walks the B
     * panels in the outer loop, so one B panel (k * NR floats, 128 KB at k = 1024) stays in L2 while
     * the band's A panels pass over it. Edge tiles are computed into a scratch tile and clipped.
     */
    private static void rows(Parallel par, int batch, int m, int n, int k,
            float[] a, int ao, int abs, int ars, int acs,
            float[] b, int bo, int bbs, int brs, int bcs,
            float[] c, int co, int cbs, int crs, int ccs, boolean accumulate) {
        int mb = ceil(m, MR), nb = ceil(n, NR);
        float[] pa = new float[mb * MR * k], pb = new float[nb * NR * k];
        float[] pc = accumulate || crs != n || ccs != 1 ? new float[m * n] : null;
        for (int bt = 0; bt < batch; bt++) {
            packA(a, ao + bt * abs, ars, acs, m, k, pa);
            packB(b, bo + bt * bbs, brs, bcs, k, n, pb);
            float[] dst = pc == null ? c : pc;
            int base = pc == null ? co + bt * cbs : 0;
            par.forRange(mb, Math.max(1, (int) Math.min(Integer.MAX_VALUE, (1L << 18) / ((long) n * k + 1))), 1,
                    (from, to) -> band(pa, pb, dst, base, from, to, m, n, k));
            if (pc != null) {
                int cb = co + bt * cbs;
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        int ci = cb + i * crs + j * ccs;
                        c[ci] = accumulate ? c[ci] + pc[i * n + j] : pc[i * n + j];
                    }
            }
        }
    }

    private static final int MR = 8, NR = 2 * L;

    /** {@code out[ib][p][r] = A[ib * MR + r][p]}, zero past row {@code m}. */
    private static void packA(float[] x, int off, int rs, int cs, int m, int k, float[] out) {
        for (int i = 0; i < ceil(m, MR) * MR; i++) {
            int dst = (i / MR) * MR * k + i % MR;
            if (i < m) {
                int src = off + i * rs;
                for (int p = 0; p < k; p++) out[dst + p * MR] = x[src + p * cs];
            } else
                for (int p = 0; p < k; p++) out[dst + p * MR] = 0;
        }
    }

    /** {@code out[jb][p][j] = B[p][jb * NR + j]}, zero past column {@code n}. */
    private static void packB(float[] x, int off, int rs, int cs, int k, int n, float[] out) {
        int nb = ceil(n, NR);
        for (int p = 0; p < k; p++) {
            int src = off + p * rs;
            for (int jb = 0; jb < nb; jb++) {
                int dst = jb * NR * k + p * NR, j0 = jb * NR, w = Math.min(NR, n - j0);
                if (cs == 1) System.arraycopy(x, src + j0, out, dst, w);
                else for (int j = 0; j < w; j++) out[dst + j] = x[src + (j0 + j) * cs];
                for (int j = w; j < NR; j++) out[dst + j] = 0;
            }
        }
    }

    /** Row panels {@code [ib0, ib1)} of {@code C = A B}, stored (not added) into {@code c} from {@code cBase}. */
    private static void band(float[] pa, float[] pb, float[] c, int cBase, int ib0, int ib1, int m, int n, int k) {
        float[] t = null;
        for (int jb = 0, nb = ceil(n, NR); jb < nb; jb++) {
            Parallel.checkInterrupt("matmul"); // a column panel of a band: at most a few ms even at k = 10^4
            int j0 = jb * NR, w = Math.min(NR, n - j0), bp = jb * NR * k;
            for (int ib = ib0; ib < ib1; ib++) {
                int i0 = ib * MR, h = Math.min(MR, m - i0), ap = ib * MR * k;
                if (w == NR && h == MR) kernel(pa, ap, pb, bp, k, c, cBase + i0 * n + j0, n);
                else {
                    if (t == null) t = new float[MR * NR];
                    kernel(pa, ap, pb, bp, k, t, 0, NR);
                    for (int r = 0; r < h; r++) System.arraycopy(t, r * NR, c, cBase + (i0 + r) * n + j0, w);
                }
            }
        }
    }

    /** {@code C[MR][NR] = Apanel * Bpanel} over all of {@code k}; 16 accumulators stay in registers. */
    private static void kernel(float[] a, int ap, float[] b, int bp, int k, float[] c, int o, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < k; p++) {
            int q = ap + p * MR, r = bp + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, r), b1 = FloatVector.fromArray(S, b, r + L);
            FloatVector x = FloatVector.broadcast(S, a[q]);
            c00 = b0.fma(x, c00);
            c01 = b1.fma(x, c01);
            x = FloatVector.broadcast(S, a[q + 1]);
            c10 = b0.fma(x, c10);
            c11 = b1.fma(x, c11);
            x = FloatVector.broadcast(S, a[q + 2]);
            c20 = b0.fma(x, c20);
            c21 = b1.fma(x, c21);
            x = FloatVector.broadcast(S, a[q + 3]);
            c30 = b0.fma(x, c30);
            c31 = b1.fma(x, c31);
            x = FloatVector.broadcast(S, a[q + 4]);
            c40 = b0.fma(x, c40);
            c41 = b1.fma(x, c41);
            x = FloatVector.broadcast(S, a[q + 5]);
            c50 = b0.fma(x, c50);
            c51 = b1.fma(x, c51);
            x = FloatVector.broadcast(S, a[q + 6]);
            c60 = b0.fma(x, c60);
            c61 = b1.fma(x, c61);
            x = FloatVector.broadcast(S, a[q + 7]);
            c70 = b0.fma(x, c70);
            c71 = b1.fma(x, c71);
        }
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + 1 * ldc);
        c11.intoArray(c, o + 1 * ldc + L);
        c20.intoArray(c, o + 2 * ldc);
        c21.intoArray(c, o + 2 * ldc + L);
        c30.intoArray(c, o + 3 * ldc);
        c31.intoArray(c, o + 3 * ldc + L);
        c40.intoArray(c, o + 4 * ldc);
        c41.intoArray(c, o + 4 * ldc + L);
        c50.intoArray(c, o + 5 * ldc);
        c51.intoArray(c, o + 5 * ldc + L);
        c60.intoArray(c, o + 6 * ldc);
        c61.intoArray(c, o + 6 * ldc + L);
        c70.intoArray(c, o + 7 * ldc);
        c71.intoArray(c, o + 7 * ldc + L);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
