package org.reprolab.kernel.display;

import java.util.Map;
import org.reprolab.lab.Runs;

/**
 * How a {@link Runs} shows in a notebook: its headline, the summary table and the headline metric's
 * curves, in one HTML output (the PNG inlined), with the JShell text as the plain-text form.
 */
final class RunsDisplay {
    private RunsDisplay() {}

    static Map<String, String> bundle(Runs runs) {
        StringBuilder html = new StringBuilder("<div class=\"reprolab-runs\"><p>")
                .append(BuiltinDisplayers.escapeHtml(runs.headline())).append("</p>\n")
                .append(BuiltinDisplayers.dataFrame(runs.table()).get(MimeTypes.HTML));
        if (runs.runs().stream().anyMatch(r -> r.history().values().stream().anyMatch(h -> h.length > 1))) {
            String png = BuiltinDisplayers.chart(runs.plot().chart()).get(MimeTypes.PNG);
            html.append("\n<img src=\"data:image/png;base64,").append(png).append("\"/>");
        }
        html.append("</div>");
        return Map.of(MimeTypes.HTML, html.toString(), MimeTypes.TEXT, runs.toString());
    }
}
