package org.reprolab.tornado.bench;

import static org.reprolab.tornado.expr.Expr.c;
import static org.reprolab.tornado.expr.Expr.in;
import static org.reprolab.tornado.expr.Expr.param;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.reprolab.tornado.Buffer;
import org.reprolab.tornado.ElementType;
import org.reprolab.tornado.Device;
import org.reprolab.tornado.Devices;
import org.reprolab.tornado.ProviderStatus;
import org.reprolab.tornado.ReduceOp;
import org.reprolab.tornado.expr.ElementwiseKernel;
import org.reprolab.tornado.expr.Expr;

/**
 * JMH-free micro-benchmarks of the compute layer, with their reference measured in the same run and
 * interleaved with it (the VM is shared and drifts, acceleration.md §4):
 * <ol>
 *   <li>fused in-place Adam on 16M f32 (28 counted bytes per element) against the in-place
 *       bandwidth ceiling, a hand-written Vector API {@code a += s*b} over the same threads
 *       (12 bytes per element; in place, so no write-allocate traffic goes uncounted);</li>
 *   <li>an exp-heavy map (sigmoid) through the engine against a scalar {@code Math.exp} loop;</li>
 *   <li>a 16M f32 sum against a scalar loop;</li>
 *   <li>f32 matmul 1024^2 in GFLOP/s.</li>
 * </ol>
 * Run: {@code java --add-modules=jdk.incubator.vector --enable-native-access=ALL-UNNAMED -cp CLASSPATH
 * org.reprolab.tornado.bench.Bench [rounds]}; {@code -Dreprolab.device=opencl} benchmarks that device too.
 */
public final class Bench {
    private static final int N = 1 << 24;

