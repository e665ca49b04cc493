package org.reprolab.kernel.display;

import java.lang.reflect.Array;
import java.util.Map;

/** The last resort: {@code text/plain} from {@code toString}, arrays element by element, strings quoted as Java literals. */
enum ToStringDisplayer implements Displayer<Object> {
    INSTANCE;

    @Override
    public Map<String, String> display(Object value) {
        return Map.of(MimeTypes.TEXT, text(value));
    }

    static String text(Object value) {
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
            for (int i = 0; i < n; i++) {
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
