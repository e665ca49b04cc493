package org.reprolab.tornado.opencl;

import static org.jocl.CL.*;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jocl.cl_kernel;
import org.jocl.cl_mem;
import org.reprolab.tornado.DeviceException;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.MatrixView;

/**
 * The opencl device's matrix multiply. Large products run "indirect", as CLBlast does (Nugteren,
 * "CLBlast: A Tuned OpenCL BLAS Library", IWOCL 2018): two pack launches copy the strided views of A
 * (transposed, k-major) and B into one zero-padded scratch buffer whose sides are multiples of the
 * tile, so the tiled kernel ({@link GemmConfig}) needs no guards and loads whole vectors; only its
 * stores into C are guarded. Small or badly padded products run {@code gemm_small}, 16x16 local tiles
 * straight from the views with guarded loads.
 *
 * <p>The tile configuration is chosen per device and element type at the first large product: the
 * {@link GemmConfig#CANDIDATES} that fit the device's work-group and local-memory limits (and whose
 * group size is a multiple of the kernel's preferred multiple) are built and timed once on an
 * {@code s x s x 256} product (s = 2048 on a GPU, enough groups of the largest tile for a hundred
 * compute units; 512 elsewhere), the family that suits the device first (LOCAL where local memory is
 * on chip), and the fastest is kept for the life of the device. Every candidate and the
 * small kernel compute each element as the same {@code fma} chain in k order, so results do not
 * depend on the choice ({@code OpenClGemmTest} checks them bit for bit against {@link Math#fma}).
 * {@code -Dreprolab.opencl.gemm=NAME} skips the autotune.
 */
final class OpenClGemm {
    /** System property naming a {@link GemmConfig#name()} to use instead of autotuning. */
    static final String PROPERTY = "reprolab.opencl.gemm";
    /** Products with fewer multiply-adds than this run the small kernel (64^3: packing would dominate). */
    static final long TILED_MIN_VOLUME = 1L << 18;
    /** Scratch buffers up to this size are kept between calls; larger ones are released after the launch. */
    private static final long SCRATCH_KEEP_BYTES = 64L << 20;
    /** Depth of the tuning product; its sides are {@link #tuneSide()}. */
    private static final int TUNE_K = 256;
    private static final double TUNE_SECONDS = 0.02;
    /** A candidate whose first run is this many times slower than the best so far is not timed further. */
    private static final double TUNE_GIVE_UP = 3;

    /**
     * What the autotune measured for one candidate: its rate and the seconds its build took, or, with
     * {@code gflops} NaN, why it was skipped.
     */
    record Trial(GemmConfig config, double gflops, double buildSeconds, String skipped) {
        static Trial skipped(GemmConfig config, String why) {
            return new Trial(config, Double.NaN, 0, why);
        }

        @Override
        public String toString() {
            return config.name() + ": " + (skipped != null ? "skipped (" + skipped + ")"
                    : String.format(java.util.Locale.ROOT, "%.1f GFLOP/s (build %.2f s)", gflops, buildSeconds));
        }
    }

    /** The configuration chosen for one element type and the trials behind the choice. */
    record Tuning(GemmConfig chosen, List<Trial> trials) {}

    private final OpenClDevice device;
    private final OpenClDeviceInfo info;
    private final long maxAllocation;
    private final int smallTile;
    private final Map<ElementType, Tuning> tunings = new EnumMap<>(ElementType.class);
    private cl_mem scratch;
    private long scratchBytes;

    OpenClGemm(OpenClDevice device, OpenClDeviceInfo info, long maxAllocation) {
        this.device = device;
        this.info = info;
        this.maxAllocation = maxAllocation;
        this.smallTile = info.fits(16, 16, 2L * 16 * 17 * 8) ? 16 : info.fits(8, 8, 2L * 8 * 9 * 8) ? 8 : 1;
    }

    /** {@code C[b] (+)= A[b] @ B[b]} on strided views (already validated); called with the device's lock held. */
    void matmul(ElementType dt, int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate) {
        if ((long) m * n * k >= TILED_MIN_VOLUME) {
            GemmConfig cfg = tuning(dt).chosen();
            if (tiledPays(dt, cfg, batch, m, n, k)) {
                tiled(dt, cfg, batch, m, n, k, a, b, c, accumulate);
                return;
            }
        }
        small(dt, batch, m, n, k, a, b, c, accumulate);
    }

