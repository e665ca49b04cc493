package org.reprolab.tornado.opencl;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.MatrixView;
import org.reprolab.tornado.ProviderStatus;

/**
 * What {@code ./reprolab gpu-check} asks the OpenCL layer, without clinfo:
 * <ul>
 *   <li>{@code devices}: every OpenCL device with its type, and which one the opencl device opens;
 *       exit status 0 when a GPU is among them, 3 when not, 2 when OpenCL itself is missing;</li>
 *   <li>{@code gemm [rounds [sizes...]]}: the opened device, what each GEMM tile configuration
 *       measured at first use (build time included), then the median GFLOP/s of the jvm and opencl
 *       devices (and of the naive kernel the tiled one replaced, up to 1024) at each size (default 5 rounds, 256 512 1024 2048), interleaved round by round, as a
 *       markdown table (docs/performance.md).</li>
 * </ul>
 * Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH
 * org.reprolab.tornado.opencl.OpenClReport gemm 5 1024}; {@code REPROLAB_OPENCL_DEVICE=gpu} picks the device.
 */
public final class OpenClReport {
    private OpenClReport() {}

    public static void main(String[] args) {
        String mode = args.length > 0 ? args[0] : "gemm";
        switch (mode) {
            case "devices" -> System.exit(devices());
            case "gemm" -> gemm(Arrays.copyOfRange(args, Math.min(1, args.length), args.length));
            default -> throw new IllegalArgumentException("usage: OpenClReport devices | gemm [rounds [sizes...]]; got '" + mode + "'");
        }
    }

    private static int devices() {
        List<OpenClDeviceProvider.Candidate> all;
        try {
            all = OpenClDeviceProvider.candidates();
        } catch (RuntimeException | LinkageError e) {
            System.out.println("OpenCL: none (" + e.getMessage() + ")");
            return 2;
        }
        for (OpenClDeviceProvider.Candidate c : all) System.out.println("  " + c.typeName() + "  " + c.label());
        ProviderStatus s = opencl();
        System.out.println("the opencl device opens: " + (s.loaded() ? s.device().describe() : "nothing (" + s.failure() + ")"));
        return all.stream().anyMatch(OpenClDeviceProvider.Candidate::gpu) ? 0 : 3;
    }

    private static ProviderStatus opencl() {
        return Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
    }

    private static void gemm(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {256, 512, 1024, 2048};
        ProviderStatus s = opencl();
        if (!s.loaded()) {
            System.out.println("gemm: no OpenCL device: " + s.failure());
            return;
        }
        OpenClDevice cl = (OpenClDevice) s.device();
        Device jvm = Devices.get("jvm");
        System.out.println(cl.describe());
        for (ElementType dt : cl.capabilities().fp64() ? ElementType.values() : new ElementType[] {ElementType.F32}) {
            long t0 = System.nanoTime();
            OpenClGemm.Tuning t = cl.gemm().tuning(dt);
            System.out.printf("gemm autotune %s (%.1f s): chosen %s; %s%n", dt, (System.nanoTime() - t0) / 1e9, t.chosen().name(), t.trials());
        }
        System.out.println("| matmul | jvm GFLOP/s | opencl GFLOP/s | opencl/jvm | opencl naive 16x16 tiles (the kernel before) |");
        System.out.println("| --- | --- | --- | --- | --- |");
        for (ElementType dt : cl.capabilities().fp64() ? ElementType.values() : new ElementType[] {ElementType.F32})
            for (int n : sizes) {
                List<Gemm> runs = new ArrayList<>(List.of(Gemm.of(jvm), Gemm.of(cl)));
                if (n <= NAIVE_MAX) runs.add(new Gemm(cl, (a, b, c, m) -> {
                    synchronized (cl) {
                        cl.gemm().small(dt, 1, m, m, m, MatrixView.rowMajor(a, m, m), MatrixView.rowMajor(b, m, m), MatrixView.rowMajor(c, m, m), false);
                    }
                }));
                double[] rates = rates(runs, dt, n, rounds);
                System.out.printf(Locale.ROOT, "| %s %d^2 | %.1f | %.1f | %.2f | %s |%n", dt, n, rates[0], rates[1], rates[1] / rates[0],
                        rates.length > 2 ? String.format(Locale.ROOT, "%.1f", rates[2]) : "not run above " + NAIVE_MAX);
            }
    }

    /** The naive reference is slow (~1.6 GFLOP/s on PoCL): only timed up to this size. */
    private static final int NAIVE_MAX = 1024;

    /** A square product on one device's buffers. */
    private record Gemm(Device device, Product product) {
        static Gemm of(Device d) {
            return new Gemm(d, (a, b, c, n) -> d.matmul(a, b, c, 1, n, n, n));
        }
    }

    private interface Product {
        void run(Buffer a, Buffer b, Buffer c, int n);
    }

    /** Median GFLOP/s of each product on {@code n x n} matrices, interleaved in every round. */
    private static double[] rates(List<Gemm> runs, ElementType dt, int n, int rounds) {
        Device[] devices = runs.stream().map(Gemm::device).toArray(Device[]::new);
        SplittableRandom r = new SplittableRandom(n);
        double[] a = r.doubles((long) n * n, -1, 1).toArray(), b = r.doubles((long) n * n, -1, 1).toArray();
        Buffer[][] bufs = new Buffer[devices.length][];
        long[][] t = new long[devices.length][rounds];
        for (int d = 0; d < devices.length; d++) {
            bufs[d] = new Buffer[] {devices[d].upload(dt, a), devices[d].upload(dt, b), devices[d].allocate(dt, n * n)};
            runs.get(d).product().run(bufs[d][0], bufs[d][1], bufs[d][2], n); // warm-up (and autotune)
            devices[d].synchronize();
        }
        for (int i = 0; i < rounds; i++)
            for (int d = 0; d < devices.length; d++) {
                long t0 = System.nanoTime();
                runs.get(d).product().run(bufs[d][0], bufs[d][1], bufs[d][2], n);
                devices[d].synchronize();
                t[d][i] = System.nanoTime() - t0;
            }
        double[] rates = new double[devices.length];
        for (int d = 0; d < devices.length; d++) {
            Arrays.sort(t[d]);
            rates[d] = 2.0 * n * n * n / t[d][rounds / 2];
            for (Buffer x : bufs[d]) x.close();
        }
        return rates;
    }
}
