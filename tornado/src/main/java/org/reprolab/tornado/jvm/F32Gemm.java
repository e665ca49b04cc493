package org.reprolab.tornado.jvm;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * Batched f32 matrix product on strided views, after the BLIS loop structure (Van Zee and van de Geijn,
 * "BLIS: A Framework for Rapidly Instantiating BLAS Functionality", ACM TOMS 41(3), 2015; Goto and van
 * de Geijn, "Anatomy of High-Performance Matrix Multiplication", ACM TOMS 34(3), 2008). C is cut into
 * tasks (a band of rows by a block of at most {@code NC} columns); each task walks {@code k} in slabs
 * of {@code KC} (128 to 512, from the L2's size and the L1 budget of the A panel), packs its {@code kc x NC}
 * block of B into column strips of {@code NR = 2} vectors (half the core's L2), and for each {@code MR = 12}-row panel of A, packed
 * row by row ({@code [MR][AS]}, 24 KB at most, kept in L1), runs a 12-row by 2-vector register tile over
 * every strip: 24 accumulators, 2 vector loads and 12 broadcasts per 24 FMAs, the shape of BLIS's
 * Skylake-X sgemm kernel (32 x 12) transposed to row-major C.
 *
 * <p>Why this tile: the B strips stream from L2 while the A panel stays in L1, and 12 x 2 reads half the
 * B bytes per FMA that the former 6 x 4 tile did; with the panel's layout below it ran 1-14% faster on the Intel
 * Xeon kind at every shape measured in f32 and f64 but f64 256^2 (2-4% slower: its last panel has 4 rows of 12)
 * (docs/performance.md, session 8; not measured on the AMD kind). Why the panel is
 * {@code [MR][AS]} with the constant row stride {@code AS}: the twelve reads of a step are
 * {@code a[p + i * AS]}, constant offsets from the loop variable, so C2 checks them as one hoisted range
 * (a stride known only at run time left a check per read in the loop), and a row-major A packs with one
 * {@link System#arraycopy} per row. {@code AS} is {@code KC} plus one cache line, so the twelve rows do
 * not fall into the same two L1 sets (a 2 KB stride would).
 *
 * <p>Packs are per task in thread-local buffers (no allocation once warm), tasks run on the calling
 * thread and a helper team that spins briefly between calls ({@link SpinTeam}: no ForkJoin hand-off),
 * and the tile is written as one method, as C2 needs to keep the 24 accumulators in registers (a store
 * helper hit the inlining node limit and boxed every vector; an unrolled loop, by hand or by C2, spilled
 * them). The accumulators start from C on every slab after the first, so each element of C is one FMA
 * chain over {@code p = 0 .. k-1} whatever the slab size, task grid or thread count: the same bits as a
 * scalar {@code Math.fma} loop ({@code GemmTest}).
 *
 * <p>{@code F64Gemm} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Gemm {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 12, NR = 2 * L;
    /** The packed A panel's budget: half the 48 KB L1 of both kinds measured, so the B strips streaming past keep it. */
    private static final int PANEL_BYTES = 24 << 10;
    /** Block width of the reference block rows: {@code 32 L} elements, 2 KB in f32 and f64. */
    private static final int NC0 = 32 * L;
    private static final long L2 = l2Bytes();
    /**
     * Slab depth: as deep as lets a B block of {@code NC0}-wide rows fill half the core's L2 ({@link #slabDepth}),
     * which is what the kernel streams its B strips from, and no deeper than keeps the packed A panel
     * ({@code MR x AS}) within {@link #PANEL_BYTES} of L1.
     */
    private static final int KC = slabDepth(L2);
    /** Task block width: the packed B block, {@code KC x NC}, fills half the L2 whatever limited {@code KC}. */
    private static final int NC = blockWidth(KC, L2);
    /** Row stride of a packed A panel: {@code KC} and one 64-byte line, so its rows spread over the L1's sets. */
    private static final int AS = KC + 64 / Float.BYTES;
    /** Below this many multiply-adds the packing is not worth it. */
    private static final long SMALL = 32L * 32 * 32;
    /** Multiply-adds per task below which another thread costs more than it saves. */
    private static final long TASK_MIN = 1L << 20;
    /** Per-thread pack buffers (B block, A panel, edge tile), grown on demand and reused. */
    private static final ThreadLocal<float[][]> PACKS = ThreadLocal.withInitial(() -> new float[3][0]);

    private F32Gemm() {}

    /**
     * {@code KC} for an L2 of {@code l2} bytes: a B block of {@code NC0}-wide rows in half the L2, in multiples of 64
     * between 128 and 512, 256 when the size is unknown; at most what keeps the A panel in {@link #PANEL_BYTES}
     * (512 in f32, 256 in f64). Measured at 2048^2 and the MLP's shapes (docs/performance.md): on a 1 MB L2 (AMD EPYC)
     * 256 was best of 256/384/512, on a 2 MB L2 (Intel Xeon) 384-512 beat 256 by 5-8% in f32; in f64 on the Xeon 512
     * made the panel 50 KB, more than the L1, and 256 with twice the block width was 2-5% faster at 1024^2-2048^2
     * (session 8). The slab depth does not change a result: each element of C is one FMA chain over k whatever the
     * slabs.
     */
    static int slabDepth(long l2) {
        int panelCap = PANEL_BYTES / (MR * Float.BYTES) / 64 * 64;
        long kc = l2 <= 0 ? 256 : Math.max(128, Math.min(512, l2 / 2 / ((long) NC0 * Float.BYTES) / 64 * 64));
        return (int) Math.min(kc, panelCap);
    }

    /**
     * {@code NC} for slabs of depth {@code kc} and an L2 of {@code l2} bytes: the B block in half the L2, whole strips,
     * between {@code NC0} and {@code 2 NC0}; {@code NC0} when the size is unknown. It is {@code NC0} unless the panel
     * limited {@code kc} (f64 on a 2 MB L2: 512 columns at depth 256).
     */
    static int blockWidth(int kc, long l2) {
        if (l2 <= 0) return NC0;
        long nc = l2 / 2 / ((long) kc * Float.BYTES) / NR * NR;
        return (int) Math.max(NC0, Math.min(2L * NC0, nc));
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
        float[] pb = grow(packs, 0, kcMax * strips * NR), pa = grow(packs, 1, MR * AS), tile = grow(packs, 2, MR * NR);
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
     * {@code out[r * AS + p] = A[r][p]} for the panel's {@code h} rows, zero in rows {@code h .. MR-1}: the layout
     * whose constant stride lets C2 check the twelve reads of a step as one range.
     */
    private static void packA(float[] x, int off, int rs, int cs, int h, int kc, float[] out) {
        if (cs == 1) // row-major A: a copy per row
            for (int r = 0; r < h; r++) System.arraycopy(x, off + r * rs, out, r * AS, kc);
        else if (rs == 1) // A transposed (A^T stored row-major): a panel's rows are adjacent in memory
            for (int p = 0; p < kc; p++)
                for (int r = 0, src = off + p * cs; r < h; r++) out[r * AS + p] = x[src + r];
        else
            for (int r = 0; r < h; r++)
                for (int p = 0, src = off + r * rs; p < kc; p++) out[r * AS + p] = x[src + p * cs];
        for (int r = h; r < MR; r++) java.util.Arrays.fill(out, r * AS, r * AS + kc, 0f);
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
     * The register tile: {@code C[MR][NR] += Apanel * Bstrip} over {@code kc} steps, 24 accumulators (12 rows x 2
     * vectors) in registers, 2 vector loads of B and 12 broadcasts of A per 24 FMAs, over a packed A panel
     * ({@code a[i * AS + p]}). Each accumulator starts from {@code c} when {@code load}, else from zero, so a product
     * split into k slabs adds its terms in the same order as one pass over k.
     */
    private static void kernel(float[] a, float[] b, int bp, int kc, float[] c, int o, int ldc, boolean load) {
        FloatVector c00, c01;
        FloatVector c10, c11;
        FloatVector c20, c21;
        FloatVector c30, c31;
        FloatVector c40, c41;
        FloatVector c50, c51;
        FloatVector c60, c61;
        FloatVector c70, c71;
        FloatVector c80, c81;
        FloatVector c90, c91;
        FloatVector ca0, ca1;
        FloatVector cb0, cb1;
        if (load) {
            c00 = FloatVector.fromArray(S, c, o); c01 = FloatVector.fromArray(S, c, o + L);
            c10 = FloatVector.fromArray(S, c, o + 1 * ldc); c11 = FloatVector.fromArray(S, c, o + 1 * ldc + L);
            c20 = FloatVector.fromArray(S, c, o + 2 * ldc); c21 = FloatVector.fromArray(S, c, o + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, o + 3 * ldc); c31 = FloatVector.fromArray(S, c, o + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, o + 4 * ldc); c41 = FloatVector.fromArray(S, c, o + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, o + 5 * ldc); c51 = FloatVector.fromArray(S, c, o + 5 * ldc + L);
            c60 = FloatVector.fromArray(S, c, o + 6 * ldc); c61 = FloatVector.fromArray(S, c, o + 6 * ldc + L);
            c70 = FloatVector.fromArray(S, c, o + 7 * ldc); c71 = FloatVector.fromArray(S, c, o + 7 * ldc + L);
            c80 = FloatVector.fromArray(S, c, o + 8 * ldc); c81 = FloatVector.fromArray(S, c, o + 8 * ldc + L);
            c90 = FloatVector.fromArray(S, c, o + 9 * ldc); c91 = FloatVector.fromArray(S, c, o + 9 * ldc + L);
            ca0 = FloatVector.fromArray(S, c, o + 10 * ldc); ca1 = FloatVector.fromArray(S, c, o + 10 * ldc + L);
            cb0 = FloatVector.fromArray(S, c, o + 11 * ldc); cb1 = FloatVector.fromArray(S, c, o + 11 * ldc + L);
        } else {
            c00 = FloatVector.zero(S);
            c01 = c10 = c11 = c20 = c21 = c30 = c31 = c40 = c41 = c50 = c51 = c00;
            c60 = c61 = c70 = c71 = c80 = c81 = c90 = c91 = ca0 = ca1 = cb0 = cb1 = c00;
        }
        for (int p = 0; p < kc; p++) {
            int r = bp + p * NR;
            FloatVector b0 = FloatVector.fromArray(S, b, r), b1 = FloatVector.fromArray(S, b, r + L);
            FloatVector x0 = FloatVector.broadcast(S, a[p]); c00 = b0.fma(x0, c00); c01 = b1.fma(x0, c01);
            FloatVector x1 = FloatVector.broadcast(S, a[p + 1 * AS]); c10 = b0.fma(x1, c10); c11 = b1.fma(x1, c11);
            FloatVector x2 = FloatVector.broadcast(S, a[p + 2 * AS]); c20 = b0.fma(x2, c20); c21 = b1.fma(x2, c21);
            FloatVector x3 = FloatVector.broadcast(S, a[p + 3 * AS]); c30 = b0.fma(x3, c30); c31 = b1.fma(x3, c31);
            FloatVector x4 = FloatVector.broadcast(S, a[p + 4 * AS]); c40 = b0.fma(x4, c40); c41 = b1.fma(x4, c41);
            FloatVector x5 = FloatVector.broadcast(S, a[p + 5 * AS]); c50 = b0.fma(x5, c50); c51 = b1.fma(x5, c51);
            FloatVector x6 = FloatVector.broadcast(S, a[p + 6 * AS]); c60 = b0.fma(x6, c60); c61 = b1.fma(x6, c61);
            FloatVector x7 = FloatVector.broadcast(S, a[p + 7 * AS]); c70 = b0.fma(x7, c70); c71 = b1.fma(x7, c71);
            FloatVector x8 = FloatVector.broadcast(S, a[p + 8 * AS]); c80 = b0.fma(x8, c80); c81 = b1.fma(x8, c81);
            FloatVector x9 = FloatVector.broadcast(S, a[p + 9 * AS]); c90 = b0.fma(x9, c90); c91 = b1.fma(x9, c91);
            FloatVector x10 = FloatVector.broadcast(S, a[p + 10 * AS]); ca0 = b0.fma(x10, ca0); ca1 = b1.fma(x10, ca1);
            FloatVector x11 = FloatVector.broadcast(S, a[p + 11 * AS]); cb0 = b0.fma(x11, cb0); cb1 = b1.fma(x11, cb1);
        }
        c00.intoArray(c, o); c01.intoArray(c, o + L);
        c10.intoArray(c, o + 1 * ldc); c11.intoArray(c, o + 1 * ldc + L);
        c20.intoArray(c, o + 2 * ldc); c21.intoArray(c, o + 2 * ldc + L);
        c30.intoArray(c, o + 3 * ldc); c31.intoArray(c, o + 3 * ldc + L);
        c40.intoArray(c, o + 4 * ldc); c41.intoArray(c, o + 4 * ldc + L);
        c50.intoArray(c, o + 5 * ldc); c51.intoArray(c, o + 5 * ldc + L);
        c60.intoArray(c, o + 6 * ldc); c61.intoArray(c, o + 6 * ldc + L);
        c70.intoArray(c, o + 7 * ldc); c71.intoArray(c, o + 7 * ldc + L);
        c80.intoArray(c, o + 8 * ldc); c81.intoArray(c, o + 8 * ldc + L);
        c90.intoArray(c, o + 9 * ldc); c91.intoArray(c, o + 9 * ldc + L);
        ca0.intoArray(c, o + 10 * ldc); ca1.intoArray(c, o + 10 * ldc + L);
        cb0.intoArray(c, o + 11 * ldc); cb1.intoArray(c, o + 11 * ldc + L);
    }

    private static int ceil(int a, int b) {
        return (a + b - 1) / b;
    }
}
