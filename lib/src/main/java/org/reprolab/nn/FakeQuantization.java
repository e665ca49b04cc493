package org.reprolab.nn;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Supplier;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * A post-training fake-quantised view of a module: every {@link Linear} layer its forward pass reaches reads a
 * quantised copy of its weight and rounds its input to a calibrated activation grid, while the module itself
 * keeps its full-precision weights. The view is active only inside {@link #call}/{@link #forward} (a scoped
 * value, so several views of one trained network can be compared side by side and the network still runs at
 * full precision elsewhere).
 *
 * <p>{@link #calibrate} follows the static-range PTQ recipe of PTQ4DM (Shang et al., "Post-training Quantization
 * on Diffusion Models", CVPR 2023, and its official code's QDrop-based {@code quant_model}): the weights are
 * quantised first (from the weights alone), then one forward pass over the calibration inputs, with the quantised
 * weights in place, records each layer's input, from which the layer's activation grid is fitted. The first
 * layer's input is the network's own input (data, a time embedding) and stays unquantised: BRECQ/QDrop, on which
 * the official code builds, quantise each layer's output, so every later layer's input but never the network's
 * (one per-tensor grid over mixed-scale input columns would also clip the data coordinates). What the
 * calibration inputs are is the caller's choice and the point of that paper: for a diffusion model they must
 * cover the inputs the network sees along the sampler's trajectory ({@code diffusion.Calibration}). The network's
 * output is not quantised (as in the official code). Rounding is to nearest; the paper's optional block
 * reconstruction (AdaRound/BRECQ) is not done.
 */
public final class FakeQuantization {
    private static final ScopedValue<FakeQuantization> ACTIVE = ScopedValue.newInstance();
    private static final ScopedValue<Recording> RECORDING = ScopedValue.newInstance();

    /** One layer's quantised weight and input grid (null for the first layer: the network's input stays at full precision). */
    private record Layer(Tensor weight, QuantGrid input) {}

    private final Module module;
    private final Map<Linear, Layer> layers;

    private FakeQuantization(Module module, Map<Linear, Layer> layers) {
        this.module = module;
        this.layers = layers;
    }

    /** Every layer at the same widths: {@link #calibrate(Module, Tensor, Quantizer, Quantizer, int)} with no exception for the ends. */
    public static FakeQuantization calibrate(Module module, Tensor inputs, Quantizer weights, Quantizer activations) {
        return calibrate(module, inputs, weights, activations, 0);
    }

    /**
     * Calibrates the view of {@code module} on {@code inputs} (one batch, as {@code module.forward} takes it).
     *
     * @param weights     the weights' quantiser (per channel: one grid per output row)
     * @param activations the quantiser of every layer's input
     * @param endBits     if > 0, the first and the last layer use this many bits for both weights and inputs
     *                    (the official PTQ4DM code keeps them at 8 bits); 0 treats them like the others
     */
    public static FakeQuantization calibrate(Module module, Tensor inputs, Quantizer weights, Quantizer activations, int endBits) {
        Objects.requireNonNull(module, "module");
        Objects.requireNonNull(inputs, "calibration inputs");
        Objects.requireNonNull(weights, "weight quantizer");
        Objects.requireNonNull(activations, "activation quantizer");
        if (endBits < 0) throw new IllegalArgumentException("FakeQuantization: endBits must be >= 0 (0: no exception), got " + endBits);
        List<Linear> order = record(module, inputs, null).order;
        if (order.isEmpty()) throw new IllegalArgumentException("FakeQuantization: " + module.getClass().getSimpleName() + "'s forward pass reaches no Linear layer");
        Map<Linear, Layer> layers = new IdentityHashMap<>();
        for (int i = 0; i < order.size(); i++) {
            Linear l = order.get(i);
            layers.put(l, new Layer(at(weights, i, order.size(), endBits).fit(l.weight()).apply(l.weight()), null));
        }
        Recording seen = record(module, inputs, new FakeQuantization(module, layers));
        for (int i = 1; i < order.size(); i++) {
            Linear l = order.get(i);
            Tensor in = Tensor.concat(0, seen.inputs.get(l).toArray(Tensor[]::new));
            layers.put(l, new Layer(layers.get(l).weight(), at(activations, i, order.size(), endBits).fit(in)));
        }
        return new FakeQuantization(module, layers);
    }

    private static Quantizer at(Quantizer q, int layer, int count, int endBits) {
        return endBits > 0 && (layer == 0 || layer == count - 1) ? q.withBits(endBits) : q;
    }

    /** Runs {@code module.forward(inputs)} (inside {@code view} when not null), keeping each Linear's input, flattened to rows. */
    private static Recording record(Module module, Tensor inputs, FakeQuantization view) {
        Recording r = new Recording();
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            var scope = ScopedValue.where(RECORDING, r);
            if (view != null) scope = scope.where(ACTIVE, view);
            scope.run(() -> module.forward(inputs));
        }
        return r;
    }

    /** What a recording pass saw: the Linear layers in the order they ran, and their inputs as [rows, in] matrices. */
    private static final class Recording {
        final List<Linear> order = new ArrayList<>();
        final Map<Linear, List<Tensor>> inputs = new IdentityHashMap<>();

        void add(Linear l, Tensor x) {
            inputs.computeIfAbsent(l, k -> {
                order.add(k);
                return new ArrayList<>();
            }).add(x.detach().reshape(-1, x.size(-1)).contiguous());
        }
    }

    /** The number of quantised layers. */
    public int layers() {
        return layers.size();
    }

    /** The module this is a view of. */
    public Module module() {
        return module;
    }

    /** {@code module.forward(x)} through the quantised view, without gradients. */
    public Tensor forward(Tensor x) {
        return call(() -> module.forward(x));
    }

    /** Evaluates {@code computation} with the module's Linear layers read through this view, without gradients. */
    public <T> T call(Supplier<T> computation) {
        try (Autodiff.Scope _ = Autodiff.noGrad()) {
            return ScopedValue.where(ACTIVE, this).call(computation::get);
        }
    }

    // ---- what Linear.forward asks ----

    /** The weight {@code layer} computes with: its quantised copy inside a view that holds it, else its own. */
    static Tensor weight(Linear layer) {
        if (ACTIVE.isBound()) {
            Layer q = ACTIVE.get().layers.get(layer);
            if (q != null) return q.weight();
        }
        return layer.weight();
    }

    /** {@code x} as {@code layer} sees it: recorded during calibration, rounded to its grid inside a view. */
    static Tensor input(Linear layer, Tensor x) {
        if (RECORDING.isBound()) RECORDING.get().add(layer, x);
        if (ACTIVE.isBound()) {
            Layer q = ACTIVE.get().layers.get(layer);
            if (q != null && q.input() != null) return q.input().apply(x);
        }
        return x;
    }
}
