package org.reprolab.tornado.jvm;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched f64 matrix product on strided views, after the BLIS loop structure (Van Zee and van de Geijn,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015, Fig. 2):
 * {@code B} is packed per {@code KC x NC} panel into column strips of width {@value #NR_VECTORS} vectors,
 * {@code A} per {@code MC x KC} block into row strips of {@value #MR} rows, and an
 * {@code MR x NR} register-blocked micro-kernel does {@code MR * NR_VECTORS} Vector API FMAs per
 * {@code k}. Packing makes any strides (transposed operands, broadcast batches) cost the same as
 * contiguous ones, and zero-pads the edges so the micro-kernel has no tails.
 * Blocks of {@code A} rows run in parallel on the device pool.
 *
 * <p>Generated from {@code F32Gemm} by {@code tornado/gen-f64.sh}: edit that file and regenerate.
 */
@SuppressWarnings("cast") // casts that are needed in the f32 original
final class F64Gemm {
    private static final VectorSpecies<Double> S = DoubleVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    static final int MR = 8, NR_VECTORS = 2, NR = NR_VECTORS * L;
    static final int KC = 256, NC = 2048;
    /** Below this many multiply-adds the packing is not worth it. */
    private static final long SMALL = 32L * 32 * 32;
    private static final ThreadLocal<double[]> PACK_A = ThreadLocal.withInitial(() -> new double[0]);

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
        int mc = Math.max(MR, Math.min(128, ceil(ceil(m, 2 * par.parallelism()), MR) * MR));
        int mBlocks = ceil(m, mc);
        for (int bt = 0; bt < batch; bt++) {
            int aBase = ao + bt * abs, bBase = bo + bt * bbs, cBase = co + bt * cbs;
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                int strips = ceil(nc, NR);
                double[] bp = new double[strips * KC * NR];
                for (int pc = 0; pc < k; pc += KC) {
                    int kc = Math.min(KC, k - pc);
                    packB(b, bBase + pc * brs + jc * bcs, brs, bcs, kc, nc, bp);
                    boolean acc = accumulate || pc > 0;
                    int fjc = jc, fpc = pc;
                    par.forEach(mBlocks, (blk, unused) -> {
                        int ic = blk * mc, mcc = Math.min(mc, m - ic);
                        double[] ap = PACK_A.get();
                        int need = ceil(mcc, MR) * MR * kc;
                        if (ap.length < need) PACK_A.set(ap = new double[Math.max(need, MR * KC * ceil(128, MR))]);
                        packA(a, aBase + ic * ars + fpc * acs, ars, acs, mcc, kc, ap);
                        for (int js = 0; js < strips; js++) {
                            int j0 = fjc + js * NR, nr = Math.min(NR, n - j0);
                            for (int is = 0; is * MR < mcc; is++) {
                                int i0 = ic + is * MR, mr = Math.min(MR, m - i0);
                                micro(kc, ap, is * MR * kc, bp, js * KC * NR, c, cBase + i0 * crs + j0 * ccs, crs, ccs, mr, nr, acc);
                            }
                        }
                    });
                }
            }
        }
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Packs a {@code kc x nc} panel into strips of NR columns: strip s, row p at {@code s*KC*NR + p*NR}. */
    private static void packB(double[] b, int off, int rs, int cs, int kc, int nc, double[] bp) {
        for (int s = 0, j0 = 0; j0 < nc; s++, j0 += NR) {
            int w = Math.min(NR, nc - j0);
            int dst = s * KC * NR;
            for (int p = 0; p < kc; p++, dst += NR) {
                int src = off + p * rs + j0 * cs;
                if (cs == 1 && w == NR) System.arraycopy(b, src, bp, dst, NR);
                else {
                    int j = 0;
                    for (; j < w; j++) bp[dst + j] = b[src + j * cs];
                    for (; j < NR; j++) bp[dst + j] = 0;
                }
            }
        }
    }

    /** Packs an {@code mc x kc} block into strips of MR rows: strip s, column p at {@code s*MR*kc + p*MR}. */
    private static void packA(double[] a, int off, int rs, int cs, int mc, int kc, double[] ap) {
        for (int s = 0, i0 = 0; i0 < mc; s++, i0 += MR) {
            int h = Math.min(MR, mc - i0);
            int dst = s * MR * kc;
            for (int p = 0; p < kc; p++, dst += MR) {
                int src = off + i0 * rs + p * cs;
                int i = 0;
                for (; i < h; i++) ap[dst + i] = a[src + i * rs];
                for (; i < MR; i++) ap[dst + i] = 0;
            }
        }
    }

    private static void micro(int kc, double[] ap, int ao, double[] bp, int bo, double[] c, int co, int crs, int ccs,
            int mr, int nr, boolean acc) {
        DoubleVector z = DoubleVector.zero(S);
        DoubleVector c00 = z, c01 = z, c10 = z, c11 = z, c20 = z, c21 = z, c30 = z, c31 = z;
        DoubleVector c40 = z, c41 = z, c50 = z, c51 = z, c60 = z, c61 = z, c70 = z, c71 = z;
        for (int p = 0; p < kc; p++) {
            int bi = bo + p * NR, ai = ao + p * MR;
            DoubleVector b0 = DoubleVector.fromArray(S, bp, bi), b1 = DoubleVector.fromArray(S, bp, bi + L);
            DoubleVector x;
            x = DoubleVector.broadcast(S, ap[ai]);     c00 = x.fma(b0, c00); c01 = x.fma(b1, c01);
            x = DoubleVector.broadcast(S, ap[ai + 1]); c10 = x.fma(b0, c10); c11 = x.fma(b1, c11);
            x = DoubleVector.broadcast(S, ap[ai + 2]); c20 = x.fma(b0, c20); c21 = x.fma(b1, c21);
            x = DoubleVector.broadcast(S, ap[ai + 3]); c30 = x.fma(b0, c30); c31 = x.fma(b1, c31);
            x = DoubleVector.broadcast(S, ap[ai + 4]); c40 = x.fma(b0, c40); c41 = x.fma(b1, c41);
            x = DoubleVector.broadcast(S, ap[ai + 5]); c50 = x.fma(b0, c50); c51 = x.fma(b1, c51);
            x = DoubleVector.broadcast(S, ap[ai + 6]); c60 = x.fma(b0, c60); c61 = x.fma(b1, c61);
            x = DoubleVector.broadcast(S, ap[ai + 7]); c70 = x.fma(b0, c70); c71 = x.fma(b1, c71);
        }
        if (mr == MR && nr == NR && ccs == 1) {
            store(c, co, acc, c00, c01);
            store(c, co + crs, acc, c10, c11);
            store(c, co + 2 * crs, acc, c20, c21);
            store(c, co + 3 * crs, acc, c30, c31);
            store(c, co + 4 * crs, acc, c40, c41);
            store(c, co + 5 * crs, acc, c50, c51);
            store(c, co + 6 * crs, acc, c60, c61);
            store(c, co + 7 * crs, acc, c70, c71);
            return;
        }
        double[] t = new double[MR * NR];
        DoubleVector[] rows = {c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71};
        for (int v = 0; v < rows.length; v++) rows[v].intoArray(t, v * L);
        for (int i = 0; i < mr; i++)
            for (int j = 0; j < nr; j++) {
                int ci = co + i * crs + j * ccs;
                c[ci] = acc ? c[ci] + t[i * NR + j] : t[i * NR + j];
            }
    }

    private static void store(double[] c, int off, boolean acc, DoubleVector v0, DoubleVector v1) {
        if (acc) {
            v0 = v0.add(DoubleVector.fromArray(S, c, off));
            v1 = v1.add(DoubleVector.fromArray(S, c, off + L));
        }
        v0.intoArray(c, off);
        v1.intoArray(c, off + L);
    }
}