    /** Padding costs at most 2x the work, and the packed operands fit one allocation with int indices. */
    private boolean tiledPays(ElementType dt, GemmConfig cfg, int batch, int m, int n, int k) {
        long mp = roundUp(m, cfg.tileM()), np = roundUp(n, cfg.tileN()), kp = roundUp(k, GemmConfig.K_PAD);
        long packed = batch * kp * (mp + np);
        return (double) mp * np * kp <= 2.0 * m * n * k && packed <= Integer.MAX_VALUE && packed * dt.bytes() <= maxAllocation;
    }

    /** The configuration for {@code dt}, autotuned at the first call (under the device's lock: it launches kernels). */
    Tuning tuning(ElementType dt) {
        synchronized (device) {
            return tunings.computeIfAbsent(dt, t -> tune(t, System.getProperty(PROPERTY)));
        }
    }

    // ---- launches ------------------------------------------------------------------------------------

    void small(ElementType dt, int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate) {
        cl_kernel kk = device.kernel(commonSource(dt), "gemm_small");
        List<Object> args = new ArrayList<>(List.of(m, n, k));
        for (MatrixView v : new MatrixView[] {a, b, c})
            args.addAll(List.of(OpenClDevice.mem(v.buffer()), v.offset(), v.batchStride(), v.rowStride(), v.colStride()));
        args.add(accumulate ? 1 : 0);
        OpenClDevice.args(kk, args.toArray());
        long gx = roundUp(n, smallTile), gy = roundUp(m, smallTile);
        device.enqueue("matmul", kk, new long[] {gx, gy, batch}, new long[] {smallTile, smallTile, 1});
    }

    /** Packs A^T and B into scratch, then runs {@code cfg}'s tiled kernel into C. */
    void tiled(ElementType dt, GemmConfig cfg, int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate) {
        int mp = roundUp(m, cfg.tileM()), np = roundUp(n, cfg.tileN()), kp = roundUp(k, GemmConfig.K_PAD);
        int bOff = batch * kp * mp;
        long bytes = ((long) bOff + (long) batch * kp * np) * dt.bytes();
        cl_mem packed = scratch(bytes);
        try {
            cl_kernel pack = device.kernel(commonSource(dt), "gemm_pack");
            // A^T: rows p = k index (A's column stride), columns q = m index (A's row stride)
            OpenClDevice.args(pack, packed, 0, kp, mp, k, m, cfg.panelM(mp), OpenClDevice.mem(a.buffer()), a.offset(), a.batchStride(),
                    a.colStride(), a.rowStride());
            device.enqueue("matmul pack A", pack, new long[] {mp, kp, batch}, null);
            OpenClDevice.args(pack, packed, bOff, kp, np, k, n, cfg.panelN(np), OpenClDevice.mem(b.buffer()), b.offset(), b.batchStride(),
                    b.rowStride(), b.colStride());
            device.enqueue("matmul pack B", pack, new long[] {np, kp, batch}, null);
            launchTiled(dt, cfg, batch, m, n, mp, np, kp, packed, bOff, OpenClDevice.mem(c.buffer()), c.offset(), c.batchStride(),
                    c.rowStride(), c.colStride(), accumulate);
        } finally {
            if (packed != scratch) clReleaseMemObject(packed); // OpenCL keeps it alive until the queued kernels finish
        }
    }

    private void launchTiled(ElementType dt, GemmConfig cfg, int batch, int m, int n, int mp, int np, int kp, cl_mem packed, int bOff,
            cl_mem c, int co, int cbs, int crs, int ccs, boolean accumulate) {
        cl_kernel kk = device.kernel(tiledSource(dt, cfg), "gemm_tiled");
        OpenClDevice.args(kk, m, n, mp, np, kp, packed, bOff, c, co, cbs, crs, ccs, accumulate ? 1 : 0);
        long gx = (long) np / cfg.perItemN(), gy = (long) mp / cfg.perItemM();
        device.enqueue("matmul", kk, new long[] {gx, gy, batch}, new long[] {cfg.localX(), cfg.localY(), 1});
    }

    /** The kept scratch buffer grown to {@code bytes}, or a fresh one the caller releases when it is too big to keep. */
    private cl_mem scratch(long bytes) {
        if (bytes > SCRATCH_KEEP_BYTES) return device.createBuffer(bytes);
        if (bytes > scratchBytes) {
            if (scratch != null) clReleaseMemObject(scratch);
            scratchBytes = Math.max(bytes, Math.min(SCRATCH_KEEP_BYTES, 2 * scratchBytes));
            scratch = device.createBuffer(scratchBytes);
        }
        return scratch;
    }

