package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongFunction;
import java.util.function.ToIntFunction;
import java.util.stream.IntStream;
import org.reprolab.data.Dataset;
import org.reprolab.nn.Losses;
import org.reprolab.nn.Module;
import org.reprolab.optim.Curvature;
import org.reprolab.optim.Optimizer;
import org.reprolab.optim.ScaleByAdaHessian;
import org.reprolab.optim.ZerothOrder;
import org.reprolab.optim.Transform;
import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.DType;
import org.reprolab.tensor.Tensor;
import org.reprolab.tensor.TensorScope;
import org.reprolab.random.RngKey;

/**
 * {@code Lab.train(model, data)}: optimizers training a classifier with cross-entropy on mini-batches.
 * Each seed builds the model from the factory with the seed's number (so every method starts from
 * the same weights) and shuffles the batches from it (so every method sees the same batches); per
 * epoch it records the mean training loss over the epoch's batches, the test loss and the test
 * accuracy. Optional: a Smile (or any) baseline fitted once on the same split, as an extra row.
 * Chains that ask for curvature get it as the optimizers-digits notebook does: AdaHessian's
 * Hutchinson estimate, otherwise Sophia-G's Gauss–Newton–Bartlett one. Chains with a
 * {@link ZerothOrder} part ({@code mezo(lr, eps)}) get MeZO's two-forward-pass estimate instead of a
 * backpropagated gradient; the recorded training loss is then the mean of the two perturbed losses.
 */
public final class TrainExperiment extends OptimizerExperiment<TrainExperiment> {

    /** A model fitted on the training features and labels, returning its predictor ({@code (x, y) -> LogisticRegression.fit(x, y)::predict}). */
    @FunctionalInterface
    public interface Baseline {
        ToIntFunction<double[]> fit(double[][] features, int[] labels);
    }

    private final LongFunction<? extends Module> model;
    private final Dataset data;
    private Dataset test;
    private double testFraction = 0.25;
    private long splitSeed;
    private boolean standardize = true;
    private int batch = 32;
    private final List<Smile.Learner> baselines = new java.util.ArrayList<>();
    private Dataset trainSet, testSet;

    TrainExperiment(LongFunction<? extends Module> model, Dataset data) {
        super("train", "epoch", 10, Objects.requireNonNull(data, "data").name());
        this.model = Objects.requireNonNull(model, "model factory");
        this.data = Objects.requireNonNull(data, "data");
    }

    /** Epochs per run (default 10). */
    public TrainExperiment epochs(int n) {
        return budget("epochs", n);
    }

    /**
     * Mini-batch size (default 32); a last partial batch is dropped, as the notebooks do. The batch size also
     * sweeps like a hyper-parameter of every method, {@code sweep("batch", 32, 256, 1024)} (large-batch papers
     * compare optimizers at a fixed number of epochs across batch sizes), and then the label carries it.
     */
    public TrainExperiment batch(int size) {
        this.batch = atLeastOne("batch", size);
        return this;
    }

    /** Holds out {@code fraction} of the data for testing, drawn with {@code seed} (default 0.25, seed 0). */
    public TrainExperiment split(double fraction, long seed) {
        if (!(fraction > 0 && fraction < 1)) throw new IllegalArgumentException("train: split fraction must be in (0, 1), got " + fraction);
        this.testFraction = fraction;
        this.splitSeed = seed;
        return this;
    }

    /** Tests on this data set instead of a split of the training data. */
    public TrainExperiment test(Dataset testData) {
        this.test = Objects.requireNonNull(testData, "test data");
        return this;
    }

    /** Whether features are z-scored with the training set's statistics (default true). */
    public TrainExperiment standardize(boolean on) {
        this.standardize = on;
        return this;
    }

    /** Adds a row for a non-neural baseline fitted on the same training split, e.g. Smile's logistic regression. */
    public TrainExperiment baseline(String name, Baseline fit) {
        if (name == null || name.isBlank()) throw new IllegalArgumentException("train: baseline needs a name");
        Objects.requireNonNull(fit, "baseline");
        return baseline(Smile.learner(name, (x, y) -> {
            ToIntFunction<double[]> predict = fit.fit(x, y);
            return new smile.classification.Classifier<>() {
                @Override
                public int numClasses() {
                    return data.classes();
                }

                @Override
                public int[] classes() {
                    return IntStream.range(0, data.classes()).toArray();
                }

                @Override
                public int predict(double[] row) {
                    return predict.applyAsInt(row);
                }
            };
        }));
    }

    /**
     * Adds rows for Smile classifiers fitted once on the same (standardised) training split as the networks
     * and scored on the same test set: {@code baseline(Smile.logisticRegression(0), Smile.randomForest(100))}.
     * Each row has the test accuracy and, where the model gives class probabilities, the test and training
     * cross-entropy (log-loss) the networks report as {@code test_loss} and {@code train_loss}.
     */
    public TrainExperiment baseline(Smile.Learner... learners) {
        for (Smile.Learner l : learners) baselines.add(Objects.requireNonNull(l, "learner"));
        return this;
    }

    @Override
    String pillarName() {
        return "train";
    }

    @Override
    List<String> baseSeries() {
        return List.of("test_accuracy", "train_loss", "test_loss");
    }

    @Override
    List<Metric> metrics() {
        return List.of(Metric.higher("test_accuracy"), Metric.lower("train_loss"), Metric.lower("test_loss"));
    }

    @Override
    boolean sweepsOption(String name, Object value) {
        if (!name.equals("batch")) return false;
        if (!(value instanceof Integer size)) throw new IllegalArgumentException("the batch size must be an integer, got " + value);
        atLeastOne("batch", size);
        return true;
    }

