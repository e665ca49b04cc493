package org.reprolab.tornado.opencl;

import static org.junit.jupiter.api.Assertions.*;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.MatrixView;
import org.reprolab.tornado.ProviderStatus;

/**
 * The opencl GEMM against an independent reference: Java's {@link Math#fma} chain in k order, which
 * every tile configuration and the small kernel must reproduce bit for bit (odd shapes, transposed,
 * offset and broadcast views, accumulation, f32 and f64), so the autotune's choice never changes a result.
 */
class OpenClGemmTest {

    static OpenClDevice device() {
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
        assumeTrue(s.loaded(), () -> "no OpenCL device here: " + s.failure());
        return (OpenClDevice) s.device();
    }

    /** A batch of matrices in a host array plus the view that reads them, possibly transposed or with padded rows. */
    private record Operand(double[] data, MatrixView view) {
        double get(int b, int i, int j) {
            return data[view.offset() + b * view.batchStride() + i * view.rowStride() + j * view.colStride()];
        }
    }

    /** {@code rows x cols} matrices, {@code batches} of them stored (1 = broadcast), laid out as asked. */
    private static Operand operand(OpenClDevice d, ElementType dt, SplittableRandom r, int batches, int batch, int rows, int cols,
            boolean transposed, int offset, int pad) {
        int ld = (transposed ? rows : cols) + pad;
        int per = (transposed ? cols : rows) * ld;
        double[] data = new double[offset + batches * per];
        for (int i = 0; i < data.length; i++) {
            // mixed magnitudes so that any other summation order or a non-fused multiply-add shows in the last bits
            double v = r.nextDouble(-1, 1) * Math.scalb(1.0, r.nextInt(-6, 7));
            data[i] = dt == ElementType.F32 ? (float) v : v;
        }
        Buffer buf = d.upload(dt, data);
        int bs = batches == 1 && batch > 1 ? 0 : per;
        MatrixView v = transposed ? new MatrixView(buf, offset, bs, 1, ld) : new MatrixView(buf, offset, bs, ld, 1);
        return new Operand(data, v);
    }

    private static double reference(ElementType dt, Operand a, Operand b, int bi, int i, int j, int k) {
        if (dt == ElementType.F32) {
            float acc = 0f;
            for (int p = 0; p < k; p++) acc = Math.fma((float) a.get(bi, i, p), (float) b.get(bi, p, j), acc);
            return acc;
        }
        double acc = 0;
        for (int p = 0; p < k; p++) acc = Math.fma(a.get(bi, i, p), b.get(bi, p, j), acc);
        return acc;
    }

    /** Runs {@code gemm} on a fresh problem and checks every element of C against the fma chain, bit for bit. */
    private static void check(OpenClDevice d, ElementType dt, int batch, int m, int n, int k, boolean accumulate, long seed, String what,
            GemmRun gemm) {
        SplittableRandom r = new SplittableRandom(seed);
        Operand a = operand(d, dt, r, seed % 2 == 0 ? 1 : batch, batch, m, k, true, 3, 0);
        Operand b = operand(d, dt, r, batch, batch, k, n, false, 5, 7);
        Operand c = operand(d, dt, r, batch, batch, m, n, false, 2, 3);
        gemm.run(batch, m, n, k, a.view(), b.view(), c.view(), accumulate);
        double[] got = c.view().buffer().toDoubleArray();
        for (int bi = 0; bi < batch; bi++)
            for (int i = 0; i < m; i++)
                for (int j = 0; j < n; j++) {
                    double acc = reference(dt, a, b, bi, i, j, k);
                    double want = accumulate ? (dt == ElementType.F32 ? (double) ((float) c.get(bi, i, j) + (float) acc) : c.get(bi, i, j) + acc) : acc;
                    int at = c.view().offset() + bi * c.view().batchStride() + i * c.view().rowStride() + j * c.view().colStride();
                    if (Double.doubleToLongBits(want) != Double.doubleToLongBits(got[at]))
                        fail(what + " " + dt + " batch=" + batch + " m=" + m + " n=" + n + " k=" + k + ": C[" + bi + "," + i + "," + j + "] = "
                                + got[at] + ", fma chain gives " + want);
                }
        // padding between C's rows is untouched
        for (int j = n; j < c.view().rowStride(); j++) assertEquals(c.data()[c.view().offset() + j], got[c.view().offset() + j], what + " C row padding");
    }

    private interface GemmRun {
        void run(int batch, int m, int n, int k, MatrixView a, MatrixView b, MatrixView c, boolean accumulate);
    }

    static Stream<Arguments> configs() {
        return GemmConfig.CANDIDATES.stream().flatMap(c -> Stream.of(Arguments.of(c, ElementType.F32), Arguments.of(c, ElementType.F64)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("configs")
    void everyTileConfigurationGivesTheFmaChainBitForBit(GemmConfig cfg, ElementType dt) {
        OpenClDevice d = device();
        assumeTrue(dt == ElementType.F32 || d.capabilities().fp64(), "no cl_khr_fp64");
        assumeTrue(d.info().fits(cfg.localX(), cfg.localY(), cfg.localBytes(dt)), () -> cfg.name() + " does not fit " + d.info().summary());
        GemmRun tiled = (batch, m, n, k, a, b, c, acc) -> {
            synchronized (d) {
                d.gemm().tiled(dt, cfg, batch, m, n, k, a, b, c, acc);
            }
        };
        check(d, dt, 1, 1, 1, 1, false, 1, cfg.name(), tiled);
        check(d, dt, 1, 67, 131, 45, false, 2, cfg.name(), tiled);
        check(d, dt, 3, 129, 65, 17, true, 3, cfg.name(), tiled);
        check(d, dt, 2, 33, 200, 130, false, 4, cfg.name(), tiled);
    }

    @Test
    void smallAndAutotunedPathsThroughTheDeviceGiveTheFmaChain() {
        OpenClDevice d = device();
        for (ElementType dt : d.capabilities().fp64() ? List.of(ElementType.F32, ElementType.F64) : List.of(ElementType.F32)) {
            GemmRun viaDevice = d::matmul;
            check(d, dt, 1, 5, 7, 3, false, 11, "small", viaDevice);
            check(d, dt, 4, 19, 23, 31, true, 12, "small", viaDevice);
            check(d, dt, 1, 7, 9, 0, true, 13, "small k=0", viaDevice);
            check(d, dt, 2, 131, 97, 77, true, 14, "tiled", viaDevice); // 2M multiply-adds: the autotuned path
            OpenClGemm.Tuning t = d.gemm().tuning(dt);
            assertTrue(GemmConfig.CANDIDATES.contains(t.chosen()), t.toString());
            assertTrue(t.trials().stream().anyMatch(x -> x.config().equals(t.chosen()) && x.gflops() > 0), t.toString());
        }
    }

    @Test
    void configurationNamesAreDistinctAndValidated() {
        assertEquals(GemmConfig.CANDIDATES.size(), GemmConfig.CANDIDATES.stream().map(GemmConfig::name).distinct().count());
        assertEquals("local-128x128x16/8x8", GemmConfig.CANDIDATES.getFirst().name());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new GemmConfig(GemmConfig.Family.LOCAL, 64, 64, 5, 8, 8));
        assertTrue(e.getMessage().contains("inconsistent GEMM tiles"), e.getMessage());
    }
}
