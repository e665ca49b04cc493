package org.reprolab.tornado.jvm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched f64 matrix product on strided views. Each matrix pair is first copied into dense row-major
 * panels (so transposed operands and broadcast batches cost the same as contiguous ones), then bands
 * of rows run in parallel on the device pool, each through a 4-row by 2-vector Vector API register
 * tile accumulated with FMA over the whole of {@code k}: every loaded B vector feeds four FMAs and B
 * rows stream with unit stride. On the 2-vCPU AVX-512 VM this reaches 40-45 GFLOP/s at 1024^2, about
 * twice the BLIS-style packed 8x32 micro-kernel it replaced (Van Zee and van de Geijn, ACM TOMS 41(3),
 * 2015), which C2 compiled less well; see docs/performance.md.
 *
 * <p>Generated from {@code F32Gemm} by {@code tornado/gen-f64.sh}: edit that file and regenerate.
 */
@SuppressWarnings("cast") // casts that are needed in the f32 original
final class F64Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Below this many multiply-adds the packing is not worth it. */
    private static final long SMALL = 32L * 32 * 32;

    private F64Gemm() {}

    static void gemm(Parallel par, int batch, int m, int n, int k,
            double[] a, int ao, int abs, int ars, int acs,
            double[] b, int bo, int bbs, int brs, int bcs,
            double[] c, int co, int cbs, int crs, int ccs, boolean accumulate) {
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
                double[] row = new double[n];
                for (int r = from; r < to; r++) {
                    int bt = r / m, i = r % m;
                    java.util.Arrays.fill(row, 0);
                    for (int p = 0; p < k; p++) {
                        double av = a[ao + bt * abs + i * ars + p * acs];
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
     * Row-panel schedule: A and B are copied once into dense row-major panels, then each task owns a
     * band of rows and runs a 4-row by 2-vector register tile over the whole of {@code k}, streaming B
     * rows.
     */
    private static void rows(Parallel par, int batch, int m, int n, int k,
            double[] a, int ao, int abs, int ars, int acs,
            double[] b, int bo, int bbs, int brs, int bcs,
            double[] c, int co, int cbs, int crs, int ccs, boolean accumulate) {
        double[] pa = new double[m * k], pb = new double[k * n];
        double[] pc = accumulate || crs != n || ccs != 1 ? new double[m * n] : null;
        for (int bt = 0; bt < batch; bt++) {
            dense(a, ao + bt * abs, ars, acs, m, k, pa);
            dense(b, bo + bt * bbs, brs, bcs, k, n, pb);
            double[] dst = pc == null ? c : pc;
            int base = pc == null ? co + bt * cbs : 0;
            par.forRange(ceil(m, 4), Math.max(1, (int) Math.min(Integer.MAX_VALUE, (1L << 18) / ((long) n * k + 1))), 1,
                    (from, to) -> tile(pa, pb, dst, base, 4 * from, Math.min(m, 4 * to), k, n));
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

    private static void dense(double[] x, int off, int rs, int cs, int rows, int cols, double[] out) {
        for (int i = 0; i < rows; i++) {
            int src = off + i * rs, dst = i * cols;
            if (cs == 1) System.arraycopy(x, src, out, dst, cols);
            else for (int j = 0; j < cols; j++) out[dst + j] = x[src + j * cs];
        }
    }

    /** Rows {@code [i0, i1)} of {@code C = A B}, stored (not added) into {@code c} from {@code cBase}. */
    private static void tile(double[] a, double[] b, double[] c, int cBase, int i0, int i1, int k, int n) {
        int jv = n - n % (2 * L);
        int i = i0;
        for (; i + 4 <= i1; i += 4) {
            int a0 = i * k, a1 = a0 + k, a2 = a1 + k, a3 = a2 + k;
            for (int j = 0; j < jv; j += 2 * L) {
                DoubleVector c00 = DoubleVector.zero(S), c01 = c00, c10 = c00, c11 = c00;
                DoubleVector c20 = c00, c21 = c00, c30 = c00, c31 = c00;
                for (int p = 0; p < k; p++) {
                    int bp = p * n + j;
                    DoubleVector b0 = DoubleVector.fromArray(S, b, bp), b1 = DoubleVector.fromArray(S, b, bp + L);
                    DoubleVector x = DoubleVector.broadcast(S, a[a0 + p]);
                    c00 = b0.fma(x, c00);
                    c01 = b1.fma(x, c01);
                    x = DoubleVector.broadcast(S, a[a1 + p]);
                    c10 = b0.fma(x, c10);
                    c11 = b1.fma(x, c11);
                    x = DoubleVector.broadcast(S, a[a2 + p]);
                    c20 = b0.fma(x, c20);
                    c21 = b1.fma(x, c21);
                    x = DoubleVector.broadcast(S, a[a3 + p]);
                    c30 = b0.fma(x, c30);
                    c31 = b1.fma(x, c31);
                }
                int o = cBase + i * n + j;
                c00.intoArray(c, o);
                c01.intoArray(c, o + L);
                c10.intoArray(c, o + n);
                c11.intoArray(c, o + n + L);
                c20.intoArray(c, o + 2 * n);
                c21.intoArray(c, o + 2 * n + L);
                c30.intoArray(c, o + 3 * n);
                c31.intoArray(c, o + 3 * n + L);
            }
            if (jv < n) edge(a, b, c, cBase, i, i + 4, k, n, jv);
        }
        edge(a, b, c, cBase, i, i1, k, n, 0);
    }

    /** Plain i-k-j loop over rows {@code [i0, i1)} and columns {@code [j0, n)}. */
    private static void edge(double[] a, double[] b, double[] c, int cBase, int i0, int i1, int k, int n, int j0) {
        for (int i = i0; i < i1; i++) {
            int ci = cBase + i * n;
            for (int j = j0; j < n; j++) c[ci + j] = 0;
            for (int p = 0; p < k; p++) {
                double aip = a[i * k + p];
                int bp = p * n;
                for (int j = j0; j < n; j++) c[ci + j] += aip * b[bp + j];
            }
        }
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
