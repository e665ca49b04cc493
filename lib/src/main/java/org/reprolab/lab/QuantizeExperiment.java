package org.reprolab.lab;

import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.reprolab.diffusion.Batch;
import org.reprolab.diffusion.Diffusion;
import org.reprolab.diffusion.DiffusionModel;
import org.reprolab.diffusion.PostTrainingQuantization;
import org.reprolab.diffusion.SampleOptions;
import org.reprolab.diffusion.Sampler;
import org.reprolab.nn.Module;
import org.reprolab.random.RngKey;

/**
 * {@code Lab.quantize(network, model, data)}: post-training quantisations of one trained diffusion network
 * compared by the samples they draw (PTQ4DM, Shang et al., CVPR 2023: calibration sets × bit widths). Every run
 * calibrates a fresh quantised view of the network ({@link PostTrainingQuantization}) on
 * {@link #calibrationSize(int)} inputs (default 1024, the official script's), then samples it with one sampler
 * (default DPM-Solver++(2M)) at one budget (default 20 NFE) from the same noise. {@code error} (and
 * {@code median_error}) is the mean squared distance of its samples to the full-precision network's from the same
 * noise, sampler and budget — the damage quantisation alone does; {@code against(...)} adds sliced W2 to target
 * samples, {@code measure(...)} anything else. Sweep {@code weightBits}, {@code activationBits}, {@code range}.
 * The full-precision network's own sliced W2 is {@code Lab.sample(model)} with the same noise and sampler. The
 * calibration inputs come from one fixed key, so every run of a method calibrates alike; seeds change only the
 * random stream of a stochastic sampler.
 */
public final class QuantizeExperiment extends SamplingExperiment<PostTrainingQuantization, QuantizeExperiment> {
    private final Module network;
    private final DiffusionModel model;
    private final Batch data;
    private Sampler sampler = new Sampler.DpmSolverPP(2);
    private int calibrationSize = 1024;
    private final Map<String, Batch> fullPrecision = new ConcurrentHashMap<>();

    QuantizeExperiment(Module network, DiffusionModel model, Batch data) {
        super("quantize", "post-training quantization", 0, 20,
                new Methods(PostTrainingQuantization.class, "a post-training quantization (PostTrainingQuantization.of(Calibration.ndtc(), 8))"));
        this.network = Objects.requireNonNull(network, "network");
        this.model = Objects.requireNonNull(model, "model");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** The sampler of every run (default DPM-Solver++(2M)). */
    public QuantizeExperiment sampler(Sampler s) {
        this.sampler = Objects.requireNonNull(s, "sampler");
        return this;
    }

    /** How many calibration inputs each run draws (default 1024). */
    public QuantizeExperiment calibrationSize(int n) {
        if (n < 1) throw new IllegalArgumentException("quantize: calibrationSize must be >= 1, got " + n);
        this.calibrationSize = n;
        return this;
    }

    @Override
    Draw draw(PostTrainingQuantization method) {
        return new Draw(sampler, method.apply(network, model, data, calibrationSize, RngKey.of(0)));
    }

    /** The full-precision network's samples from the same noise, sampler, budget and grid: {@code error} is the quantisation's damage alone. */
    @Override
    Batch referenceEndpoints(PostTrainingQuantization method, int nfe, SampleOptions options) {
        return fullPrecision.computeIfAbsent(nfe + " " + options.grid(), k -> Diffusion.sample(sampler, model, noise(), nfe, options).x());
    }

    @Override
    boolean hasReference() {
        return true;
    }

    @Override
    void validate() {
        super.validate();
        fullPrecision.clear();
    }

    @Override
    String name(PostTrainingQuantization method, Set<String> swept) {
        return method.label(swept);
    }
}
