import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tornado.bench.MachineLimits;

/**
 * Where the time of one element-wise op on 16M f32 goes (issue 16 item 1, docs/performance.md): the in-place
 * ceiling, the out-of-place bound, the Tensor add closed / not closed / into a kept output, and the JVM
 * zeroing a fresh array, each with its wall time and the minor page faults per call (/proc/self/stat).
 *
 *   java -Xmx8g --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH bench/AddProbe.java 11
 */
public final class AddProbe {
    static final int N = 1 << 24;
    static long minflt() throws Exception {
        String s = Files.readString(Path.of("/proc/self/stat"));
        String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
        return Long.parseLong(f[7]);
    }
    interface Op { void run() throws Exception; }
    static void probe(String name, int rounds, Op op) throws Exception {
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long[] wall = new long[rounds], cpu = new long[rounds], flt = new long[rounds];
        for (int r = 0; r < rounds; r++) {
            long f0 = minflt(), c0 = os.getProcessCpuTime(), t0 = System.nanoTime();
            op.run();
            wall[r] = System.nanoTime() - t0; cpu[r] = os.getProcessCpuTime() - c0; flt[r] = minflt() - f0;
        }
        Arrays.sort(wall); Arrays.sort(cpu); Arrays.sort(flt);
        System.out.printf("%-28s wall %7.2f ms (min %6.2f)  cpu %7.2f ms  minor faults %6d  -> %.1f GB/s (12 B/elem, min wall)%n", name,
                wall[rounds / 2] / 1e6, wall[0] / 1e6, cpu[rounds / 2] / 1e6, flt[rounds / 2], 12.0 * N / wall[0]);
    }
    public static void main(String[] a) throws Exception {
        int rounds = Integer.parseInt(a[0]);
        Tensor x = Tensor.randn(DType.F32, 8, N), y = Tensor.randn(DType.F32, 9, N), z = Tensor.zeros(DType.F32, N);
        try (var c = new MachineLimits.InPlaceCeiling(Runtime.getRuntime().availableProcessors(), N)) {
            for (int w = 0; w < 3; w++) {
                try (Tensor s = x.add(y)) { s.evaluate(); }
                x.add(y).evaluate(); z.assign(x.add(y)); c.passNanos(); c.outOfPlacePassNanos();
            }
            for (int rep = 0; rep < 2; rep++) {
                probe("in-place a += s*b", rounds, c::passNanos);
                probe("out-of-place c = a+b (kept)", rounds, c::outOfPlacePassNanos);
                probe("Tensor add, closed", rounds, () -> { try (Tensor s = x.add(y)) { s.evaluate(); } });
                probe("Tensor add, not closed", rounds, () -> x.add(y).evaluate());
                probe("Tensor add into kept z", rounds, () -> z.assign(x.add(y)));
                probe("new float[16M] only", rounds, () -> { float[] f = new float[N]; f[N - 1] = 1; });
            }
        }
    }
}
