package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;
import static org.reprolab.optim.Optimizers.sgd;

import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reprolab.data.Dataset;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.Losses;
import org.reprolab.nn.MLP;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.random.RngKey;
import smile.classification.LogisticRegression;

class TrainLabTest {
    static final Dataset MOONS = Datasets.twoMoons(240, 0.15, 3);

    static MLP net(long seed) {
        return new MLP(new int[] {2, 16, 2}, Activation::relu, seed);
    }

    /** The optimizers-digits notebook's loop, written out: the peer Lab.train must match bit for bit. */
    static double[][] handLoop(Transform chain, long seed, int epochs, int batch) {
        var split = MOONS.split(0.25, 0);
        var train = split.train().standardizedLike(split.train());
        var test = split.test().standardizedLike(split.train());
        var model = net(seed);
        double[] trainLoss = new double[epochs], accuracy = new double[epochs];
        try (var opt = Optimizer.of(model.parameters(), chain)) {
            for (int e = 0; e < epochs; e++) {
                var order = train.shuffled(seed + e);
                double sum = 0;
                int n = 0;
                for (int i = 0; i + batch <= order.size(); i += batch) {
                    var b = order.rows(i, i + batch);
                    model.zeroGrad();
                    Tensor l = Losses.crossEntropy(model.forward(b.x(DType.F64)), b.labels());
                    l.backward();
                    opt.step();
                    sum += l.item();
                    n++;
                }
                trainLoss[e] = sum / n;
                try (var off = Autodiff.noGrad()) {
                    double[] predicted = model.forward(test.x(DType.F64)).argmax(1).toDoubleArray();
                    accuracy[e] = IntStream.range(0, test.size()).filter(i -> (int) predicted[i] == test.labels()[i]).count() / (double) test.size();
                }
            }
        }
        return new double[][] {trainLoss, accuracy};
    }

    @Test
    void sweepingTheBatchSizeRunsEachSizeAsTheHandLoopDoes() {
        var runs = Lab.train(TrainLabTest::net, MOONS).compare(adam(1e-2)).epochs(2).sweep("batch", 8, 60)
                .progress(Progress.none()).run();
        assertEquals(List.of("batch"), runs.swept());
        long seed = TrainExperiment.seedOf(RngKey.of(0).split(1).getFirst());
        for (int batch : new int[] {8, 60}) {
            var hand = handLoop(adam(1e-2), seed, 2, batch);
            assertEquals(java.util.Arrays.toString(hand[1]), java.util.Arrays.toString(runs.history("Adam(lr=0.01) batch=" + batch, "test_accuracy")));
            assertEquals(java.util.Arrays.toString(hand[0]), java.util.Arrays.toString(runs.history("Adam(lr=0.01) batch=" + batch, "train_loss")));
        }
        var tooLarge = Lab.train(TrainLabTest::net, MOONS).compare(adam(1e-2)).sweep("batch", 500).progress(Progress.none());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(RuntimeException.class, tooLarge::run).getMessage().contains("batch 500 is larger than the 180 training examples"));
        var notInteger = Lab.train(TrainLabTest::net, MOONS).compare(adam(1e-2)).sweep("batch", 2.5).progress(Progress.none());
        assertTrue(org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, notInteger::run).getMessage().contains("batch size must be an integer"));
    }

    @Test
    void trainingEqualsTheHandWrittenLoopAndTheBaselineRowIsSmilesAccuracy() {
        var runs = Lab.train(TrainLabTest::net, MOONS).compare(adam(1e-2), sgd(0.1)).epochs(3).batch(16)
                .baseline("Smile logistic regression", (x, y) -> LogisticRegression.fit(x, y)::predict).progress(Progress.none()).run();
        assertEquals(List.of("Adam(lr=0.01)", "SGD(lr=0.1)", "Smile logistic regression (baseline)"), runs.methods());
        long seed = TrainExperiment.seedOf(RngKey.of(0).split(1).getFirst());
        for (int m = 0; m < 2; m++) {
            var hand = handLoop(m == 0 ? adam(1e-2) : sgd(0.1), seed, 3, 16);
            Run run = runs.runs().get(m);
            assertEquals(3, run.units());
            assertEquals(java.util.Arrays.toString(hand[0]), java.util.Arrays.toString(run.history("train_loss")));
            assertEquals(java.util.Arrays.toString(hand[1]), java.util.Arrays.toString(run.history("test_accuracy")));
        }
        assertEquals(runs.runs().get(0).history("test_accuracy")[1], runs.at("Adam(lr=0.01)", 2, "test_accuracy").mean(), 0.0);
        var split = MOONS.split(0.25, 0);
        var train = split.train().standardizedLike(split.train());
        var test = split.test().standardizedLike(split.train());
        var logistic = LogisticRegression.fit(train.features(), train.labels());
        double acc = IntStream.range(0, test.size()).filter(i -> logistic.predict(test.features()[i]) == test.labels()[i]).count() / (double) test.size();
        assertEquals(acc, runs.rows().get(2).last("test_accuracy").mean(), 0.0);
        assertTrue(acc > 0.7, "moons are nearly linearly separable: " + acc);
        var table = runs.table();
        assertEquals(3, table.nrow());
        assertTrue(runs.runs().get(0).scalars().get("state_bytes") > 0);
    }

    @Test
    void aDivergingOptimizerIsMarkedAtItsEpochAndTheOthersComplete() {
        var runs = Lab.train(TrainLabTest::net, MOONS).compare(sgd(1e300), adam(1e-2)).epochs(2).progress(Progress.none()).run();
        assertEquals("diverged at epoch 1", runs.rows().get(0).status());
        assertEquals(0, runs.runs().get(0).history("train_loss").length);
        assertEquals("ok", runs.rows().get(1).status());
        assertEquals(2, runs.runs().get(1).history("train_loss").length);
    }

    @Test
    void badTrainingSettingsAreRefused() {
        var e = assertThrows(() -> Lab.train(TrainLabTest::net, MOONS).epochs(-1));
        assertTrue(e.getMessage().contains("epochs must be > 0, got -1"), e.getMessage());
        var e2 = assertThrows(() -> Lab.train(TrainLabTest::net, MOONS).compare(adam(1e-2)).batch(10_000).progress(Progress.none()).run());
        assertTrue(e2.getMessage().contains("batch 10000 is larger"), e2.getMessage());
    }

    private static IllegalArgumentException assertThrows(org.junit.jupiter.api.function.Executable body) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class, body);
    }
}
