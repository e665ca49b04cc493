package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.BiFunction;
import org.reprolab.data.Dataset;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.classification.GradientTreeBoost;
import smile.classification.LogisticRegression;
import smile.classification.OneVersusRest;
import smile.classification.RandomForest;
import smile.classification.SVM;
import smile.data.DataFrame;
import smile.data.Tuple;
import smile.data.formula.Formula;
import smile.data.vector.ValueVector;
import smile.math.kernel.GaussianKernel;
import smile.regression.DataFrameRegression;
import smile.regression.Regression;

/**
 * Smile (Haifeng Li, "Smile: Statistical Machine Intelligence and Learning Engine") in the loop: the
 * classic learners as baselines that {@code Lab.train(...).baseline(...)} fits on the same split as the
 * networks and puts in the same table, and {@link #report} to see any Smile model's fit on held-out
 * data (accuracy and confusion matrix for a classifier, RMSE and R² for a regressor).
 */
public final class Smile {
    private static final String LABEL = "y";

    private Smile() {}

    /**
     * A Smile classifier for {@code Lab.train}: its name in the table, its hyper-parameters (shown in the
     * label and the report) and how it is fitted on the training features and labels.
     */
    public record Learner(String name, Map<String, Object> parameters, BiFunction<double[][], int[], Classifier<double[]>> fit) {
        public Learner {
            if (name == null || name.isBlank()) throw new IllegalArgumentException("Smile learner: the name must not be empty");
            parameters = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(parameters));
            Objects.requireNonNull(fit, "fit");
        }

        /** Fits the learner on {@code data} by itself, outside a comparison: {@code Smile.randomForest(100).train(split.train())}. */
        public Classifier<double[]> train(Dataset data) {
            return fit.apply(data.features(), data.labels());
        }

