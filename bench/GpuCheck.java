import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
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
import org.reprolab.tornado.Devices;

/**
 * The library-level rows of ./reprolab gpu-check, on the current device (REPROLAB_DEVICE=jvm|opencl):
 * f32 matmul 2048^2 through Tensor.matmul, one Adam step on 16M f32 parameters, one MLP
 * 784-512-512-10 batch-256 Adam training step, and a DPM-Solver++(2M) 10-NFE solve of 100k samples
 * on the ring8 mixture (bench/diffusion.sh's workload, smaller). Every timed call ends by reading a
 * value back, so queued device work is inside the time. Prints one JSON line.
 *
 * Run: java FLAGS -cp CP bench/GpuCheck.java ROUNDS
 */
public final class GpuCheck {

    private interface Work {
        double run();
    }

    /** Median milliseconds of {@code rounds} calls after {@code warmup}; the sink keeps the results alive. */
    private static double medianMs(Work work, int rounds, int warmup) {
        double sink = 0;
        for (int i = 0; i < warmup; i++) sink += work.run();
        long[] t = new long[rounds];
        for (int i = 0; i < rounds; i++) {
            long t0 = System.nanoTime();
            sink += work.run();
            t[i] = System.nanoTime() - t0;
        }
        if (Double.isNaN(sink)) System.err.println("gpu-check: a workload produced NaN");
        Arrays.sort(t);
        return t[rounds / 2] / 1e6;
    }

    /** One MLP 784-512-512-10 batch-256 step (forward, cross-entropy, backward, Adam), the same workload as bench/LibBench.java. */
    private static Work mlpStep(Optimizer[] keep) {
        MLP model = new MLP(new int[] {784, 512, 512, 10}, Activation::relu, DType.F32, 5);
        Tensor x = Tensor.randn(DType.F32, 6, 256, 784);
        int[] labels = new SplittableRandom(7).ints(256, 0, 10).toArray();
        Optimizer adam = keep[0] = Optimizer.builder(model.parameters(), Optimizers.adam(1e-3)).build();
        return () -> {
            model.zeroGrad();
            Tensor loss = Losses.crossEntropy(model.forward(x), labels);
            loss.backward();
            adam.step();
            return loss.item();
        };
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        String device = Devices.current().name();

        Tensor a = Tensor.randn(DType.F32, 3, 2048, 2048), b = Tensor.randn(DType.F32, 4, 2048, 2048);
        double matmulMs = medianMs(() -> a.matmul(b).sum().item(), rounds, 2);

        Tensor p = Tensor.randn(DType.F32, 1, 1 << 24).requiresGrad(true);
        p.setGrad(Tensor.randn(DType.F32, 2, 1 << 24));
        double adamMs;
        try (Optimizer adam = Optimizer.builder(Map.of("p", p), Optimizers.adam(1e-3)).build()) {
            adamMs = medianMs(() -> {
                adam.step();
                return p.sum().item();
            }, rounds, 2);
        }

        Optimizer[] mlpAdam = new Optimizer[1];
        double stepMs = medianMs(mlpStep(mlpAdam), rounds * 3, 3);
        mlpAdam[0].close();

        DiffusionModel mixture = GaussianMixture.ring(8, 1, 0.08).denoiser(NoiseSchedule.vpLinear());
        Batch z = Batch.normal(100_000, 2, 1);
        double sampleMs = medianMs(() -> Diffusion.sample(new Sampler.DpmSolverPP(2), mixture, z, 10).x().data()[0], Math.max(3, rounds / 2), 1);

        System.out.printf(Locale.ROOT, "{\"device\": \"%s\", \"matmul2048_gflops\": %.2f, \"adam16m_ms\": %.3f, \"mlp_step_ms\": %.3f, \"dpm100k_ms\": %.2f}%n",
                device, 2.0 * 2048 * 2048 * 2048 / (matmulMs / 1e3) / 1e9, adamMs, stepMs, sampleMs);
    }
}
