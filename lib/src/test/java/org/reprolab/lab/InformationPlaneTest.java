package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.sgd;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongFunction;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.XYChart;
import org.reprolab.data.Dataset;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;
import org.reprolab.tensor.DType;

/** Vector-valued tracks, Snapshot.into, and the information plane of a network read through them. */
class InformationPlaneTest {

    private static final int[] WIDTHS = {12, 10, 7, 2};

    @Test
    void aVectorTrackRunsOnceperUnitAndMatchesScalarTracks() {
        AtomicInteger calls = new AtomicInteger();
        Run run = Lab.optimize(org.reprolab.problems.Problems.rosenbrock()).from(-1.5, 2.0).progress(Progress.none())
                .compare(adam(1e-2)).steps(20)
                .track(List.of("n", "m"), s -> { calls.incrementAndGet(); return new double[] {s.norm(), s.maxAbs()}; })
                .track("norm", Snapshot::norm).track("max", Snapshot::maxAbs)
                .run().runs().getFirst();
        assertEquals(21, calls.get(), "once per recorded step, not once per name");
        assertArrayEquals(run.history("norm"), run.history("n"), 0.0);
        assertArrayEquals(run.history("max"), run.history("m"), 0.0);
        var bad = Lab.optimize(org.reprolab.problems.Problems.rosenbrock()).from(-1.5, 2.0).progress(Progress.none())
                .compare(adam(1e-2)).steps(2).track(List.of("a", "b"), s -> new double[] {1});
        assertTrue(assertThrows(RuntimeException.class, bad::run).getMessage().contains("1 values for the 2 names"));
        assertThrows(IllegalArgumentException.class, () -> Lab.optimize(org.reprolab.problems.Problems.rosenbrock()).track(List.of("a", "a"), s -> new double[2]));
    }

    @Test
    void theTrackedPlaneOfAnUntrainedNetworkIsThePlaneOfItsLayers() {
        // lr 0 keeps the factory's network, so the tracked coordinates must equal the estimator on its hidden layers
        Dataset data = Datasets.twelveBitSphere();
        LongFunction<MLP> model = seed -> new MLP(WIDTHS, Activation::tanh, 42);
        var estimator = new BinnedInformation(30, -1, 1);
        Runs runs = Lab.train(model, data).compare(sgd(0.0)).epochs(1).batch(512).standardize(false).progress(Progress.none())
                .track(InformationPlane.names(2), InformationPlane.of(model, data, estimator)).run();
        String label = runs.runs().getFirst().label();
        var hidden = model.apply(0).hidden(data.x(DType.F64));
        for (int l = 0; l < 2; l++) {
            double[] flat = hidden.get(l).toDoubleArray();
            int d = hidden.get(l).shape()[1];
            double[][] rows = new double[data.size()][d];
            for (int i = 0; i < rows.length; i++) System.arraycopy(flat, i * d, rows[i], 0, d);
            double[] expected = estimator.plane(rows, data.labels());
            assertEquals(expected[0], runs.history(label, InformationPlane.inputName(l + 1))[0], 1e-12);
            assertEquals(expected[1], runs.history(label, InformationPlane.labelName(l + 1))[0], 1e-12);
        }
        double first = runs.history(label, "I(X;T1)")[0];
        assertTrue(first > 10 && first <= 12, "ten tanh units in 30 bins nearly separate the 4096 inputs: " + first);
        var repeated = new Dataset("repeated", new double[][] {{0, 1}, {1, 0}, {0, 1}}, new int[] {0, 1, 0}, 2, List.of("a", "b"));
        var e = assertThrows(IllegalArgumentException.class, () -> InformationPlane.of(seed -> new MLP(new int[] {2, 3, 2}, Activation::tanh, 0), repeated, estimator));
        assertTrue(e.getMessage().contains("repeats the input [0.0, 1.0]"), e.getMessage());
        XYChart chart = InformationPlane.figure(runs, label, 2, 1, 2).chart();
        assertEquals(2, chart.getSeries("epoch 1–2").getXData().length, "two layers at one epoch");
    }

    @Test
    void intoCopiesByNameAndNamesWhatDoesNotFit() {
        MLP trained = new MLP(WIDTHS, Activation::tanh, 1);
        Snapshot s = new Snapshot(3, Tracker.values(trained.parameters()), null);
        MLP other = s.into(new MLP(WIDTHS, Activation::tanh, 2));
        assertArrayEquals(trained.parameters().get("layers.2.weight").toDoubleArray(), other.parameters().get("layers.2.weight").toDoubleArray(), 0.0);
        var e = assertThrows(IllegalArgumentException.class, () -> s.into(new MLP(new int[] {12, 9, 7, 2}, Activation::tanh, 2)));
        assertTrue(e.getMessage().contains("layers.0.weight"), e.getMessage());
    }
}