        /** {@code RandomForest(trees=100)}: the row label in {@code Runs}. */
        public String label() {
            return parameters.isEmpty() ? name : name + "(" + Format.point(parameters) + ")";
        }
    }

    /** Any classifier over {@code double[]}: {@code Smile.learner("kNN", (x, y) -> KNN.fit(x, y, 5))}. */
    public static Learner learner(String name, BiFunction<double[][], int[], Classifier<double[]>> fit) {
        return new Learner(name, Map.of(), fit);
    }

    /** Multinomial logistic regression with L2 penalty {@code lambda} (Smile's {@code LogisticRegression}). */
    public static Learner logisticRegression(double lambda) {
        if (!(lambda >= 0)) throw new IllegalArgumentException("logisticRegression: lambda must be >= 0, got " + lambda);
        return new Learner("LogisticRegression", Map.of("lambda", lambda),
                (x, y) -> LogisticRegression.fit(x, y, new LogisticRegression.Options(lambda, 1e-5, 500)));
    }

    /** Breiman's random forest of {@code trees} CART trees (Smile's {@code RandomForest}, its default other options). */
    public static Learner randomForest(int trees) {
        positive("randomForest: trees", trees);
        return new Learner("RandomForest", Map.of("trees", trees),
                (x, y) -> onRows(RandomForest.fit(Formula.lhs(LABEL), frame(x, y), new RandomForest.Options(trees)), x[0].length));
    }

    /** Friedman's gradient tree boosting with {@code trees} stages (Smile's {@code GradientTreeBoost}). */
    public static Learner gradientBoosting(int trees) {
        positive("gradientBoosting: trees", trees);
        return new Learner("GradientTreeBoost", Map.of("trees", trees),
                (x, y) -> onRows(GradientTreeBoost.fit(Formula.lhs(LABEL), frame(x, y), new GradientTreeBoost.Options(trees)), x[0].length));
    }

    /**
     * A support vector machine with the Gaussian kernel of width {@code sigma} and soft margin {@code c};
     * one-versus-rest for more than two classes (Smile's {@code SVM} with {@code OneVersusRest}).
     */
    public static Learner svm(double sigma, double c) {
        if (!(sigma > 0) || !(c > 0)) throw new IllegalArgumentException("svm: sigma and C must be > 0, got " + sigma + ", " + c);
        SVM.Options options = new SVM.Options(c);
        BiFunction<double[][], int[], Classifier<double[]>> binary = (x, y) -> SVM.fit(x, y, new GaussianKernel(sigma), options);
        return new Learner("SVM", parameters("sigma", sigma, "C", c), (x, y) -> {
            int classes = java.util.Arrays.stream(y).max().orElse(0) + 1;
            if (classes > 2) return OneVersusRest.fit(x, y, binary);
            int[] signed = java.util.Arrays.stream(y).map(v -> v == 1 ? 1 : -1).toArray();
            Classifier<double[]> m = binary.apply(x, signed);
            return twoClass(m);
        });
    }

    private static Map<String, Object> parameters(Object... keyValues) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int i = 0; i < keyValues.length; i += 2) map.put((String) keyValues[i], keyValues[i + 1]);
        return map;
    }

    /** Smile's binary SVM answers −1/+1; Lab's labels are 0/1. */
    private static Classifier<double[]> twoClass(Classifier<double[]> signed) {
        return new Classifier<>() {
            @Override
            public int numClasses() {
                return 2;
            }

            @Override
            public int[] classes() {
                return new int[] {0, 1};
            }

            @Override
            public int predict(double[] x) {
                return signed.predict(x) > 0 ? 1 : 0;
            }
        };
    }

    private static void positive(String what, int n) {
        if (n < 1) throw new IllegalArgumentException(what + " must be >= 1, got " + n);
    }

    /** Features {@code x0..x(d-1)} and an integer label column, the frame Smile's tree learners fit on. */
    static DataFrame frame(double[][] x, int[] y) {
        int d = x[0].length;
        List<ValueVector> columns = new ArrayList<>();
        for (int j = 0; j < d; j++) {
            double[] column = new double[x.length];
            for (int i = 0; i < x.length; i++) column[i] = x[i][j];
            columns.add(ValueVector.of("x" + j, column));
        }
        columns.add(ValueVector.of(LABEL, y.clone()));
        return new DataFrame(columns.toArray(ValueVector[]::new));
    }

    /** A data-frame classifier asked about {@code double[]} rows: each row becomes a tuple of the training schema. */
    private static Classifier<double[]> onRows(DataFrameClassifier model, int d) {
        return new OnRows(model, d);
    }

    /**
     * Smile's tree ensembles fit on a frame; Lab's rows are {@code double[]}. Each row becomes a tuple of the
     * model's schema (label slot 0, unused). A record, so reports can name the model inside.
     */
    record OnRows(DataFrameClassifier model, int d) implements Classifier<double[]> {
        @Override
        public int numClasses() {
            return model.numClasses();
        }

        @Override
        public int[] classes() {
            return model.classes();
        }

        @Override
        public int predict(double[] x) {
            return model.predict(tuple(x));
        }

        @Override
        public boolean isSoft() {
            return model.isSoft();
        }

        @Override
        public int predict(double[] x, double[] posteriori) {
            return model.predict(tuple(x), posteriori);
        }

        private Tuple tuple(double[] x) {
            if (x.length != d) throw new IllegalArgumentException(model.getClass().getSimpleName() + ": a row of " + x.length + " features, fitted on " + d);
            Object[] row = new Object[d + 1];
            for (int j = 0; j < d; j++) row[j] = x[j];
            row[d] = 0;
            return Tuple.of(model.schema(), row);
        }
    }

    /** How {@code model} classifies held-out {@code test}: accuracy, log-loss where it gives probabilities, the confusion matrix. */
    public static SmileReport report(Classifier<double[]> model, Dataset test) {
        return report(model, test.features(), test.labels());
    }

    /** The same on rows {@code x} with labels {@code y}. */
    public static SmileReport report(Classifier<double[]> model, double[][] x, int[] y) {
        return SmileReport.classifier(model, i -> x[i], y);
    }

    /** How a classifier fitted with a formula does on {@code test} (its labels are the formula's response). */
    public static SmileReport report(DataFrameClassifier model, DataFrame test) {
        int[] y = model.formula().y(test).toIntArray();
        return SmileReport.classifier(model, test::get, y);
    }

    /** How a regressor does on rows {@code x} with targets {@code y}: RMSE, MAE, R². */
    public static SmileReport report(Regression<double[]> model, double[][] x, double[] y) {
        double[] predicted = new double[y.length];
        for (int i = 0; i < y.length; i++) predicted[i] = model.predict(x[i]);
        return SmileReport.regressor(model, y, predicted);
    }

    /** How a regressor fitted with a formula does on {@code test}. */
    public static SmileReport report(DataFrameRegression model, DataFrame test) {
        return SmileReport.regressor(model, model.formula().y(test).toDoubleArray(), model.predict(test));
    }

    /** What a model is, without data: its type, classes, formula, ensemble size, as the kernel shows a bare model. */
    public static SmileReport summary(Object model) {
        return SmileReport.summary(model);
    }
}
