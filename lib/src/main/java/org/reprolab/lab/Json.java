package org.reprolab.lab;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The little JSON Lab needs to save {@link Runs}, with no library: objects, arrays, strings, numbers,
 * booleans, null. Doubles are written with {@link Double#toString} (the shortest decimal that reparses
 * to the same bits) and non-finite ones as the strings "NaN", "Infinity", "-Infinity", so a save and
 * load round-trips exactly. Numbers without a '.' or exponent read back as Integer (or Long).
 */
final class Json {
    private Json() {}

    static String write(Object v) {
        StringBuilder out = new StringBuilder();
        write(v, out);
        return out.toString();
    }

    private static void write(Object v, StringBuilder out) {
        switch (v) {
            case null -> out.append("null");
            case String s -> string(s, out);
            case Boolean b -> out.append(b);
            case Double d -> dbl(d, out);
            case Integer i -> out.append(i);
            case Long l -> out.append(l);
            case double[] a -> {
                out.append('[');
                for (int i = 0; i < a.length; i++) {
                    if (i > 0) out.append(',');
                    dbl(a[i], out);
                }
                out.append(']');
            }
            case Map<?, ?> m -> {
                out.append('{');
                boolean first = true;
                for (var e : m.entrySet()) {
                    if (!first) out.append(',');
                    first = false;
                    string(e.getKey().toString(), out);
                    out.append(':');
                    write(e.getValue(), out);
                }
                out.append('}');
            }
            case List<?> l -> {
                out.append('[');
                for (int i = 0; i < l.size(); i++) {
                    if (i > 0) out.append(',');
                    write(l.get(i), out);
                }
                out.append(']');
            }
            default -> string(v.toString(), out);
        }
    }

    private static void dbl(double d, StringBuilder out) {
        if (Double.isFinite(d)) out.append(d);
        else out.append('"').append(d).append('"');
    }

    private static void string(String s, StringBuilder out) {
        out.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) out.append(String.format("\\u%04x", (int) c));
                    else out.append(c);
                }
            }
        }
        out.append('"');
    }

    static Object read(String text) {
        Json.Reader r = new Json.Reader(text);
        Object v = r.value();
        r.skipSpace();
        if (r.pos != text.length()) throw r.error("trailing text");
        return v;
    }

    /** A double from a JSON number or one of the non-finite strings. */
    static double asDouble(Object v) {
        return switch (v) {
            case Number n -> n.doubleValue();
            case String s -> Double.parseDouble(s);
            default -> throw new IllegalArgumentException("not a number: " + v);
        };
    }

    private static final class Reader {
        private final String s;
        private int pos;

        Reader(String s) {
            this.s = s;
        }

        IllegalArgumentException error(String what) {
            return new IllegalArgumentException("JSON: " + what + " at offset " + pos);
        }

        void skipSpace() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
        }

        Object value() {
            skipSpace();
            if (pos >= s.length()) throw error("unexpected end");
            char c = s.charAt(pos);
            return switch (c) {
                case '{' -> object();
                case '[' -> array();
                case '"' -> string();
                case 't' -> literal("true", Boolean.TRUE);
                case 'f' -> literal("false", Boolean.FALSE);
                case 'n' -> literal("null", null);
                default -> number();
            };
        }

        private Object literal(String word, Object v) {
            if (!s.startsWith(word, pos)) throw error("expected " + word);
            pos += word.length();
            return v;
        }

        private Map<String, Object> object() {
            Map<String, Object> m = new LinkedHashMap<>();
            items('}', () -> {
                skipSpace();
                String key = string();
                skipSpace();
                expect(':');
                m.put(key, value());
            });
            return m;
        }

        private List<Object> array() {
            List<Object> l = new ArrayList<>();
            items(']', () -> l.add(value()));
            return l;
        }

        /** The items of an object or array after its opening bracket: none, or {@code item (, item)*}, then {@code close}. */
        private void items(char close, Runnable item) {
            pos++;
            skipSpace();
            if (s.charAt(pos) == close) {
                pos++;
                return;
            }
            while (true) {
                item.run();
                skipSpace();
                if (s.charAt(pos) == ',') pos++;
                else {
                    expect(close);
                    return;
                }
            }
        }

        private void expect(char c) {
            if (pos >= s.length() || s.charAt(pos) != c) throw error("expected '" + c + "'");
            pos++;
        }

        private String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                if (pos >= s.length()) throw error("unterminated string");
                char c = s.charAt(pos++);
                if (c == '"') return b.toString();
                if (c != '\\') {
                    b.append(c);
                    continue;
                }
                char e = s.charAt(pos++);
                switch (e) {
                    case 'n' -> b.append('\n');
                    case 'r' -> b.append('\r');
                    case 't' -> b.append('\t');
                    case 'b' -> b.append('\b');
                    case 'f' -> b.append('\f');
                    case 'u' -> {
                        b.append((char) Integer.parseInt(s.substring(pos, pos + 4), 16));
                        pos += 4;
                    }
                    default -> b.append(e);
                }
            }
        }

        private Object number() {
            int start = pos;
            while (pos < s.length() && "+-0123456789.eE".indexOf(s.charAt(pos)) >= 0) pos++;
            String t = s.substring(start, pos);
            if (t.isEmpty()) throw error("unexpected character '" + s.charAt(pos) + "'");
            if (t.contains(".") || t.contains("e") || t.contains("E")) return Double.parseDouble(t);
            long l = Long.parseLong(t);
            return l == (int) l ? (Object) (int) l : (Object) l;
        }
    }
}
