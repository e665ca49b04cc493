package org.reprolab.tornado.opencl;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.ProviderStatus;

/**
 * The opencl GEMM's autotune report and its speed beside the jvm device's, for {@code ./reprolab
 * gpu-check} and docs/performance.md: prints the device, what each tile configuration measured at
 * first use (time included), then the median GFLOP/s of both devices at each size, interleaved
 * round by round.
 *
 * <p>Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH
 * org.reprolab.tornado.opencl.GemmBench [rounds [sizes...]]} (default 5 rounds, 256 512 1024 2048);
 * {@code -Dreprolab.opencl.device=gpu} picks the device.
 */
public final class GemmBench {
    private GemmBench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int[] sizes = args.length > 1 ? Arrays.stream(args, 1, args.length).mapToInt(Integer::parseInt).toArray() : new int[] {256, 512, 1024, 2048};
        ProviderStatus s = Devices.providers().stream().filter(p -> p.name().equals("opencl")).findFirst().orElseThrow();
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
        System.out.println("| matmul | jvm GFLOP/s | opencl GFLOP/s | opencl/jvm |");
        System.out.println("| --- | --- | --- | --- |");
        for (ElementType dt : cl.capabilities().fp64() ? ElementType.values() : new ElementType[] {ElementType.F32})
            for (int n : sizes) {
                double[] rates = rates(new Device[] {jvm, cl}, dt, n, rounds);
                System.out.printf("| %s %d^2 | %.1f | %.1f | %.2f |%n", dt, n, rates[0], rates[1], rates[1] / rates[0]);
            }
    }

    /** Median GFLOP/s of each device on an {@code n^3} product, the devices interleaved in every round. */
    private static double[] rates(Device[] devices, ElementType dt, int n, int rounds) {
        SplittableRandom r = new SplittableRandom(n);
        double[] a = r.doubles((long) n * n, -1, 1).toArray(), b = r.doubles((long) n * n, -1, 1).toArray();
        Buffer[][] bufs = new Buffer[devices.length][];
        long[][] t = new long[devices.length][rounds];
        for (int d = 0; d < devices.length; d++) {
            bufs[d] = new Buffer[] {devices[d].upload(dt, a), devices[d].upload(dt, b), devices[d].allocate(dt, n * n)};
            devices[d].matmul(bufs[d][0], bufs[d][1], bufs[d][2], 1, n, n, n); // warm-up (and autotune)
            devices[d].synchronize();
        }
        for (int i = 0; i < rounds; i++)
            for (int d = 0; d < devices.length; d++) {
                long t0 = System.nanoTime();
                devices[d].matmul(bufs[d][0], bufs[d][1], bufs[d][2], 1, n, n, n);
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
