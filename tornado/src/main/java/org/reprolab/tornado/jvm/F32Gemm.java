package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched f32 matrix product on strided views, after the BLIS loop structure (Van Zee and van de Geijn,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015; Goto and van
 * de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008). C is cut into
 * tasks (a band of rows by a block of at most {@code NC} columns); each task walks {@code k} in slabs
 * of {@code KC} (128 to 512, from the L2's size), packs its {@code kc x NC} block of B into column strips
 * of {@code NR = 4} vectors (half the core's L2), and for each {@code MR = 6}-row panel of A, packed to
 * {@code [p][MR]} (6 KB at most, kept in L1), runs a 6-row by 4-vector register tile over every strip:
 * 24 accumulators, 4 vector loads and 6 broadcasts per 24 FMAs, the shape of BLIS's Zen 4 kernels
 * transposed to row-major C.
 *
 * <p>Why A is always packed: with the panel's constant stride the six reads of a step are one range
 * check that C2 hoists; reading six rows of row-major A in place (a stride known only at run time) left
 * six checks in the loop, and the tile ran 10-15% slower than the packing costs (docs/performance.md).
 * Packs are per task in thread-local buffers (no allocation once warm), tasks run on the calling
 * thread and a helper team that spins briefly between calls ({@link SpinTeam}: no ForkJoin hand-off),
 * and the tile is written as one method, as C2 needs to keep the 24 accumulators in registers (a store
 * helper hit the inlining node limit and boxed every vector). The accumulators start from C on every
 * slab after the first, so each element of C is one FMA chain over {@code p = 0 .. k-1} whatever the
 * slab size, task grid or thread count: the same bits as a scalar {@code Math.fma} loop ({@code GemmTest}).
 *
 * <p>{@code F64Gemm} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 6, NR = 4 * L;
    /** Task block width: a packed B block is {@code KC x NC} elements, 2 KB a row in f32 and f64. */
    private static final int NC = 32 * L;
    /**
     * Slab depth: as deep as lets the packed B block fill half the core's L2 ({@link #slabDepth}), which is what
     * the kernel streams its B strips from, while the packed A panel ({@code MR x KC}) stays in L1.
     */
    private static final int KC = slabDepth(l2Bytes());
    /** Below this many multiply-adds the packing is not worth it. */
    private static final long SMALL = 32L * 32 * 32;
    /** Multiply-adds per task below which another thread costs more than it saves. */
    private static final long TASK_MIN = 1L << 20;
    /** Per-thread pack buffers (B block, A panel, edge tile), grown on demand and reused. */
    private static final ThreadLocal<float[][]> PACKS = ThreadLocal.withInitial(() -> new float[3][0]);

    private F32Gemm() {}

    /**
     * {@code KC} for an L2 of {@code l2} bytes: a B block of half the L2, in multiples of 64 between 128 and 512;
     * 256 when the size is unknown. Measured at 2048^2 and the MLP's shapes (docs/performance.md): on a 1 MB L2
     * (AMD EPYC) 256 was best of 256/384/512, on a 2 MB L2 (Intel Xeon) 384-512 beat 256 by 5-8%. The slab depth
     * does not change a result: each element of C is one FMA chain over k whatever the slabs.
     */
    static int slabDepth(long l2) {
        if (l2 <= 0) return 256;
        long kc = l2 / 2 / ((long) NC * Float.BYTES) / 64 * 64;
        return (int) Math.max(128, Math.min(512, kc));
    }

    /** The first CPU's level-2 cache in bytes from Linux's sysfs, or 0 when it cannot be read. */
    static long l2Bytes() {
        java.nio.file.Path caches = java.nio.file.Path.of("/sys/devices/system/cpu/cpu0/cache");
        for (int i = 0; i < 8; i++) {
            java.nio.file.Path dir = caches.resolve("index" + i);
            try {
                if (!java.nio.file.Files.readString(dir.resolve("level")).strip().equals("2")) continue;
                String size = java.nio.file.Files.readString(dir.resolve("size")).strip();
                long scale = size.endsWith("K") ? 1L << 10 : size.endsWith("M") ? 1L << 20 : 1;
                return Long.parseLong(size.replaceAll("[KM]$", "")) * scale;
            } catch (java.io.IOException | RuntimeException e) {
                return 0;
            }
        }
        return 0;
    }

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
        if (ccs != 1) { // the tile stores rows of C as vectors: go through a row-major scratch product
            float[] t = new float[batch * m * n];
            gemm(par, batch, m, n, k, a, ao, abs, ars, acs, b, bo, bbs, brs, bcs, t, 0, m * n, n, 1, false);
            for (int bt = 0; bt < batch; bt++)
                for (int i = 0; i < m; i++)
                    for (int j = 0; j < n; j++) {
                        int ci = co + bt * cbs + i * crs + j * ccs;
                        c[ci] = accumulate ? c[ci] + t[bt * m * n + i * n + j] : t[bt * m * n + i * n + j];
                    }
            return;
        }
        blocked(par, new Product(batch, m, n, k, a, ao, abs, ars, acs, b, bo, bbs, brs, bcs, c, co, cbs, crs, accumulate));
    }

    /** One batched product with row-major-compatible C ({@code ccs = 1}). */
    private record Product(int batch, int m, int n, int k,
            float[] a, int ao, int abs, int ars, int acs,
            float[] b, int bo, int bbs, int brs, int bcs,
            float[] c, int co, int cbs, int crs, boolean accumulate) {}

    /**
     * Cuts C into {@code batch x rowBands x colBlocks} tasks: column blocks of at most {@code NC}
     * (whole strips, balanced), then more column blocks or row bands (whole panels), whichever copies
     * less, until every thread has work; never a task under {@link #TASK_MIN} multiply-adds. Tasks run on
     * the calling thread and the device's spinning team ({@link Parallel#forTasks}), claimed one at a time.
     */
    private static void blocked(Parallel par, Product x) {
        long work = (long) x.batch * x.m * x.n * x.k;
        int want = (int) Math.max(1, Math.min(par.parallelism(), work / TASK_MIN));
        // more threads than tasks: another row band repacks B (k x n), another column block rereads A
        // (m x k) in place or repacks it; a pack that transposes costs about 4 straight copies
        int strips = ceil(x.n, NR), colBlocks = ceil(strips, NC / NR);
        long bandCost = (long) x.n * (x.bcs == 1 ? 1 : 4), blockCost = (long) x.m * (x.acs == 1 ? 1 : 4);
        if (x.batch * colBlocks < want && blockCost < bandCost) colBlocks = Math.min(strips, ceil(want, x.batch));
        int stripsPerBlock = ceil(strips, colBlocks);
        colBlocks = ceil(strips, stripsPerBlock);
        int panels = ceil(x.m, MR);
        int rowBands = Math.min(panels, ceil(want, x.batch * colBlocks));
        int panelsPerBand = ceil(panels, rowBands);
        rowBands = ceil(panels, panelsPerBand);
        int perBatch = rowBands * colBlocks, tasks = x.batch * perBatch;
        int cb = colBlocks;
        par.forTasks(tasks, (t, end) -> {
            int bt = t / perBatch, rb = t % perBatch / cb, col = t % cb;
            int i0 = rb * panelsPerBand * MR, j0 = col * stripsPerBlock * NR;
            task(x, bt, i0, Math.min(x.m, i0 + panelsPerBand * MR), j0, Math.min(x.n, j0 + stripsPerBlock * NR));
        });
    }

    /** Rows {@code [i0, i1)} by columns {@code [j0, j1)} of batch {@code bt}, over all of k in slabs. */
    private static void task(Product x, int bt, int i0, int i1, int j0, int j1) {
        int k = x.k, slabs = ceil(k, KC), kcMax = ceil(k, slabs), strips = ceil(j1 - j0, NR);
        float[][] packs = PACKS.get();
        float[] pb = grow(packs, 0, kcMax * strips * NR), pa = grow(packs, 1, kcMax * MR), tile = grow(packs, 2, MR * NR);
        int aBase = x.ao + bt * x.abs, bBase = x.bo + bt * x.bbs, cBase = x.co + bt * x.cbs;
        for (int pc = 0; pc < k; pc += kcMax) {
            int kc = Math.min(kcMax, k - pc);
            boolean load = pc > 0 || x.accumulate;
            packB(x.b, bBase + pc * x.brs + j0 * x.bcs, x.brs, x.bcs, kc, j1 - j0, pb);
            for (int i = i0; i < i1; i += MR) {
                Parallel.checkInterrupt("matmul"); // one panel row of a slab: microseconds
                int h = Math.min(MR, i1 - i);
                packA(x.a, aBase + i * x.ars + pc * x.acs, x.ars, x.acs, h, kc, pa);
                for (int s = 0; s < strips; s++) {
                    int j = j0 + s * NR, w = Math.min(NR, j1 - j), o = cBase + i * x.crs + j;
                    if (h == MR && w == NR) kernel(pa, pb, s * kc * NR, kc, x.c, o, x.crs, load);
                    else edge(pa, pb, s * kc * NR, kc, x.c, o, x.crs, h, w, load, tile);
                }
            }
        }
    }

    /** A ragged tile through the scratch tile: C's {@code h x w} corner in, the full tile, the corner out. */
    private static void edge(float[] pa, float[] pb, int bp, int kc, float[] c, int o, int ldc, int h, int w,
            boolean load, float[] tile) {
        if (load)
            for (int r = 0; r < h; r++) System.arraycopy(c, o + r * ldc, tile, r * NR, w);
        kernel(pa, pb, bp, kc, tile, 0, NR, load);
        for (int r = 0; r < h; r++) System.arraycopy(tile, r * NR, c, o + r * ldc, w);
    }

    private static float[] grow(float[][] packs, int i, int size) {
        if (packs[i].length < size) packs[i] = new float[size];
        return packs[i];
    }

    /**
     * {@code out[p][r] = A[r][p]} for the panel's {@code h} rows, zero in rows {@code h .. MR-1}: the layout whose
     * constant stride lets C2 check the six reads of a step as one range.
     */
    private static void packA(float[] x, int off, int rs, int cs, int h, int kc, float[] out) {
        if (h == MR && cs == 1) { // row-major A: six rows read side by side, the panel written in order
            int r0 = off, r1 = off + rs, r2 = off + 2 * rs, r3 = off + 3 * rs, r4 = off + 4 * rs, r5 = off + 5 * rs;
            for (int p = 0, d = 0; p < kc; p++, d += MR) {
                out[d] = x[r0 + p];
                out[d + 1] = x[r1 + p];
                out[d + 2] = x[r2 + p];
                out[d + 3] = x[r3 + p];
                out[d + 4] = x[r4 + p];
                out[d + 5] = x[r5 + p];
            }
            return;
        }
        if (cs == 1 || rs != 1)
            for (int r = 0; r < h; r++)
                for (int p = 0, src = off + r * rs; p < kc; p++) out[p * MR + r] = x[src + p * cs];
        else // A transposed: a panel's rows are adjacent in memory
            for (int p = 0; p < kc; p++)
                for (int r = 0, src = off + p * cs; r < h; r++) out[p * MR + r] = x[src + r];
        if (h < MR)
            for (int p = 0; p < kc; p++)
                for (int r = h; r < MR; r++) out[p * MR + r] = 0;
    }

    /**
     * {@code out[s][p][j] = B[p][s * NR + j]} for {@code w} columns, zero past {@code w} in the last
     * strip. Reads along whichever of B's strides is 1 (B transposed, as {@code x W^T}, has rows of
     * {@code W} contiguous).
     */
    private static void packB(float[] x, int off, int rs, int cs, int kc, int w, float[] out) {
        int strips = ceil(w, NR);
        if (rs == 1 && cs != 1) { // 16 rows of the packed block at a time, so the stores stay in L1
            for (int p0 = 0; p0 < kc; p0 += 16)
                for (int j = 0, pe = Math.min(kc, p0 + 16); j < w; j++)
                    for (int p = p0, src = off + j * cs, dst = j / NR * kc * NR + j % NR; p < pe; p++) out[dst + p * NR] = x[src + p];
        } else {
            for (int p = 0; p < kc; p++)
                for (int s = 0; s < strips; s++) {
                    int j0 = s * NR, ws = Math.min(NR, w - j0), src = off + p * rs + j0 * cs, dst = s * kc * NR + p * NR;
                    if (cs == 1) System.arraycopy(x, src, out, dst, ws);
                    else for (int j = 0; j < ws; j++) out[dst + j] = x[src + j * cs];
                }
        }
        if (w % NR != 0)
            for (int p = 0, dst = (strips - 1) * kc * NR; p < kc; p++)
                for (int j = w % NR; j < NR; j++) out[dst + p * NR + j] = 0;
    }

    /**
     * The register tile: {@code C[MR][NR] += Apanel * Bpanel} over {@code kc} steps, 24 accumulators
     * (6 rows x 4 vectors) in registers, over a packed A panel ({@code a[p * MR + i]}). Each accumulator starts from {@code c} when {@code load}, else
     * from zero, so a product split into k slabs adds its terms in the same order as one pass over k.
     */
    private static void kernel(float[] a, float[] b, int bp, int kc, float[] c, int o, int ldc, boolean load) {
        FloatVector c00, c01, c02, c03;
        FloatVector c10, c11, c12, c13;
        FloatVector c20, c21, c22, c23;
        FloatVector c30, c31, c32, c33;
        FloatVector c40, c41, c42, c43;
        FloatVector c50, c51, c52, c53;
        if (load) {
            int o0 = o;
            c00 = FloatVector.fromArray(S, c, o0); c01 = FloatVector.fromArray(S, c, o0 + 1 * L); c02 = FloatVector.fromArray(S, c, o0 + 2 * L); c03 = FloatVector.fromArray(S, c, o0 + 3 * L);
            int o1 = o + 1 * ldc;
            c10 = FloatVector.fromArray(S, c, o1); c11 = FloatVector.fromArray(S, c, o1 + 1 * L); c12 = FloatVector.fromArray(S, c, o1 + 2 * L); c13 = FloatVector.fromArray(S, c, o1 + 3 * L);
            int o2 = o + 2 * ldc;
            c20 = FloatVector.fromArray(S, c, o2); c21 = FloatVector.fromArray(S, c, o2 + 1 * L); c22 = FloatVector.fromArray(S, c, o2 + 2 * L); c23 = FloatVector.fromArray(S, c, o2 + 3 * L);
            int o3 = o + 3 * ldc;
            c30 = FloatVector.fromArray(S, c, o3); c31 = FloatVector.fromArray(S, c, o3 + 1 * L); c32 = FloatVector.fromArray(S, c, o3 + 2 * L); c33 = FloatVector.fromArray(S, c, o3 + 3 * L);
            int o4 = o + 4 * ldc;
            c40 = FloatVector.fromArray(S, c, o4); c41 = FloatVector.fromArray(S, c, o4 + 1 * L); c42 = FloatVector.fromArray(S, c, o4 + 2 * L); c43 = FloatVector.fromArray(S, c, o4 + 3 * L);
            int o5 = o + 5 * ldc;
            c50 = FloatVector.fromArray(S, c, o5); c51 = FloatVector.fromArray(S, c, o5 + 1 * L); c52 = FloatVector.fromArray(S, c, o5 + 2 * L); c53 = FloatVector.fromArray(S, c, o5 + 3 * L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c02 = c03 = c10 = c11 = c12 = c13 = c20 = c21 = c22 = c23 = c30 = c31 = c32 = c33 = c40 = c41 = c42 = c43 = c50 = c51 = c52 = c53 = c00;
        }
        for (int p = 0; p < kc; p++) {
            int q = p * MR, r = bp + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, r), b1 = FloatVector.fromArray(S, b, r + 1 * L), b2 = FloatVector.fromArray(S, b, r + 2 * L), b3 = FloatVector.fromArray(S, b, r + 3 * L);
            FloatVector x0 = FloatVector.broadcast(S, a[q]);
            c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01); c02 = b2.fma(x0, c02); c03 = b3.fma(x0, c03);
            FloatVector x1 = FloatVector.broadcast(S, a[q + 1]);
            c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11); c12 = b2.fma(x1, c12); c13 = b3.fma(x1, c13);
            FloatVector x2 = FloatVector.broadcast(S, a[q + 2]);
            c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21); c22 = b2.fma(x2, c22); c23 = b3.fma(x2, c23);
            FloatVector x3 = FloatVector.broadcast(S, a[q + 3]);
            c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31); c32 = b2.fma(x3, c32); c33 = b3.fma(x3, c33);
            FloatVector x4 = FloatVector.broadcast(S, a[q + 4]);
            c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41); c42 = b2.fma(x4, c42); c43 = b3.fma(x4, c43);
            FloatVector x5 = FloatVector.broadcast(S, a[q + 5]);
            c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51); c52 = b2.fma(x5, c52); c53 = b3.fma(x5, c53);
        }
        int s0 = o;
        c00.intoArray(c, s0); c01.intoArray(c, s0 + 1 * L); c02.intoArray(c, s0 + 2 * L); c03.intoArray(c, s0 + 3 * L);
        int s1 = o + 1 * ldc;
        c10.intoArray(c, s1); c11.intoArray(c, s1 + 1 * L); c12.intoArray(c, s1 + 2 * L); c13.intoArray(c, s1 + 3 * L);
        int s2 = o + 2 * ldc;
        c20.intoArray(c, s2); c21.intoArray(c, s2 + 1 * L); c22.intoArray(c, s2 + 2 * L); c23.intoArray(c, s2 + 3 * L);
        int s3 = o + 3 * ldc;
        c30.intoArray(c, s3); c31.intoArray(c, s3 + 1 * L); c32.intoArray(c, s3 + 2 * L); c33.intoArray(c, s3 + 3 * L);
        int s4 = o + 4 * ldc;
        c40.intoArray(c, s4); c41.intoArray(c, s4 + 1 * L); c42.intoArray(c, s4 + 2 * L); c43.intoArray(c, s4 + 3 * L);
        int s5 = o + 5 * ldc;
        c50.intoArray(c, s5); c51.intoArray(c, s5 + 1 * L); c52.intoArray(c, s5 + 2 * L); c53.intoArray(c, s5 + 3 * L);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
