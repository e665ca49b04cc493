package org.reprolab.kernel.display;

import java.util.Map;
import org.reprolab.lab.Frames;
import org.reprolab.lab.Report;
import org.reprolab.lab.Smile;
import org.reprolab.lab.SmileReport;
import smile.classification.Classifier;
import smile.data.DataFrame;
import smile.regression.Regression;

/**
 * How Smile values show in a notebook: a data frame as pandas shows one (names and types, the first and
 * last rows of a big frame, the shape; {@code Frames.page(df, k, size)} for any other rows), a bare
 * classifier or regressor as its summary ({@link Smile#summary}), a {@link SmileReport} with its metrics
 * and confusion matrix, and a {@link Report} inline as the page it writes.
 */
final class SmileDisplayers {
    private SmileDisplayers() {}

    static Displayers installInto(Displayers registry) {
        registry.register(DataFrame.class, SmileDisplayers::dataFrame);
        registry.register(Frames.Page.class, page -> Map.of(MimeTypes.HTML, page.html(), MimeTypes.TEXT, page.toString()));
        registry.register(SmileReport.class, SmileDisplayers::report);
        registry.register(Classifier.class, model -> report(Smile.summary(model)));
        registry.register(Regression.class, model -> report(Smile.summary(model)));
        registry.register(Report.class, SmileDisplayers::page);
        return registry;
    }

    static Map<String, String> dataFrame(DataFrame frame) {
        return Map.of(MimeTypes.HTML, Frames.html(frame), MimeTypes.TEXT, Frames.text(frame));
    }

    private static Map<String, String> report(SmileReport report) {
        return Map.of(MimeTypes.HTML, report.html(), MimeTypes.TEXT, report.toString());
    }

    /** The standalone page in a sandboxed frame, so its style stays out of the notebook's. */
    private static Map<String, String> page(Report report) {
        String frame = "<iframe sandbox=\"\" style=\"width:100%;height:36rem;border:1px solid #ddd\" srcdoc=\""
                + BuiltinDisplayers.escapeHtml(report.html()) + "\"></iframe>";
        return Map.of(MimeTypes.HTML, frame, MimeTypes.TEXT, report.toString());
    }
}