    // ---- autotune ------------------------------------------------------------------------------------

    private Tuning tune(ElementType dt, String forced) {
        List<GemmConfig> fitting = new ArrayList<>();
        List<Trial> trials = new ArrayList<>();
        for (GemmConfig cfg : GemmConfig.CANDIDATES) {
            if (info.fits(cfg.localX(), cfg.localY(), cfg.localBytes(dt))) fitting.add(cfg);
            else trials.add(Trial.skipped(cfg, "group " + cfg.localX() + "x" + cfg.localY() + " or " + cfg.localBytes(dt)
                    + " B of local memory exceeds " + info.summary()));
        }
        if (forced != null && !forced.isBlank()) {
            GemmConfig pick = fitting.stream().filter(c -> c.name().equals(forced.strip())).findFirst()
                    .orElseThrow(() -> new DeviceException(PROPERTY + "=" + forced + " names no GEMM configuration that fits this device; "
                            + "choose one of " + fitting.stream().map(GemmConfig::name).toList()));
            return new Tuning(pick, List.of(Trial.skipped(pick, "not timed: chosen by -D" + PROPERTY)));
        }
        List<GemmConfig> launchable = new ArrayList<>();
        Map<GemmConfig, Double> buildSeconds = new java.util.HashMap<>();
        int preferred = 1;
        for (GemmConfig cfg : fitting) {
            try {
                long t0 = System.nanoTime();
                cl_kernel k = device.kernel(tiledSource(dt, cfg), "gemm_tiled");
                buildSeconds.put(cfg, (System.nanoTime() - t0) / 1e9);
                long limit = device.kernelWorkGroupInfo(k, CL_KERNEL_WORK_GROUP_SIZE);
                preferred = Math.max(preferred, (int) device.kernelWorkGroupInfo(k, CL_KERNEL_PREFERRED_WORK_GROUP_SIZE_MULTIPLE));
                if ((long) cfg.localX() * cfg.localY() > limit)
                    trials.add(Trial.skipped(cfg, "the compiled kernel allows groups of " + limit));
                else launchable.add(cfg);
            } catch (DeviceException e) {
                trials.add(Trial.skipped(cfg, "build failed: " + e.getMessage().lines().findFirst().orElse("")));
            }
        }
        int multiple = preferred;
        List<GemmConfig> aligned = launchable.stream().filter(c -> c.localX() * c.localY() % multiple == 0).toList();
        if (aligned.isEmpty()) aligned = launchable;
        for (GemmConfig cfg : launchable)
            if (!aligned.contains(cfg)) trials.add(Trial.skipped(cfg, "group size not a multiple of " + multiple));
        if (aligned.isEmpty())
            throw new DeviceException("opencl matmul: no GEMM configuration can launch on this device: " + trials);
        GemmConfig.Family first = info.dedicatedLocalMem() ? GemmConfig.Family.LOCAL : GemmConfig.Family.DIRECT;
        List<GemmConfig> order = java.util.stream.Stream.concat(aligned.stream().filter(c -> c.family() == first),
                aligned.stream().filter(c -> c.family() != first)).toList();
        GemmConfig best = null;
        double bestRate = 0;
        for (GemmConfig cfg : order) {
            double rate = time(dt, cfg, bestRate);
            trials.add(new Trial(cfg, rate, buildSeconds.get(cfg), null));
            if (rate > bestRate) {
                bestRate = rate;
                best = cfg;
            }
        }
        return new Tuning(best, List.copyOf(trials));
    }

    private int tuneSide() {
        return info.gpu() ? 2048 : 512;
    }

    /**
     * GFLOP/s of {@code cfg} on the tuning product over zero-filled operands: one warm-up run, then
     * enough repetitions for ~20 ms, unless the warm-up is already far behind {@code bestSoFar}.
     */
    private double time(ElementType dt, GemmConfig cfg, double bestSoFar) {
        int side = tuneSide();
        int mp = roundUp(side, cfg.tileM()), np = roundUp(side, cfg.tileN());
        long packedElems = (long) TUNE_K * (mp + np);
        cl_mem packed = device.createBuffer(packedElems * dt.bytes());
        cl_mem c = device.createBuffer((long) side * side * dt.bytes());
        double flop = 2.0 * side * side * TUNE_K;
        try {
            device.zero(packed, packedElems * dt.bytes(), dt);
            Runnable run = () -> launchTiled(dt, cfg, 1, side, side, mp, np, TUNE_K, packed, TUNE_K * mp, c, 0, 0, side, 1, false);
            double once = seconds(run, 1);
            if (flop / once / 1e9 * TUNE_GIVE_UP < bestSoFar) return flop / once / 1e9;
            int reps = (int) Math.max(2, Math.min(50, Math.ceil(TUNE_SECONDS / once)));
            return flop / seconds(run, reps) / 1e9;
        } finally {
            clReleaseMemObject(packed);
            clReleaseMemObject(c);
        }
    }

