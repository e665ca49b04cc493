package org.reprolab.problems;

import java.util.Arrays;
import java.util.function.Function;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Any scalar loss written on tensors, {@code x -> loss(x)}, as an {@link Objective}: the value by
 * evaluating it, the gradient by reverse-mode autodiff. The minimiser is unknown (NaN).
 *
 * @param name      for tables and legends
 * @param dimension how many variables the loss takes (a vector of that length)
 * @param loss      a scalar function of the vector
 */
record TensorObjective(String name, int dimension, Function<Tensor, Tensor> loss) implements Objective {

    TensorObjective {
        if (dimension < 1) throw new IllegalArgumentException(name + ": dimension must be >= 1, got " + dimension);
    }

    @Override
    public double value(double[] x) {
        requireValidPoint(x);
        return scalar(loss.apply(Tensor.of(x.clone())));
    }

    @Override
    public double[] gradient(double[] x) {
        requireValidPoint(x);
        var vg = Autodiff.valueAndGrad(loss, Tensor.of(x.clone()));
        scalar(vg.value());
        return vg.grad().toDoubleArray();
    }

    private double scalar(Tensor t) {
        if (t.numel() != 1) throw new IllegalArgumentException(name + ": the loss must be a scalar, got shape " + Arrays.toString(t.shape()));
        return t.item();
    }

    @Override
    public double[] minimizer() {
        double[] m = new double[dimension];
        Arrays.fill(m, Double.NaN);
        return m;
    }

    @Override
    public double[] plotBox() {
        return new double[] {-3, 3, -3, 3};
    }
}
