package org.reprolab.kernel.display;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.reprolab.data.Datasets;
import org.reprolab.lab.Frames;
import org.reprolab.lab.Smile;
import org.reprolab.lab.SmileReport;
import smile.classification.LogisticRegression;
import smile.data.DataFrame;
import smile.data.formula.Formula;
import smile.regression.OLS;

/** Smile values in the kernel: frames with types and their ends, models as summaries, reports with their metrics. */
class SmileDisplayersTest {
    private final Displayers global = Displayers.global();

    @Test
    void aBigFrameShowsTypesAndItsEndsAsPandasDoes() {
        double[][] rows = new double[100][2];
        for (int i = 0; i < rows.length; i++) rows[i] = new double[] {i, i * i};
        Map<String, String> shown = global.display(DataFrame.of(rows, "i", "square"));
        String html = shown.get(MimeTypes.HTML), text = shown.get(MimeTypes.TEXT);
        assertTrue(html.contains("<th><small>double</small></th>") && html.contains("<tr><th>99</th><td>99</td><td>9801</td></tr>")
                && html.contains("<tr><th>…</th>") && !html.contains("<tr><th>50</th>") && html.contains("100 rows × 2 columns"), html);
        assertTrue(text.contains("double") && text.contains("[100 rows × 2 columns]"), text);
        String page = global.display(Frames.page(DataFrame.of(rows, "i", "square"), 1, 30)).get(MimeTypes.HTML);
        assertTrue(page.contains("<tr><th>30</th><td>30</td><td>900</td></tr>") && page.contains("rows 30–59 of 100"), page);
    }

    @Test
    void aModelShowsItsSummaryAndAReportItsMetrics() {
        var split = Datasets.twoMoons(120, 0.2, 5).split(0.25, 1);
        var model = LogisticRegression.fit(split.train().features(), split.train().labels());
        String bare = global.display(model).get(MimeTypes.HTML);
        assertTrue(bare.contains("LogisticRegression") && bare.contains("<th>classes</th><td>2</td>") && !bare.contains("accuracy"), bare);
        SmileReport report = Smile.report(model, split.test());
        Map<String, String> shown = global.display(report);
        assertTrue(shown.get(MimeTypes.HTML).contains("<th>accuracy</th>") && shown.get(MimeTypes.HTML).contains("confusion matrix"), shown.get(MimeTypes.HTML));
        assertTrue(shown.get(MimeTypes.TEXT).contains("accuracy: "), shown.get(MimeTypes.TEXT));
    }

    @Test
    void aRegressorShowsItsSummaryAndAReportItsFit() {
        DataFrame frame = DataFrame.of(new double[][] {{0, 0.1}, {1, 0.9}, {2, 2.2}, {3, 2.8}, {4, 4.1}, {5, 5.2}}, "x", "y");
        var ols = OLS.fit(Formula.lhs("y"), frame);
        String bare = global.display(ols).get(MimeTypes.HTML);
        assertTrue(bare.contains("<th>kind</th><td>regressor</td>") && bare.contains("<th>formula</th><td>y ~ x</td>")
                && !bare.contains("rmse"), bare);
        SmileReport report = Smile.report(ols, frame);
        String shown = global.display(report).get(MimeTypes.HTML);
        var rmse = java.util.regex.Pattern.compile("<th>rmse</th><td>([-0-9.eE]+)</td>").matcher(shown);
        assertTrue(rmse.find() && shown.contains("<th>r2</th>") && !shown.contains("confusion"), shown);
        assertEquals(report.metric("rmse"), Double.parseDouble(rmse.group(1)), 1e-3 * report.metric("rmse"), shown);
    }
}
