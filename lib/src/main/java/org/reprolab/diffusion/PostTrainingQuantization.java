package org.reprolab.diffusion;

import java.util.Objects;
import org.reprolab.nn.FakeQuantization;
import org.reprolab.nn.Module;
import org.reprolab.nn.Quantizer;
import org.reprolab.nn.RangeRule;
import org.reprolab.random.RngKey;

/**
 * Post-training quantisation of a diffusion network as PTQ4DM does it (Shang et al., "Post-training Quantization
 * on Diffusion Models", CVPR 2023; official code 42Shawn/PTQ4DM): weights symmetric per output channel,
 * activations (every Linear layer's input) symmetric per tensor, both ranges by the MSE search, the first and the
 * last layer kept at 8 bits, the network's output unquantised, all calibrated on inputs from {@code calibration}
 * — the paper's point being which inputs ({@link Calibration#ndtc()} against noised training data). Rounding to
 * nearest, without the optional block reconstruction.
 *
 * @param calibration    where the calibration inputs come from
 * @param weightBits     bits per weight (2 … 16)
 * @param activationBits bits per activation (2 … 16)
 * @param range          how weight and activation ranges are chosen (the official code: {@link RangeRule#mse()})
 */
public record PostTrainingQuantization(Calibration calibration, int weightBits, int activationBits, RangeRule range) {
    /** The width the first and the last layer keep (the official code's {@code set_first_last_layer_to_8bit}). */
    public static final int END_BITS = 8;

    public PostTrainingQuantization {
        Objects.requireNonNull(calibration, "PostTrainingQuantization: calibration");
        Objects.requireNonNull(range, "PostTrainingQuantization: range rule");
        Quantizer.symmetric(weightBits);
        Quantizer.symmetric(activationBits);
    }

    /** W{@code bits}A{@code bits} calibrated on {@code calibration}, ranges by the MSE search (the official code's default). */
    public static PostTrainingQuantization of(Calibration calibration, int bits) {
        return new PostTrainingQuantization(calibration, bits, bits, RangeRule.mse());
    }

    /** This quantisation with ranges chosen by {@code rule}. */
    public PostTrainingQuantization range(RangeRule rule) {
        return new PostTrainingQuantization(calibration, weightBits, activationBits, rule);
    }

    /** Symmetric, one grid per output channel. */
    public Quantizer weights() {
        return Quantizer.symmetric(weightBits).perChannel().range(range);
    }

    /** Symmetric, one grid per tensor. */
    public Quantizer activations() {
        return Quantizer.symmetric(activationBits).range(range);
    }

    /**
     * The quantised version of {@code network}, whose full-precision model is {@code model} (e.g.
     * {@code network.model(schedule, prediction)}), calibrated on {@code n} inputs drawn from {@code key} (with
     * training data {@code data} where the calibration uses it). The network itself is left at full precision.
     */
    public DiffusionModel apply(Module network, DiffusionModel model, Batch data, int n, RngKey key) {
        var inputs = calibration.inputs(model, data, n, key);
        var view = FakeQuantization.calibrate(network, inputs, weights(), activations(), END_BITS);
        return DiffusionModel.of(model.schedule(), model.prediction(), (x, t, out) -> view.call(() -> {
            model.eval(x, t, out);
            return null;
        }));
    }

    /** "W8A8 NDTC(0.4, 0.4)", "W4A8 forward-noised min-max", "W8A8 t=1": bits, calibration, and the range rule unless MSE. */
    public String label() {
        return label(java.util.Set.of());
    }

    /** {@link #label()} without the components named in {@code omit} ("weightBits", "activationBits", "range"): those a table shows in columns. */
    public String label(java.util.Set<String> omit) {
        StringBuilder b = new StringBuilder();
        if (!omit.contains("weightBits") || !omit.contains("activationBits")) {
            b.append(omit.contains("weightBits") ? "" : "W" + weightBits).append(omit.contains("activationBits") ? "" : "A" + activationBits).append(' ');
        }
        b.append(calibration.label());
        if (!omit.contains("range") && !range.equals(RangeRule.mse())) b.append(' ').append(range);
        return b.toString();
    }
}