    /** The batch size of a run: its sweep point's, else {@link #batch(int)}'s. */
    private int batchOf(Cell<Transform> cell) {
        int size = (Integer) cell.point().getOrDefault("batch", batch);
        if (size > trainSet.size()) throw new IllegalArgumentException("train: batch " + size + " is larger than the " + trainSet.size() + " training examples");
        return size;
    }

    @Override
    void validate() {
        Dataset train = data, held = test;
        if (held == null) {
            var s = data.split(testFraction, splitSeed);
            train = s.train();
            held = s.test();
        }
        if (held.dimension() != train.dimension()) {
            throw new IllegalArgumentException("train: test data has " + held.dimension() + " features, training data " + train.dimension());
        }
        if (batch > train.size()) throw new IllegalArgumentException("train: batch " + batch + " is larger than the " + train.size() + " training examples");
        trainSet = standardize ? train.standardizedLike(train) : train;
        testSet = standardize ? held.standardizedLike(train) : held;
    }

    /** The run's integer seed, from its counter-based key. */
    static long seedOf(RngKey key) {
        return ((long) key.k1() << 32) | (key.k0() & 0xffffffffL);
    }

    @Override
    Map<String, Double> execute(Cell<Transform> cell, Recorder rec) {
        long seed = seedOf(cell.key());
        int batch = batchOf(cell);
        Module net = model.apply(seed);
        Tensor xTest = testSet.x(DType.F64);
        int[] yTest = testSet.labels();
        boolean adaHessian = cell.value().flatten().stream().anyMatch(p -> p instanceof ScaleByAdaHessian);
        ZerothOrder zerothOrder = cell.value().flatten().stream().filter(p -> p instanceof ZerothOrder).map(p -> (ZerothOrder) p).findFirst().orElse(null);
        List<Tensor> params = List.copyOf(net.parameters().values());
        Map<String, Double> scalars = new LinkedHashMap<>();
        long step = 0;
        Tracker tracker = tracker();
        double[] row = new double[3 + tracker.size()];
        tracker.begin(() -> Tracker.values(net.parameters()));
        try (Optimizer opt = Optimizer.of(net.parameters(), cell.value())) {
            scalars.put("state_bytes", (double) opt.stateBytes());
            for (int e = 0; e < cell.budget(); e++) {
                Dataset order = trainSet.shuffled(seed + e);
                double sum = 0;
                int n = 0;
                for (int i = 0; i + batch <= order.size(); i += batch) {
                    if (rec.checkStopped()) return scalars;
                    try (TensorScope _ = Tensor.scope()) { // the step's activations and gradients are reused by the next step
                        Dataset b = order.rows(i, i + batch);
                        Tensor x = b.x(DType.F64);
                        int[] y = b.labels();
                        Map<String, Map<String, Tensor>> aux = Map.of();
                        if (opt.needsAux("hessian")) {
                            RngKey key = cell.key().foldIn(step);
                            aux = Map.of("hessian", adaHessian
                                    ? Curvature.adaHessian(() -> Losses.crossEntropy(net.forward(x), y), net.parameters(), key)
                                    : Curvature.gaussNewtonBartlett(() -> net.forward(x), net.parameters(), key));
                        }
                        step++;
                        net.zeroGrad();
                        if (zerothOrder != null) { // MeZO: two forward passes with a seeded perturbation, no backward
                            RngKey key = cell.key().foldIn(step);
                            var zo = ZerothOrder.estimate(() -> Losses.crossEntropy(net.forward(x), y), params, zerothOrder.eps(), key);
                            ZerothOrder.setGradient(params, zo.projectedGradient(), key);
                            opt.step(aux);
                            sum += zo.loss();
                            n++;
                            continue;
                        }
                        Tensor loss = Losses.crossEntropy(net.forward(x), y);
                        loss.backward();
                        opt.step(aux);
                        sum += loss.item();
                        n++;
                    }
                }
                double[] test = evaluate(net, xTest, yTest);
                row[0] = test[1];
                row[1] = sum / n;
                row[2] = test[0];
                tracker.measure(e + 1, () -> Tracker.values(net.parameters()), row, 3);
                if (!rec.record(row)) break;
            }
        }
        tracker.finals(scalars);
        return scalars;
    }

    /** {test loss, test accuracy} without building a graph. */
    private static double[] evaluate(Module net, Tensor x, int[] y) {
        try (var off = Autodiff.noGrad()) {
            Tensor logits = net.forward(x);
            double loss = Losses.crossEntropy(logits, y).item();
            double[] predicted = logits.argmax(1).toDoubleArray();
            long right = IntStream.range(0, y.length).filter(i -> (int) predicted[i] == y[i]).count();
            return new double[] {loss, right / (double) y.length};
        }
    }

    @Override
    List<Run> extraRuns() {
        List<Run> rows = new java.util.ArrayList<>();
        for (Smile.Learner learner : baselines) {
            long t0 = System.nanoTime();
            smile.classification.Classifier<double[]> model = learner.fit().apply(trainSet.features(), trainSet.labels());
            SmileReport test = Smile.report(model, testSet);
            Map<String, double[]> history = new LinkedHashMap<>();
            history.put("test_accuracy", new double[] {test.metric("accuracy")});
            if (test.metrics().containsKey("log_loss")) {
                history.put("train_loss", new double[] {Smile.report(model, trainSet).metric("log_loss")});
                history.put("test_loss", new double[] {test.metric("log_loss")});
            }
            double millis = (System.nanoTime() - t0) / 1e6;
            rows.add(new Run(learner.label() + " (baseline)", Map.of(), 0, Run.Status.COMPLETE, 0, millis, history, Map.of()));
        }
        return rows;
    }
}
