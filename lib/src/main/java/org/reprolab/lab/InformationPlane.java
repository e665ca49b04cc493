package org.reprolab.lab;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.Function;
import java.util.function.LongFunction;
import org.reprolab.data.Dataset;
import org.reprolab.nn.MLP;
import org.reprolab.plot.ScatterPlot;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;

/**
 * The information plane of Shwartz-Ziv and Tishby (2017, "Opening the black box of deep neural networks via
 * information"): each hidden layer T of a network, at each epoch, as the point {@code (I(X;T), I(T;Y))}, measured
 * on every input of a finite data set with a {@link BinnedInformation} estimator. Their claim: a short fitting
 * phase (both coordinates grow) and a long compression phase ({@code I(X;T)} falls). It plugs into
 * {@code Lab.train} as a vector-valued track, so the coordinates are histories like the loss:
 *
 * <pre>{@code
 * var data = Datasets.twelveBitSphere();
 * LongFunction<MLP> net = seed -> new MLP(new int[] {12, 10, 7, 5, 4, 3, 2}, Activation::tanh, seed);
 * var runs = Lab.train(net, data).compare(adam(4e-4)).standardize(false)
 *               .track(InformationPlane.names(5), InformationPlane.of(net, data, new BinnedInformation(30, -1, 1)))
 *               .run();
 * InformationPlane.figure(runs, "Adam(lr=0.0004)", 5, 1, 10, 100, 1000)
 * }</pre>
 */
public final class InformationPlane {

    private InformationPlane() {}

    /** {@code "I(X;T1)", "I(T1;Y)", "I(X;T2)", ...}: the history names of {@code layers} hidden layers, in {@link #of}'s order. */
    public static List<String> names(int layers) {
        if (layers < 1) throw new IllegalArgumentException("InformationPlane.names: need at least one layer, got " + layers);
        List<String> out = new ArrayList<>();
        for (int l = 1; l <= layers; l++) {
            out.add(inputName(l));
            out.add(labelName(l));
        }
        return out;
    }

    /** The history name of {@code I(X;T_layer)} (layers count from 1). */
    public static String inputName(int layer) {
        return "I(X;T" + layer + ")";
    }

    /** The history name of {@code I(T_layer;Y)} (layers count from 1). */
    public static String labelName(int layer) {
        return "I(T" + layer + ";Y)";
    }

    /**
     * The metric for {@code track(names(L), ...)}: loads the snapshot's parameters into a network built by
     * {@code model} (the trained one's factory), runs every row of {@code data} (unscaled: train with
     * {@code standardize(false)}) and returns {@code I(X;T_l), I(T_l;Y)} of each hidden layer l, in bits, with X
     * uniform over the rows (they must be distinct). Each thread keeps one network, so parallel runs do not share.
     */
    public static Function<Snapshot, double[]> of(LongFunction<? extends MLP> model, Dataset data, BinnedInformation estimator) {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(estimator, "estimator");
        java.util.Set<String> distinct = new java.util.HashSet<>();
        for (double[] row : data.features()) {
            if (!distinct.add(java.util.Arrays.toString(row))) {
                throw new IllegalArgumentException("InformationPlane.of: " + data.name() + " repeats the input " + java.util.Arrays.toString(row)
                        + "; I(X;T) = H(T) needs each input once (X uniform over distinct rows)");
            }
        }
        Tensor x = data.x(DType.F64);
        int[] y = data.labels().clone();
        ThreadLocal<MLP> probe = ThreadLocal.withInitial(() -> model.apply(0));
        return s -> {
            List<Tensor> hidden;
            try (var off = Autodiff.noGrad()) {
                hidden = s.into(probe.get()).hidden(x);
            }
            double[] out = new double[2 * hidden.size()];
            for (int l = 0; l < hidden.size(); l++) {
                double[] plane = estimator.plane(rows(hidden.get(l)), y);
                out[2 * l] = plane[0];
                out[2 * l + 1] = plane[1];
            }
            return out;
        };
    }

    /**
     * The information plane of the run {@code label} (mean over its seeds): every layer's point at every epoch,
     * coloured by epoch in the ranges between {@code epochEdges}, as the paper's Fig. 2 draws it.
     */
    public static ScatterPlot figure(Runs runs, String label, int layers, double... epochEdges) {
        int n = runs.history(label, inputName(1)).length;
        double[] xs = new double[layers * n], ys = new double[layers * n], epochs = new double[layers * n];
        for (int l = 1; l <= layers; l++) {
            double[] ix = runs.history(label, inputName(l)), iy = runs.history(label, labelName(l));
            for (int e = 0; e < n; e++) {
                int k = (l - 1) * n + e;
                xs[k] = ix[e];
                ys[k] = iy[e];
                epochs[k] = e + runs.origin();
            }
        }
        return ScatterPlot.titled("information plane: " + label).xLabel("I(X;T) [bits]").yLabel("I(T;Y) [bits]")
                .colouredBy("epoch", xs, ys, epochs, epochEdges).legendOutside().size(720, 480);
    }

    private static double[][] rows(Tensor t) {
        int n = t.shape()[0], d = t.shape()[1];
        double[] flat = t.toDoubleArray();
        double[][] out = new double[n][d];
        for (int i = 0; i < n; i++) System.arraycopy(flat, i * d, out[i], 0, d);
        return out;
    }
}
