package org.reprolab.kernel.display;

/** The MIME types the built-in displayers produce. */
public final class MimeTypes {
    public static final String TEXT = "text/plain";
    public static final String HTML = "text/html";
    public static final String MARKDOWN = "text/markdown";
    public static final String PNG = "image/png";
    public static final String SVG = "image/svg+xml";
    public static final String LATEX = "text/latex";

    private MimeTypes() {}
}
