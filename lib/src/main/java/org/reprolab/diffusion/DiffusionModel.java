package org.reprolab.diffusion;

import java.util.function.BiFunction;
import org.reprolab.tensor.Tensor;

/**
 * A model of a diffusion process: for a batch {@code x_t} at time {@code t} it writes its prediction (of
 * type {@link #prediction()}) into {@code out}. The model carries its {@link NoiseSchedule}, so a sampler
 * never needs to be told twice. Exact models come from {@link GaussianMixture#model(NoiseSchedule)};
 * networks over tensors come through {@link #ofTensor}.
 */
public interface DiffusionModel {

    NoiseSchedule schedule();

    Prediction prediction();

    /** Writes the prediction at {@code (x, t)} into {@code out} ({@code x.n()·x.dim()} values). Must not keep the arrays. */
    void eval(Batch x, double t, double[] out);

    /**
     * The model as element-wise expressions over a point's coordinates ({@link PointwiseModel}) when it has that
     * form, which lets samplers run it on a device without copying the batch to the host between steps.
     */
    default java.util.Optional<PointwiseModel> pointwise() {
        return java.util.Optional.empty();
    }

    /** This model converted to predict {@code to} (exact conversion through ε and x̂₀, {@link Prediction#convert}). */
    default DiffusionModel as(Prediction to) {
        if (to == prediction()) return this;
        DiffusionModel self = this;
        NoiseSchedule s = schedule();
        return of(s, to, (x, t, out) -> {
            double[] p = new double[out.length];
            self.eval(x, t, p);
            double[] v = self.prediction().convert(to, x.data(), p, s.alpha(t), s.sigma(t));
            System.arraycopy(v, 0, out, 0, out.length);
        });
    }

    /** The model function over plain arrays. */
    @FunctionalInterface
    interface Function {
        void eval(Batch x, double t, double[] out);
    }

    static DiffusionModel of(NoiseSchedule schedule, Prediction prediction, Function f) {
        return new Simple(schedule, prediction, f);
    }

    /** A tensor function {@code (x [n, dim], t) -> prediction [n, dim]}, e.g. an MLP with a time embedding. */
    static DiffusionModel ofTensor(NoiseSchedule schedule, Prediction prediction, BiFunction<Tensor, Double, Tensor> f) {
        return new Simple(schedule, prediction, (x, t, out) -> {
            Tensor y = f.apply(x.toTensor(), t);
            double[] v = y.toDoubleArray();
            if (v.length != out.length) throw new IllegalArgumentException("model returned " + v.length + " values for a " + x + " batch");
            System.arraycopy(v, 0, out, 0, v.length);
        });
    }

    record Simple(NoiseSchedule schedule, Prediction prediction, Function f) implements DiffusionModel {
        public void eval(Batch x, double t, double[] out) { f.eval(x, t, out); }
    }
}
