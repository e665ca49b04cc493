package org.reprolab.lab;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntFunction;
import smile.classification.Classifier;
import smile.classification.DataFrameClassifier;
import smile.regression.DataFrameRegression;

/**
 * What a Smile model is and how it did on data it was given, as the kernel shows it (HTML) and as text:
 * the model's type and what can be read of its settings, then for a classifier the accuracy, the
 * log-loss where it gives class probabilities and the confusion matrix (rows: true class, columns:
 * predicted), for a regressor RMSE, MAE and R². Built by {@link Smile#report} and {@link Smile#summary}.
 *
 * @param model     the model's type, e.g. {@code RandomForest}
 * @param facts     what can be read of the model: classes, formula, trees, ...
 * @param metrics   on the given data, in the order shown; empty for a bare summary
 * @param confusion {@code confusion[true][predicted]} counts for a classifier, else {@code null}
 */
public record SmileReport(String model, Map<String, String> facts, Map<String, Double> metrics, int[][] confusion) {

    public SmileReport {
        facts = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(facts));
        metrics = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(metrics));
    }

    /** A metric by name ("accuracy", "rmse", "r2", ...). */
    public double metric(String name) {
        Double v = metrics.get(name);
        if (v == null) throw new IllegalArgumentException("no metric '" + name + "' in this report; known: " + metrics.keySet());
        return v;
    }

    static <T> SmileReport classifier(Classifier<T> model, IntFunction<T> row, int[] y) {
        if (y.length == 0) throw new IllegalArgumentException("report: no test rows");
        int classes = Math.max(java.util.Arrays.stream(model.classes()).max().orElse(0), java.util.Arrays.stream(y).max().orElse(0)) + 1;
        int[][] confusion = new int[classes][classes];
        boolean soft = model.isSoft();
        double logLoss = 0;
        int right = 0;
        int[] known = model.classes();   // posterior k is the probability of class known[k]
        double[] posterior = new double[known.length];
        for (int i = 0; i < y.length; i++) {
            int predicted = soft ? model.predict(row.apply(i), posterior) : model.predict(row.apply(i));
            if (soft) {
                int k = java.util.Arrays.binarySearch(known, y[i]);
                logLoss -= Math.log(Math.max(k >= 0 ? posterior[k] : 0, 1e-15)) / y.length;   // a class unseen in training: probability 0
            }
            confusion[y[i]][predicted]++;
            if (predicted == y[i]) right++;
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("accuracy", right / (double) y.length);
        metrics.put("error", 1 - right / (double) y.length);
        if (soft) metrics.put("log_loss", logLoss);
        metrics.put("n", (double) y.length);
        Object inner = model instanceof Smile.OnRows rows ? rows.model() : model;
        return new SmileReport(typeOf(inner), facts(inner), metrics, confusion);
    }

    static SmileReport regressor(Object model, double[] y, double[] predicted) {
        if (y.length == 0) throw new IllegalArgumentException("report: no test rows");
        double mean = java.util.Arrays.stream(y).average().orElse(0), sse = 0, sae = 0, sst = 0;
        for (int i = 0; i < y.length; i++) {
            double r = y[i] - predicted[i];
            sse += r * r;
            sae += Math.abs(r);
            sst += (y[i] - mean) * (y[i] - mean);
        }
        Map<String, Double> metrics = new LinkedHashMap<>();
        metrics.put("rmse", Math.sqrt(sse / y.length));
        metrics.put("mae", sae / y.length);
        metrics.put("r2", 1 - sse / sst);
        metrics.put("n", (double) y.length);
        return new SmileReport(typeOf(model), facts(model), metrics, null);
    }

    static SmileReport summary(Object model) {
        if (model instanceof Smile.OnRows rows) model = rows.model();
        return new SmileReport(typeOf(model), facts(model), Map.of(), null);
    }

    private static String typeOf(Object model) {
        Class<?> c = model.getClass();
        while (c.isAnonymousClass() || c.isSynthetic()) c = c.getSuperclass() == Object.class ? c.getInterfaces()[0] : c.getSuperclass();
        return c.getName().startsWith("smile.") ? c.getName().substring("smile.".length()) : c.getName();
    }

    /** What the Smile interfaces and the common ensembles let us read without knowing the concrete type. */
    private static Map<String, String> facts(Object model) {
        Map<String, String> facts = new LinkedHashMap<>();
        if (model instanceof Classifier<?> c) {
            facts.put("kind", "classifier");
            facts.put("classes", Integer.toString(c.numClasses()));
            facts.put("probabilities", c.isSoft() ? "yes" : "no");
        } else if (model instanceof smile.regression.Regression<?>) {
            facts.put("kind", "regressor");
        }
        if (model instanceof DataFrameClassifier c) facts.put("formula", c.formula().toString());
        if (model instanceof DataFrameRegression r) facts.put("formula", r.formula().toString());
        switch (model) {
            case smile.classification.RandomForest f -> facts.put("trees", Integer.toString(f.size()));
            case smile.classification.GradientTreeBoost g -> facts.put("trees", Integer.toString(g.size()));
            case smile.regression.RandomForest f -> facts.put("trees", Integer.toString(f.size()));
            case smile.regression.GradientTreeBoost g -> facts.put("trees", Integer.toString(g.size()));
            case smile.classification.LogisticRegression l -> {
                facts.put("log-likelihood", Format.number(l.loglikelihood()));
                facts.put("AIC", Format.number(l.AIC()));
            }
            default -> { }
        }
        return facts;
    }

    /** The report as one HTML fragment: a heading, the facts, the metrics and the confusion matrix. */
    public String html() {
        StringBuilder html = new StringBuilder("<div class=\"smile-model\"><p><b>").append(Frames.escape(model)).append("</b></p>\n<table class=\"dataframe\">");
        facts.forEach((k, v) -> html.append("<tr><th>").append(Frames.escape(k)).append("</th><td>").append(Frames.escape(v)).append("</td></tr>"));
        metrics.forEach((k, v) -> html.append("<tr><th>").append(Frames.escape(k)).append("</th><td>").append(Format.number(v)).append("</td></tr>"));
        html.append("</table>\n");
        if (confusion != null) {
            html.append("<p>confusion matrix (rows: true class, columns: predicted)</p>\n<table class=\"dataframe confusion\"><tr><th></th>");
            for (int j = 0; j < confusion.length; j++) html.append("<th>").append(j).append("</th>");
            html.append("</tr>");
            for (int i = 0; i < confusion.length; i++) {
                html.append("<tr><th>").append(i).append("</th>");
                for (int n : confusion[i]) html.append("<td>").append(n).append("</td>");
                html.append("</tr>");
            }
            html.append("</table>\n");
        }
        return html.append("</div>").toString();
    }

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(model).append('\n');
        facts.forEach((k, v) -> text.append("  ").append(k).append(": ").append(v).append('\n'));
        metrics.forEach((k, v) -> text.append("  ").append(k).append(": ").append(Format.number(v)).append('\n'));
        if (confusion != null) {
            text.append("  confusion (true x predicted):\n");
            for (int[] row : confusion) text.append("   ").append(java.util.Arrays.toString(row)).append('\n');
        }
        return text.toString();
    }
}
