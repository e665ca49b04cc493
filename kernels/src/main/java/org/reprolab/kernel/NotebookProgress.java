package org.reprolab.kernel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.knowm.xchart.BitmapEncoder;
import org.reprolab.kernel.display.MimeTypes;
import org.reprolab.lab.Progress;
import org.reprolab.lab.Runs;
import org.reprolab.plot.LinePlot;

/**
 * A {@code Lab} run watched in Jupyter: ONE display per {@code run()}, created at the first event and
 * replaced in place with {@code update_display_data} (Lab sends at most four events a second): an
 * HTML progress bar with runs done/total, the current method, elapsed time and ETA, and below it the
 * live curve of the headline metric per method (redrawn at most once a second, PNG encoding costs).
 * At the end the display shrinks to the one-line summary; the {@code Runs} value displays itself.
 */
final class NotebookProgress implements Progress {
    static final long CURVE_MILLIS = 1000;

    private final String id = UUID.randomUUID().toString();
    private final Map<String, List<double[]>> curves = new LinkedHashMap<>();
    private boolean shown;
    private long lastCurve = -CURVE_MILLIS;
    private String curvePng;

    @Override
    public void update(Event e) {
        if (!e.current().isEmpty() && !Double.isNaN(e.latest())) {
            curves.computeIfAbsent(e.current(), k -> new ArrayList<>()).add(new double[] {e.unitsDone(), e.latest()});
        }
        if (e.elapsedMillis() - lastCurve >= CURVE_MILLIS && curves.values().stream().anyMatch(c -> c.size() > 1)) {
            lastCurve = e.elapsedMillis();
            curvePng = curve(e);
        }
        show(html(e));
    }

    @Override
    public void finish(Runs runs) {
        show(Map.of(MimeTypes.HTML, "<p>" + escape(runs.headline()) + "</p>", MimeTypes.TEXT, runs.headline()));
    }

    private void show(Map<String, String> bundle) {
        if (!shown) {
            Notebook.showBundle(bundle, id);
            shown = true;
        } else {
            Notebook.replaceBundle(id, bundle);
        }
    }

    private Map<String, String> html(Event e) {
        int percent = e.total() == 0 ? 100 : (int) (100L * e.done() / e.total());
        StringBuilder html = new StringBuilder("<div class=\"reprolab-progress\"><progress value=\"").append(e.done())
                .append("\" max=\"").append(e.total()).append("\" style=\"width:320px\"></progress> ")
                .append(percent).append("% <code>").append(escape(e.line())).append("</code>");
        if (curvePng != null) html.append("<br/><img src=\"data:image/png;base64,").append(curvePng).append("\"/>");
        html.append("</div>");
        return Map.of(MimeTypes.HTML, html.toString(), MimeTypes.TEXT, e.line());
    }

    private String curve(Event e) {
        var plot = LinePlot.titled("live: " + e.metric()).xLabel(e.unit()).yLabel(e.metric()).size(480, 240);
        boolean positive = curves.values().stream().flatMap(List::stream).allMatch(p -> p[1] > 0);
        if (positive) plot.logY();
        curves.forEach((label, points) -> {
            if (points.size() > 1) {
                plot.series(label, points.stream().mapToDouble(p -> p[0]).toArray(), points.stream().mapToDouble(p -> p[1]).toArray());
            }
        });
        try {
            return Base64.getEncoder().encodeToString(BitmapEncoder.getBitmapBytes(plot.chart(), BitmapEncoder.BitmapFormat.PNG));
        } catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static String escape(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
