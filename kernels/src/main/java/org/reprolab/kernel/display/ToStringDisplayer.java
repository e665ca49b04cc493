package org.reprolab.kernel.display;

import java.lang.reflect.Array;
import java.util.Map;

/**
 * The last resort: {@code text/plain} from {@code toString}, arrays element by element, strings
 * quoted as Java literals. Bounded, so that showing a gigabyte array costs what showing a small
 * one does: an array longer than {@link #ARRAY_LIMIT} shows its first and last
 * {@link #ARRAY_EDGE} elements around {@code ...} (NumPy's summary), and any text longer than
 * {@link #TEXT_LIMIT} characters is cut with a note of its length.
 */
enum ToStringDisplayer implements Displayer<Object> {
    INSTANCE;

    static final int ARRAY_LIMIT = 1000;
    static final int ARRAY_EDGE = 3;
    static final int TEXT_LIMIT = 100_000;

    @Override
    public Map<String, String> display(Object value) {
        return Map.of(MimeTypes.TEXT, text(value));
    }

    static String text(Object value) {
        if (value instanceof CharSequence s && s.length() > TEXT_LIMIT) {
            // escaping at most what will be shown
            return quote(s.subSequence(0, TEXT_LIMIT).toString()) + cutNote(s.length());
        }
        String text = unbounded(value);
        return text.length() <= TEXT_LIMIT ? text : text.substring(0, TEXT_LIMIT) + cutNote(text.length());
    }

    private static String cutNote(int length) {
        return String.format(java.util.Locale.ROOT, "… (%,d characters in all)", length);
    }

    private static String unbounded(Object value) {
        if (value == null) {
            return "null";
        }
        if (value instanceof CharSequence s) {
            return quote(s.toString());
        }
        if (value instanceof Character c) {
            return "'" + escape(String.valueOf(c)) + "'";
        }
        if (value.getClass().isArray()) {
            StringBuilder out = new StringBuilder("[");
            int n = Array.getLength(value);
            boolean summarize = n > ARRAY_LIMIT;
            for (int i = 0; i < n; i++) {
                if (summarize && i == ARRAY_EDGE) {
                    out.append(", ...");
                    i = n - ARRAY_EDGE;
                }
                if (i > 0) {
                    out.append(", ");
                }
                out.append(text(Array.get(value, i)));
            }
            return out.append(']').toString();
        }
        return String.valueOf(value);
    }

    private static String quote(String s) {
        return '"' + escape(s) + '"';
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length() + 2);
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\t' -> out.append("\\t");
                case '\r' -> out.append("\\r");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
