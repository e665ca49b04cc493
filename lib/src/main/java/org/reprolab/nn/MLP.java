package org.reprolab.nn;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Supplier;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * A multilayer perceptron: Linear layers of the given widths with an activation between them (none
 * after the last). Parameters are named "layers.0.weight", "layers.0.bias", "layers.2.weight", ...
 */
public final class MLP extends Module {
    private final int[] widths;
    private final Sequential layers;

    /** f64, PyTorch default init. {@code widths} = {in, hidden..., out}. */
    public MLP(int[] widths, Supplier<Activation> activation, long seed) {
        this(widths, activation, DType.F64, seed);
    }

    public MLP(int[] widths, Supplier<Activation> activation, DType dtype, long seed) {
        this(widths, activation, null, null, dtype, seed);
    }

    /**
     * f64 with the given weight and bias initialisers instead of PyTorch's default, e.g. the
     * information-plane paper's N(0, 1/fanIn) weights and zero biases (Shwartz-Ziv and Tishby 2017,
     * official IDNNs code): {@code new MLP(widths, Activation::tanh, new Init.KaimingNormal(1, Init.FanMode.FAN_IN),
     * new Init.Constant(0), seed)}.
     */
    public MLP(int[] widths, Supplier<Activation> activation, Init weights, Init biases, long seed) {
        this(widths, activation, java.util.Objects.requireNonNull(weights, "weights init"), java.util.Objects.requireNonNull(biases, "biases init"),
                DType.F64, seed);
    }

    private MLP(int[] widths, Supplier<Activation> activation, Init weights, Init biases, DType dtype, long seed) {
        if (widths.length < 2) {
            throw new IllegalArgumentException("MLP: need at least input and output widths, got " + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        List<Module> ms = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            ms.add(new Linear(widths[i], widths[i + 1], true, weights != null ? weights : Init.torchDefault(),
                    biases != null ? biases : Init.torchDefaultBias(widths[i]), dtype, Seeds.derive(seed, i)));
            if (i + 2 < widths.length) {
                ms.add(activation.get());
            }
        }
        layers = registerModule("layers", new Sequential(ms.toArray(Module[]::new)));
    }

    public int[] widths() {
        return widths.clone();
    }

    public Sequential layers() {
        return layers;
    }

    /**
     * The output of every hidden layer (after its activation) on {@code x}, first hidden layer first: the
     * representations T_1, ..., T_L whose information about the input and the label the information-plane
     * analysis follows (Shwartz-Ziv and Tishby 2017).
     */
    public List<Tensor> hidden(Tensor x) {
        List<Tensor> out = new ArrayList<>();
        for (int i = 0; i < layers.size(); i++) {
            x = layers.get(i).forward(x);
            if (layers.get(i) instanceof Activation) out.add(x);
        }
        return out;
    }

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }
}
