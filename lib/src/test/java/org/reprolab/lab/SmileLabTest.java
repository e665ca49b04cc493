package org.reprolab.lab;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.reprolab.optim.Optimizers.adam;

import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.reprolab.data.Datasets;
import org.reprolab.nn.Activation;
import org.reprolab.nn.MLP;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.OLS;

/** Smile models as rows of a Lab.train comparison, and their reports, checked against Smile called by hand. */
class SmileLabTest {

    @Test
    void smileLearnersAreRowsOfTheComparisonWithTheSameMetrics() {
        var runs = Lab.train(TrainLabTest::net, TrainLabTest.MOONS).compare(adam(1e-2)).epochs(2).batch(16)
                .baseline(Smile.logisticRegression(0.1), Smile.randomForest(20), Smile.gradientBoosting(20), Smile.svm(1.0, 1.0))
                .progress(Progress.none()).run();
        assertEquals(List.of("Adam(lr=0.01)", "LogisticRegression(lambda=0.1) (baseline)", "RandomForest(trees=20) (baseline)",
                "GradientTreeBoost(trees=20) (baseline)", "SVM(sigma=1, C=1) (baseline)"), runs.methods());
        var split = TrainLabTest.MOONS.split(0.25, 0);
        var train = split.train().standardizedLike(split.train());
        var test = split.test().standardizedLike(split.train());
        var logistic = LogisticRegression.fit(train.features(), train.labels(), new LogisticRegression.Options(0.1, 1e-5, 500));
        double right = 0, logLoss = 0;
        double[] p = new double[2];
        for (int i = 0; i < test.size(); i++) {
            if (logistic.predict(test.features()[i], p) == test.labels()[i]) right++;
            logLoss -= Math.log(p[test.labels()[i]]) / test.size();
        }
        Row row = runs.rows().get(1);
        assertEquals(right / test.size(), row.last("test_accuracy").mean(), 0.0);
        assertEquals(logLoss, row.last("test_loss").mean(), 1e-12);
        for (Row r : runs.rows().subList(1, 5)) {
            double acc = r.last("test_accuracy").mean();
            assertTrue(acc > 0.75 && acc <= 1, r.label() + " on the moons: " + acc);
        }
        assertTrue(runs.rows().get(2).finals().containsKey("test_loss"), "a random forest gives class probabilities");
        SmileReport forest = Smile.report(Smile.randomForest(20).train(train), test);
        assertEquals("classification.RandomForest", forest.model());
        assertEquals("20", forest.facts().get("trees"));
        assertTrue(!runs.rows().get(4).finals().containsKey("test_loss"), "an SVM gives none: no loss, not a made-up one");
        assertEquals(row.last("test_accuracy").mean(), runs.table().column("test_accuracy").getDouble(1), 0.0);
    }

    @Test
    void aClassifierReportCountsTheConfusionMatrixAndAccuracy() {
        var split = Datasets.twoMoons(200, 0.3, 1).split(0.3, 2);
        var model = LogisticRegression.fit(split.train().features(), split.train().labels());
        SmileReport report = Smile.report(model, split.test());
        int[][] c = report.confusion();
        int[] y = split.test().labels();
        int[] predicted = IntStream.range(0, y.length).map(i -> model.predict(split.test().features()[i])).toArray();
        for (int t = 0; t < 2; t++) {
            for (int q = 0; q < 2; q++) {
                final int tt = t, qq = q;
                assertEquals(IntStream.range(0, y.length).filter(i -> y[i] == tt && predicted[i] == qq).count(), c[t][q]);
            }
        }
        assertEquals((c[0][0] + c[1][1]) / (double) y.length, report.metric("accuracy"), 1e-15);
        assertEquals("classifier", report.facts().get("kind"));
        String html = report.html();
        assertTrue(html.contains("<th>accuracy</th><td>" + Format.number(report.metric("accuracy")) + "</td>"), html);
        assertTrue(html.contains("<td>" + c[1][0] + "</td>"), html);
        assertTrue(report.toString().contains("confusion"), report.toString());
    }

    @Test
    void aRegressorReportHasRmseAndRSquaredOfItsPredictions() {
        double[] x = {0, 1, 2, 3, 4, 5}, y = {0.1, 0.9, 2.2, 2.8, 4.1, 5.2};
        DataFrame frame = DataFrame.of(IntStream.range(0, x.length).mapToObj(i -> new double[] {x[i], y[i]}).toArray(double[][]::new), "x", "y");
        var ols = OLS.fit(Formula.lhs("y"), frame);
        SmileReport report = Smile.report(ols, frame);
        double[] fitted = ols.predict(frame);
        double sse = 0, sst = 0, mean = java.util.Arrays.stream(y).average().orElseThrow();
        for (int i = 0; i < y.length; i++) {
            sse += (y[i] - fitted[i]) * (y[i] - fitted[i]);
            sst += (y[i] - mean) * (y[i] - mean);
        }
        assertEquals(Math.sqrt(sse / 6), report.metric("rmse"), 1e-12);
        assertEquals(1 - sse / sst, report.metric("r2"), 1e-12);
        assertEquals("y ~ x", report.facts().get("formula"));
        assertNull(report.confusion());
        SmileReport bare = Smile.summary(ols);
        assertTrue(bare.metrics().isEmpty());
        assertEquals("regressor", bare.facts().get("kind"));
    }

    /** Lab on a data set loaded from Parquet gives the numbers it gives on the same data loaded from CSV. */
    @Test
    void aParquetLoadedDatasetTrainsAsItsCsvTwin() throws Exception {
        var parquet = Datasets.parquet(Path.of(SmileLabTest.class.getResource("/org/reprolab/data/parquet/blobs.parquet").toURI()), "kind");
        var csv = Datasets.csv(Path.of(SmileLabTest.class.getResource("/org/reprolab/data/parquet/blobs.csv").toURI()), "kind");
        java.util.function.Function<org.reprolab.data.Dataset, Runs> train = data -> Lab.train(
                        seed -> new MLP(new int[] {3, 16, 3}, Activation::relu, seed), data)
                .compare(adam(1e-2)).epochs(3).batch(16).baseline(Smile.logisticRegression(0.1)).progress(Progress.none()).run();
        Runs fromParquet = train.apply(parquet), fromCsv = train.apply(csv);
        assertEquals(2, fromParquet.rows().size());
        for (int r = 0; r < 2; r++) {
            Row p = fromParquet.rows().get(r), c = fromCsv.rows().get(r);
            assertEquals(c.label(), p.label());
            assertEquals(c.finals().keySet(), p.finals().keySet());
            for (String metric : c.finals().keySet()) assertEquals(c.last(metric).mean(), p.last(metric).mean(), 0.0, p.label() + " " + metric);
            double accuracy = p.last("test_accuracy").mean();
            assertTrue(accuracy > 0.6, p.label() + " learns the three blobs: " + accuracy);
        }
    }
}
