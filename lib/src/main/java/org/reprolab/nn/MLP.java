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
        if (widths.length < 2) {
            throw new IllegalArgumentException("MLP: need at least input and output widths, got " + Arrays.toString(widths));
        }
        this.widths = widths.clone();
        List<Module> ms = new ArrayList<>();
        for (int i = 0; i + 1 < widths.length; i++) {
            ms.add(new Linear(widths[i], widths[i + 1], true, Init.torchDefault(), Init.torchDefaultBias(widths[i]), dtype,
                    Seeds.derive(seed, i)));
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

    @Override
    public Tensor forward(Tensor x) {
        return layers.forward(x);
    }
}
