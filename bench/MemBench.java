import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicLong;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.GaussianMixture;
import org.reprolab.diffusion.NoiseSchedule;
import org.reprolab.diffusion.Sampler;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Optimizers;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tensor.TensorScope;

/**
 * Our side of bench/memory.py (issue 16 item 7): the peak memory of one workload in a fresh JVM.
 * Peak heap is the sum of the heap pools' peak usage (the JVM's own high-water marks, reset before
 * the work); off-heap is the direct and mapped buffer pools, sampled every millisecond; the whole
 * process is VmHWM from /proc/self/status (which also covers native memory a device allocates
 * outside the buffer pools, and the JIT's code and metadata), next to VmRSS before the work. The bytes
 * allocated on the heap by all threads during the work, and the heap still live after a GC at the
 * end, tell garbage awaiting collection from data the work keeps.
 *
 *   mlp          20 Adam training steps of an MLP 784-512-512-10 (f32) on a batch of 256, a TensorScope per step,
 *                from a cold JVM (model and optimizer made in the work, the JIT compiling as it goes)
 *   mlp-warm     the same 20 steps after ten seconds of the same training and a GC (made and warmed before the
 *                measurement starts): a long training loop's step
 *   diffusion1m  DPM-Solver++(2M) at 10 NFE, 1M samples of the ring8 mixture with its exact denoiser (f64),
 *                as bench/diffusion.sh runs it
 *
 * Prints one JSON line. Run by bench/memory.py: java FLAGS -cp CP bench/MemBench.java WORKLOAD
 */
public final class MemBench {
    private MemBench() {}

    public static void main(String[] args) throws Exception {
        String workload = args.length > 0 ? args[0] : "mlp";
        Runnable work = switch (workload) {
            case "mlp" -> () -> mlpSteps(20);
            case "mlp-warm" -> warmMlp(20);
            case "diffusion1m" -> () -> diffusion(1_000_000);
            default -> throw new IllegalArgumentException("unknown workload '" + workload + "': mlp, mlp-warm or diffusion1m");
        };
        long rssBefore = status("VmRSS"), hwmBefore = status("VmHWM");
        ManagementFactory.getMemoryPoolMXBeans().forEach(MemoryPoolMXBean::resetPeakUsage);
        AtomicLong offHeapPeak = new AtomicLong();
        Thread sampler = Thread.ofPlatform().daemon().start(() -> {
            while (!Thread.currentThread().isInterrupted()) {
                long off = ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream().mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
                offHeapPeak.accumulateAndGet(off, Math::max);
                try {
                    Thread.sleep(1);
                } catch (InterruptedException e) {
                    return;
                }
            }
        });
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long allocatedBefore = threads.getTotalThreadAllocatedBytes();
        long t0 = System.nanoTime();
        work.run();
        double seconds = (System.nanoTime() - t0) / 1e9;
        long allocated = threads.getTotalThreadAllocatedBytes() - allocatedBefore;
        sampler.interrupt();
        sampler.join();
        long heapPeak = 0, nonHeapPeak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) heapPeak += pool.getPeakUsage().getUsed();
            else nonHeapPeak += pool.getPeakUsage().getUsed();
        }
        long heapCommitted = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getCommitted();
        long hwm = status("VmHWM");
        System.gc(); // what the work left live, to tell garbage from retained data
        long heapLive = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
        System.out.printf(Locale.ROOT, "{\"workload\": \"%s\", \"seconds\": %.3f, \"rss_before\": %d, \"hwm_before\": %d, \"hwm\": %d, "
                        + "\"heap_peak\": %d, \"heap_live_end\": %d, \"heap_committed_end\": %d, \"nonheap_peak\": %d, \"offheap_peak\": %d, \"max_heap\": %d, \"allocated\": %d}%n",
                workload, seconds, rssBefore, hwmBefore, hwm, heapPeak, heapLive, heapCommitted, nonHeapPeak, offHeapPeak.get(),
                Runtime.getRuntime().maxMemory(), allocated);
    }

    /** A /proc/self/status field in bytes (the kernel reports kB). */
    static long status(String field) throws IOException {
        return Files.readAllLines(Path.of("/proc/self/status")).stream().filter(l -> l.startsWith(field + ":"))
                .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) * 1024).findFirst().orElse(-1L);
    }

    static void mlpSteps(int steps) {
        MLP model = new MLP(new int[] {784, 512, 512, 10}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 6, 256, 784);
        int[] labels = new SplittableRandom(7).ints(256, 0, 10).toArray();
        try (Optimizer adam = Optimizer.builder(model.parameters(), Optimizers.adam(1e-3)).build()) {
            for (int i = 0; i < steps; i++) {
                try (TensorScope _ = Tensor.scope()) { // as Lab.train does: the next step reuses this one's memory
                    model.zeroGrad();
                    Losses.crossEntropy(model.forward(x), labels).backward();
                    adam.step();
                }
            }
        }
    }

    /**
     * The MLP's model, optimizer and batch, trained until the JIT has compiled the step (ten seconds, as
     * LibBench's steady-state windows found it needs), then collected: the returned work is {@code steps}
     * more steps, whose heap peak is what a long training loop's step needs (live state plus its garbage).
     */
    static Runnable warmMlp(int steps) {
        MLP model = new MLP(new int[] {784, 512, 512, 10}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 6, 256, 784);
        int[] labels = new SplittableRandom(7).ints(256, 0, 10).toArray();
        Optimizer adam = Optimizer.builder(model.parameters(), Optimizers.adam(1e-3)).build();
        Runnable step = () -> {
            try (TensorScope _ = Tensor.scope()) {
                model.zeroGrad();
                Losses.crossEntropy(model.forward(x), labels).backward();
                adam.step();
            }
        };
        for (long t0 = System.nanoTime(); System.nanoTime() - t0 < 10_000_000_000L; ) step.run();
        System.gc();
        return () -> {
            for (int i = 0; i < steps; i++) step.run();
            adam.close();
        };
    }

    static void diffusion(int n) {
        DiffusionModel model = GaussianMixture.ring(8, 1, 0.08).denoiser(NoiseSchedule.vpLinear());
        Diffusion.sample(new Sampler.DpmSolverPP(2), model, Batch.normal(n, 2, 1), 10);
    }
}
