package org.reprolab.kernel.display;

import java.awt.image.RenderedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.imageio.ImageIO;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.VectorGraphicsEncoder;
import org.knowm.xchart.internal.chartpart.Chart;
import org.reprolab.lab.Runs;
import org.reprolab.plot.Figure;
import org.reprolab.tensor.Tensor;
import smile.data.DataFrame;

/**
 * The displayers every kernel starts with: XChart charts and our {@link Figure}s (PNG, plus SVG
 * where the vector encoder is on the classpath), Smile data frames (an HTML table and text), tensors (with where they live), and images.
 */
final class BuiltinDisplayers {

    /**
     * Largest SVG kept beside the PNG, measured after {@link SvgCompaction#compact} (a line plot is
     * about 25 kB then). Contour maps run to megabytes of vector paths, which would bloat every
     * saved notebook; past this size the PNG alone is sent.
     */
    static final int MAX_SVG_CHARS = 400_000;

    private BuiltinDisplayers() {}

    static Displayers installInto(Displayers registry) {
        registry.register(Chart.class, BuiltinDisplayers::chart);
        registry.register(Figure.class, figure -> chart(figure.chart()));
        registry.register(Tensor.class, BuiltinDisplayers::tensor);
        registry.register(Runs.class, RunsDisplay::bundle);
        registry.register(RenderedImage.class, image -> Map.of(
                MimeTypes.PNG, png(image),
                MimeTypes.TEXT, "<image " + image.getWidth() + "x" + image.getHeight() + ">"));
        SmileDisplayers.installInto(registry);
        return registry;
    }

    static Map<String, String> chart(Chart<?, ?> chart) {
        Map<String, String> bundle = new LinkedHashMap<>();
        try {
            bundle.put(MimeTypes.PNG, Base64.getEncoder().encodeToString(
                    BitmapEncoder.getBitmapBytes(chart, BitmapEncoder.BitmapFormat.PNG)));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String svg = svg(chart);
        if (svg != null) {
            bundle.put(MimeTypes.SVG, svg);
        }
        String title = chart.getTitle() == null || chart.getTitle().isBlank() ? "" : " \"" + chart.getTitle() + "\"";
        bundle.put(MimeTypes.TEXT, "<" + xchartType(chart.getClass()) + title + " " + chart.getWidth() + "x" + chart.getHeight() + ">");
        return bundle;
    }

    /** The XChart type a chart is ({@code XYChart}), not a private subclass of ours that paints extra ticks. */
    private static String xchartType(Class<?> c) {
        while (c.getSuperclass() != null && !c.getPackageName().startsWith("org.knowm.xchart")) {
            c = c.getSuperclass();
        }
        return c.getSimpleName();
    }

    /**
     * SVG through XChart's optional VectorGraphics2D back end, its paths compacted
     * ({@link SvgCompaction}); {@code null} when it is missing, fails or stays too big. The XML declaration and doctype are cut: notebook front ends inline the element, and
     * nbconvert's HTML exporter rejects a string that declares its own encoding.
     */
    private static String svg(Chart<?, ?> chart) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            VectorGraphicsEncoder.saveVectorGraphic(chart, out, VectorGraphicsEncoder.VectorGraphicsFormat.SVG);
            String svg = out.toString(StandardCharsets.UTF_8);
            int element = svg.indexOf("<svg");
            if (element < 0) {
                return null;
            }
            String compact = SvgCompaction.compact(svg.substring(element));
            return compact.length() > MAX_SVG_CHARS ? null : compact;
        } catch (IOException | RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** A tensor as PyTorch prints it, and in HTML with a footer saying its shape, type and device. */
    static Map<String, String> tensor(Tensor tensor) {
        String text = tensor.toString();
        String footer = "shape " + Arrays.toString(tensor.shape()) + " · " + tensor.dtype() + " · device " + tensor.device()
                + (tensor.requiresGrad() ? " · requires grad" : "");
        return Map.of(MimeTypes.TEXT, text,
                MimeTypes.HTML, "<pre>" + escapeHtml(text) + "</pre><small>" + escapeHtml(footer) + "</small>");
    }

    /** A data frame as {@link SmileDisplayers} shows it (pandas' form, with types). */
    static Map<String, String> dataFrame(DataFrame frame) {
        return SmileDisplayers.dataFrame(frame);
    }

    static String png(RenderedImage image) {
        try {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            ImageIO.write(image, "png", out);
            return Base64.getEncoder().encodeToString(out.toByteArray());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
