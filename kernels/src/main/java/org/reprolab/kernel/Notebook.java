package org.reprolab.kernel;

import java.util.Map;
import java.util.UUID;
import org.reprolab.kernel.display.Displayer;
import org.reprolab.kernel.display.Displayers;
import org.reprolab.kernel.display.MimeTypes;

/**
 * What notebook code calls to show things: {@code display(chart)}, updatable displays,
 * {@code html(...)}, {@code markdown(...)}, {@code clearOutput()}. Statically imported in every
 * notebook and JShell script. In a kernel, output goes to the cell; in plain JShell it is
 * printed as text (images are written to a temporary PNG file whose path is printed).
 */
public final class Notebook {

    private static volatile DisplaySink sink = new TextSink();

    private Notebook() {}

    /** Where displays go; the kernel installs its own while it runs. */
    interface DisplaySink {
        void display(Map<String, String> bundle, String displayId);

        void update(String displayId, Map<String, String> bundle);

        void clearOutput(boolean wait);
    }

    static void install(DisplaySink newSink) {
        sink = newSink == null ? new TextSink() : newSink;
    }

    /** Shows {@code value} below the cell, rendered by the display registry. */
    public static void display(Object value) {
        if (value instanceof org.reprolab.kernel.widgets.Widget widget) {
            widget.display();
            return;
        }
        sink.display(Displayers.global().display(value), null);
    }

    /** Shows {@code value} and returns a handle that replaces it in place, e.g. to animate a training curve. */
    public static DisplayHandle displayHandle(Object value) {
        String id = UUID.randomUUID().toString();
        sink.display(Displayers.global().display(value), id);
        return new DisplayHandle(id);
    }

    /** Replaces what the display with {@code displayId} shows. */
    public static void updateDisplay(String displayId, Object value) {
        sink.update(displayId, Displayers.global().display(value));
    }

    /** Shows a ready MIME bundle under {@code displayId} (for live displays the kernel draws itself). */
    static void showBundle(Map<String, String> bundle, String displayId) {
        sink.display(bundle, displayId);
    }

    /** Replaces the bundle shown under {@code displayId}. */
    static void replaceBundle(String displayId, Map<String, String> bundle) {
        sink.update(displayId, bundle);
    }

    /** Shows raw HTML. */
    public static void html(String html) {
        sink.display(Map.of(MimeTypes.HTML, html, MimeTypes.TEXT, html), null);
    }

    /** Shows Markdown (rendered by the front end). */
    public static void markdown(String markdown) {
        sink.display(Map.of(MimeTypes.MARKDOWN, markdown, MimeTypes.TEXT, markdown), null);
    }

    /** Clears the cell's output, now or ({@code wait}) just before the next output arrives. */
    public static void clearOutput(boolean wait) {
        sink.clearOutput(wait);
    }

    public static void clearOutput() {
        clearOutput(false);
    }

    /** The registry to teach the kernel how to show a type: {@code displayers().register(Foo.class, f -> ...)}. */
    public static Displayers displayers() {
        return Displayers.global();
    }

    /** Shorthand for {@code displayers().register(type, displayer)}. */
    public static <T> void registerDisplayer(Class<T> type, Displayer<? super T> displayer) {
        Displayers.global().register(type, displayer);
    }

    /** A display that can be replaced in place. */
    public record DisplayHandle(String id) {
        public void update(Object value) {
            updateDisplay(id, value);
        }
    }

    /** Outside a kernel: text to standard output, images to temporary files. */
    private static final class TextSink implements DisplaySink {
        @Override
        public void display(Map<String, String> bundle, String displayId) {
            String png = bundle.get(MimeTypes.PNG);
            if (png != null) {
                try {
                    var file = java.nio.file.Files.createTempFile("reprolab-", ".png");
                    java.nio.file.Files.write(file, java.util.Base64.getDecoder().decode(png));
                    System.out.println(bundle.getOrDefault(MimeTypes.TEXT, "<image>") + " -> " + file);
                    return;
                } catch (java.io.IOException e) {
                    // fall back to the text below
                }
            }
            System.out.println(bundle.getOrDefault(MimeTypes.TEXT, ""));
        }

        @Override
        public void update(String displayId, Map<String, String> bundle) {
            display(bundle, displayId);
        }

        @Override
        public void clearOutput(boolean wait) {}
    }
}