    private double seconds(Runnable launch, int reps) {
        device.synchronize();
        long t0 = System.nanoTime();
        for (int i = 0; i < reps; i++) launch.run();
        device.synchronize();
        return (System.nanoTime() - t0) / 1e9 / reps;
    }

    private static int roundUp(int v, int multiple) {
        return (v + multiple - 1) / multiple * multiple;
    }

    // ---- sources -------------------------------------------------------------------------------------

    private String commonSource(ElementType dt) {
        return OpenClSource.header(dt) + "#define T " + dt.cName() + "\n#define TS " + smallTile + "\n" + COMMON;
    }

    static String tiledSource(ElementType dt, GemmConfig cfg) {
        return OpenClSource.header(dt) + "#define T " + dt.cName() + "\n" + cfg.defines() + TILED;
    }

    /** The pack kernel and the small-product kernel; {@code T} and the small tile {@code TS} are defined in front. */
    private static final String COMMON = """
            /* view element (b, p, q) of src, zero outside rows0 x cols0, into panels of `panel` columns stored one
               after another, each rows x panel row-major (panel == cols: plain row-major rows x cols) */
            __kernel void gemm_pack(__global T* dst, const int dOff, const int rows, const int cols, const int rows0, const int cols0,
                                    const int panel, __global const T* src, const int off, const int bs, const int rs, const int cs) {
              const int q = get_global_id(0), p = get_global_id(1), b = get_global_id(2);
              dst[dOff + b * rows * cols + (q / panel * rows + p) * panel + q % panel] =
                  (p < rows0 && q < cols0) ? src[off + b * bs + p * rs + q * cs] : (T)0;
            }

            /* C[b] (+)= A[b] @ B[b] on strided views; TS x TS tiles in local memory, guarded loads, batch on axis 2 */
            __kernel void gemm_small(const int m, const int n, const int k,
                                     __global const T* A, const int ao, const int abs, const int ars, const int acs,
                                     __global const T* B, const int bo, const int bbs, const int brs, const int bcs,
                                     __global T* C, const int co, const int cbs, const int crs, const int ccs,
                                     const int accumulate) {
              __local T As[TS][TS + 1];
              __local T Bs[TS][TS + 1];
              const int lr = get_local_id(1), lc = get_local_id(0);
              const int i = get_group_id(1) * TS + lr, j = get_group_id(0) * TS + lc;
              const int b = get_global_id(2);
              T acc = (T)0;
              for (int t = 0; t < k; t += TS) {
                const int ka = t + lc, kb = t + lr;
                As[lr][lc] = (i < m && ka < k) ? A[ao + b * abs + i * ars + ka * acs] : (T)0;
                Bs[lr][lc] = (kb < k && j < n) ? B[bo + b * bbs + kb * brs + j * bcs] : (T)0;
                barrier(CLK_LOCAL_MEM_FENCE);
                for (int p = 0; p < TS; p++) acc = fma(As[lr][p], Bs[p][lc], acc);
                barrier(CLK_LOCAL_MEM_FENCE);
              }
              if (i < m && j < n) {
                const int ci = co + b * cbs + i * crs + j * ccs;
                C[ci] = accumulate ? C[ci] + acc : acc;
              }
            }
            """;

