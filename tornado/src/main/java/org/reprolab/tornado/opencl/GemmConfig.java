package org.reprolab.tornado.opencl;

import java.util.List;
import org.reprolab.tornado.ElementType;

/**
 * One tile configuration of the opencl GEMM: each work-group computes a {@code tileM x tileN} block of
 * C, each work-item a {@code perItemM x perItemN} block of it held in registers (register blocking,
 * Nugteren's "myGEMM" kernels 6–7; CLBlast's Xgemm). Two families:
 * <ul>
 *   <li>{@link Family#LOCAL}: A and B tiles {@code tileK} deep are copied into {@code __local} memory
 *       with {@code vload4}/{@code vstore4} and shared by the group; the GPU shape, where local memory
 *       is on chip;</li>
 *   <li>{@link Family#DIRECT}: no local memory, no barriers; each work-item streams its B row segment
 *       as one {@code perItemN}-wide vector ({@code float16} = one AVX-512 register) and lets the
 *       caches do the tiling; the CPU shape (PoCL emulates local memory in global memory).</li>
 * </ul>
 * Every configuration computes each element of C as the same chain {@code acc = fma(a[p], b[p], acc)}
 * for p = 0, 1, ... k-1 from {@code acc = +0}, and the zero padding only appends {@code fma(0, 0, acc)},
 * which leaves {@code acc} unchanged (it is never -0). So the choice changes the speed, never a bit.
 *
 * @param tileK the depth of a local tile; divides {@link #K_PAD} so the padded depth is the same for
 *              every configuration (1 for {@code DIRECT}, which has no k tiles)
 */
record GemmConfig(Family family, int tileM, int tileN, int tileK, int perItemM, int perItemN) {

    enum Family { LOCAL, DIRECT }

    /** k is padded to a multiple of this for every configuration. */
    static final int K_PAD = 16;

    /**
     * The autotune's candidates: three GPU-style local tilings (256- and 64-item groups) and two
     * cache-blocked CPU ones; each device keeps those it can launch and times them once.
     */
    static final List<GemmConfig> CANDIDATES = List.of(
            new GemmConfig(Family.LOCAL, 128, 128, 16, 8, 8),
            new GemmConfig(Family.LOCAL, 64, 64, 16, 4, 4),
            new GemmConfig(Family.LOCAL, 64, 64, 8, 8, 8),
            new GemmConfig(Family.DIRECT, 32, 64, 1, 8, 16),
            new GemmConfig(Family.DIRECT, 64, 64, 1, 4, 4));

    GemmConfig {
        if (tileM % perItemM != 0 || tileN % perItemN != 0 || K_PAD % tileK != 0)
            throw new IllegalArgumentException("inconsistent GEMM tiles: " + family + " " + tileM + "x" + tileN + "x" + tileK
                    + " per item " + perItemM + "x" + perItemN);
        if (family == Family.LOCAL && (tileM % 4 != 0 || tileN % 4 != 0))
            throw new IllegalArgumentException("LOCAL tiles are loaded as 4-vectors; tileM and tileN must be multiples of 4");
        if (family == Family.DIRECT && Integer.bitCount(perItemN) != 1)
            throw new IllegalArgumentException("DIRECT rows are OpenCL vectors; perItemN must be 2, 4, 8 or 16");
    }

    /** Work-items per group along dimension 0 (columns of C). */
    int localX() {
        return tileN / perItemN;
    }

    /** Work-items per group along dimension 1 (rows of C). */
    int localY() {
        return tileM / perItemM;
    }

    /** Columns per panel of packed A^T (padded rows {@code mp}): DIRECT streams one work-item's rows, LOCAL reads whole rows. */
    int panelM(int mp) {
        return family == Family.DIRECT ? perItemM : mp;
    }

    /** Columns per panel of packed B (padded columns {@code np}). */
    int panelN(int np) {
        return family == Family.DIRECT ? perItemN : np;
    }

    /** {@code __local} bytes one group uses. */
    long localBytes(ElementType t) {
        return family == Family.LOCAL ? (long) tileK * (tileM + tileN) * t.bytes() : 0;
    }

    /** A stable name, e.g. {@code local-128x128x16/8x8}, for the autotune report and {@code -Dreprolab.opencl.gemm}. */
    String name() {
        return family.name().toLowerCase(java.util.Locale.ROOT) + "-" + tileM + "x" + tileN + (family == Family.LOCAL ? "x" + tileK : "")
                + "/" + perItemM + "x" + perItemN;
    }

    /** The configuration's {@code #define}s, put in front of {@link OpenClGemm#TILED}. */
    String defines() {
        return "#define FAMILY_LOCAL " + (family == Family.LOCAL ? 1 : 0) + "\n#define TSM " + tileM + "\n#define TSN " + tileN
                + "\n#define TSK " + tileK + "\n#define WPTM " + perItemM + "\n#define WPTN " + perItemN + "\n";
    }
}