    private Bench() {}

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        System.out.println(Devices.report());
        int cpus = Runtime.getRuntime().availableProcessors();
        System.out.println("cpus " + cpus + ", rounds " + rounds + " (median)");
        double peak = MachineLimits.fmaPeakGflops(cpus, 3);
        System.out.println(MachineLimits.describePeak(false, cpus, peak));
        System.out.println(MachineLimits.describePeak(true, cpus, MachineLimits.f64Peak(peak)));
        List<Device> devices = new ArrayList<>();
        devices.add(Devices.get("jvm"));
        String extra = System.getProperty(Devices.PROPERTY);
        if (extra != null && !extra.equals("jvm")) devices.add(Devices.get(extra));
        else Devices.providers().stream().filter(ProviderStatus::loaded).map(ProviderStatus::device)
                .filter(d -> !d.name().equals("jvm") && Boolean.getBoolean("bench.all")).forEach(devices::add);
        for (Device d : devices) {
            adam(d, rounds);
            maps(d, rounds);
            matmul(d, rounds);
        }
    }

    static ElementwiseKernel adamKernel() {
        Expr p = in(0), g = in(1), m = in(2), v = in(3);
        Expr lr = param(0), b1 = param(1), b2 = param(2), eps = param(3), bc1 = param(4), bc2 = param(5);
        Expr m1 = b1.mul(m).add(c(1).sub(b1).mul(g));
        Expr v1 = b2.mul(v).add(c(1).sub(b2).mul(g.square()));
        return ElementwiseKernel.of("adam", 4, 6, p.sub(lr.mul(m1.div(bc1)).div(v1.div(bc2).sqrt().add(eps))), m1, v1);
    }

    private static float[] filled(long seed) {
        return MachineLimits.InPlaceCeiling.filled(N, seed);
    }

    /** Fused Adam's time and bandwidth next to the in-place ceiling timed in the same rounds. */
    public record FusedAdam(String device, double ms, double gbPerS, double ceilingGbPerS, int threads) {
        public double ofCeiling() {
            return gbPerS / ceilingGbPerS;
        }
    }

    private static void adam(Device d, int rounds) {
        FusedAdam r = fusedAdam(d, rounds);
        System.out.printf("[%s] fused Adam 16M f32 in place: %.2f ms, %.1f GB/s | ceiling (in-place Vector API axpy, %d threads): %.1f GB/s | ratio %.2f%n",
                r.device(), r.ms(), r.gbPerS(), r.threads(), r.ceilingGbPerS(), r.ofCeiling());
    }

    /**
     * Fused in-place Adam on 16M f32 (28 counted bytes per element) on {@code d}, each round
     * interleaved with one pass of the in-place bandwidth ceiling on the device's thread count.
     */
    public static FusedAdam fusedAdam(Device d, int rounds) {
        int threads = d.capabilities().computeUnits();
        ElementwiseKernel k = adamKernel();
        Buffer p = d.upload(ElementType.F32, filled(3)), g = d.upload(ElementType.F32, filled(4)), m = d.allocate(ElementType.F32, N), v = d.allocate(ElementType.F32, N);
        List<Buffer> ins = List.of(p, g, m, v), outs = List.of(p, m, v);
        double[] hp = {1e-3, 0.9, 0.999, 1e-8, 0.1, 0.001};
        long[] tAdam = new long[rounds], tCeil = new long[rounds];
        try (MachineLimits.InPlaceCeiling ceiling = new MachineLimits.InPlaceCeiling(threads, N)) {
            for (int w = 0; w < 3; w++) {
                d.run(k, N, ins, outs, hp);
                ceiling.passNanos();
            }
            d.synchronize();
            for (int r = 0; r < rounds; r++) {
                tCeil[r] = ceiling.passNanos();
                long t1 = System.nanoTime();
                d.run(k, N, ins, outs, hp);
                d.synchronize();
                tAdam[r] = System.nanoTime() - t1;
            }
            return new FusedAdam(d.name(), median(tAdam) / 1e6, 28.0 * N / median(tAdam), ceiling.gbPerS(median(tCeil)), threads);
        } finally {
            ins.forEach(Buffer::close);
        }
    }

    private static void maps(Device d, int rounds) {
        float[] x = filled(5), y = new float[N];
        Buffer bx = d.upload(ElementType.F32, x), by = d.allocate(ElementType.F32, N);
        ElementwiseKernel sig = ElementwiseKernel.of("sigmoid", 1, 0, in(0).sigmoid());
        long[] tk = new long[rounds], ts = new long[rounds], tr = new long[rounds], tq = new long[rounds];
        double sink = 0;
        for (int r = -2; r < rounds; r++) {
            long t0 = System.nanoTime();
            d.run(sig, N, List.of(bx), List.of(by));
            d.synchronize();
            long t1 = System.nanoTime();
            for (int i = 0; i < N; i++) y[i] = (float) (1 / (1 + Math.exp(-x[i])));
            long t2 = System.nanoTime();
            sink += d.reduceToHost(ReduceOp.SUM, bx, 0, N);
            long t3 = System.nanoTime();
            float s = 0;
            for (int i = 0; i < N; i++) s += x[i];
            sink += s;
            long t4 = System.nanoTime();
            if (r >= 0) {
                tk[r] = t1 - t0;
                ts[r] = t2 - t1;
                tr[r] = t3 - t2;
                tq[r] = t4 - t3;
            }
        }
        System.out.printf("[%s] sigmoid map 16M f32: %.2f ms vs scalar Math.exp loop (1 thread) %.2f ms: %.1fx%n",
                d.name(), median(tk) / 1e6, median(ts) / 1e6, median(ts) / median(tk));
        System.out.printf("[%s] sum 16M f32 (blocked, f64 combine): %.2f ms vs scalar loop (1 thread) %.2f ms: %.1fx  (sink %s)%n",
                d.name(), median(tr) / 1e6, median(tq) / 1e6, median(tq) / median(tr), sink == 0 ? "0" : "ok");
        bx.close();
        by.close();
    }

    private static void matmul(Device d, int rounds) {
        int n = 1024;
        float[] a = new float[n * n], b = new float[n * n];
        java.util.SplittableRandom r = new java.util.SplittableRandom(7);
        for (int i = 0; i < a.length; i++) {
            a[i] = (float) r.nextDouble(-1, 1);
            b[i] = (float) r.nextDouble(-1, 1);
        }
        Buffer ba = d.upload(ElementType.F32, a), bb = d.upload(ElementType.F32, b), bc = d.allocate(ElementType.F32, n * n);
        long[] t = new long[rounds];
        for (int w = 0; w < 3; w++) d.matmul(ba, bb, bc, 1, n, n, n);
        d.synchronize();
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            d.matmul(ba, bb, bc, 1, n, n, n);
            d.synchronize();
            t[i] = System.nanoTime() - t0;
        }
        double gflops = 2.0 * n * n * n / median(t);
        System.out.printf("[%s] matmul f32 1024^2: %.2f ms, %.1f GFLOP/s%n", d.name(), median(t) / 1e6, gflops);
        ba.close();
        bb.close();
        bc.close();
    }

    static double median(long[] t) {
        long[] s = t.clone();
        Arrays.sort(s);
        return s.length % 2 == 1 ? s[s.length / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2.0;
    }
}