    /**
     * The tiled kernel over packed operands: {@code At} is {@code [kp][mp]} (A transposed), {@code Bp}
     * {@code [kp][np]}, both zero-padded, at {@code packed + b*kp*mp} and {@code packed + bOff + b*kp*np};
     * for DIRECT cut into panels of WPTM (WPTN) columns stored one after another, so that a work-item
     * streams contiguous memory instead of one cache line per k at a power-of-two stride.
     * Work-item (tn, tm) of a group owns rows {@code tm + i*RTSM} and columns {@code tn + j*RTSN} of the
     * group's tile (LOCAL: strided, so neighbouring work-items read neighbouring local words and store
     * neighbouring columns) or a contiguous {@code WPTM x WPTN} block (DIRECT: one vector per row).
     */
    static final String TILED = """
            #define CAT(a, b) a##b
            #define XCAT(a, b) CAT(a, b)
            #define VECN XCAT(T, WPTN)
            #define VLOADN XCAT(vload, WPTN)
            #define VSTOREN XCAT(vstore, WPTN)
            #define RTSM (TSM / WPTM)
            #define RTSN (TSN / WPTN)
            inline void put(__global T* C, const int ci, const T v, const int accumulate) {
              C[ci] = accumulate ? C[ci] + v : v;
            }
            __kernel __attribute__((reqd_work_group_size(RTSN, RTSM, 1)))
            void gemm_tiled(const int m, const int n, const int mp, const int np, const int kp,
                            __global const T* packed, const int bOff,
                            __global T* C, const int co, const int cbs, const int crs, const int ccs, const int accumulate) {
              const int b = get_global_id(2);
              __global const T* At = packed + b * kp * mp;
              __global const T* Bp = packed + bOff + b * kp * np;
              const int tn = get_local_id(0), tm = get_local_id(1);
              __global T* Cb = C + co + b * cbs;
            #if FAMILY_LOCAL
              const int offM = get_group_id(1) * TSM, offN = get_group_id(0) * TSN;
              __local T As[TSK][TSM];
              __local T Bs[TSK][TSN];
              T acc[WPTM][WPTN];
              #pragma unroll
              for (int i = 0; i < WPTM; i++)
                #pragma unroll
                for (int j = 0; j < WPTN; j++) acc[i][j] = (T)0;
              const int tid = tm * RTSN + tn;
              for (int t = 0; t < kp; t += TSK) {
                for (int l = tid; l < TSK * TSM / 4; l += RTSM * RTSN) {
                  const int kk = l / (TSM / 4), mm = l % (TSM / 4) * 4;
                  vstore4(vload4(0, At + (t + kk) * mp + offM + mm), 0, &As[kk][mm]);
                }
                for (int l = tid; l < TSK * TSN / 4; l += RTSM * RTSN) {
                  const int kk = l / (TSN / 4), nn = l % (TSN / 4) * 4;
                  vstore4(vload4(0, Bp + (t + kk) * np + offN + nn), 0, &Bs[kk][nn]);
                }
                barrier(CLK_LOCAL_MEM_FENCE);
                #pragma unroll
                for (int p = 0; p < TSK; p++) {
                  T bv[WPTN];
                  #pragma unroll
                  for (int j = 0; j < WPTN; j++) bv[j] = Bs[p][tn + j * RTSN];
                  #pragma unroll
                  for (int i = 0; i < WPTM; i++) {
                    const T av = As[p][tm + i * RTSM];
                    #pragma unroll
                    for (int j = 0; j < WPTN; j++) acc[i][j] = fma(av, bv[j], acc[i][j]);
                  }
                }
                barrier(CLK_LOCAL_MEM_FENCE);
              }
              #pragma unroll
              for (int i = 0; i < WPTM; i++) {
                const int row = offM + tm + i * RTSM;
                #pragma unroll
                for (int j = 0; j < WPTN; j++) {
                  const int col = offN + tn + j * RTSN;
                  if (row < m && col < n) put(Cb, row * crs + col * ccs, acc[i][j], accumulate);
                }
              }
            #else
              const int row0 = get_global_id(1) * WPTM, col0 = get_global_id(0) * WPTN;
              VECN acc[WPTM];
              #pragma unroll
              for (int i = 0; i < WPTM; i++) acc[i] = (VECN)0;
              __global const T* Ap = At + get_global_id(1) * kp * WPTM;
              __global const T* Bq = Bp + get_global_id(0) * kp * WPTN;
              for (int p = 0; p < kp; p++) {
                const VECN bv = VLOADN(0, Bq + p * WPTN);
                #pragma unroll
                for (int i = 0; i < WPTM; i++) acc[i] = fma((VECN)(Ap[p * WPTM + i]), bv, acc[i]);
              }
              #pragma unroll
              for (int i = 0; i < WPTM; i++) {
                T r[WPTN];
                VSTOREN(acc[i], 0, r);
                const int row = row0 + i;
                #pragma unroll
                for (int j = 0; j < WPTN; j++)
                  if (row < m && col0 + j < n) put(Cb, row * crs + (col0 + j) * ccs, r[j], accumulate);
              }
            #endif
            }
            """;
}
