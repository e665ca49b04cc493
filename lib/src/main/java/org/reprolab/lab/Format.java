package org.reprolab.lab;

import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** How Lab writes numbers and hyper-parameter values for people: 0.01, 1e-05, 12.5, 3.142e+04. */
final class Format {
    private Format() {}

    /** Four significant digits, Python's {@code %.4g} with trailing zeros dropped. */
    static String number(double v) {
        if (Double.isNaN(v) || Double.isInfinite(v)) return Double.toString(v);
        if (v == 0) return "0";
        String s = String.format(Locale.ROOT, "%.4g", v);
        if (s.contains("e")) {
            String[] parts = s.split("e");
            return trim(parts[0]) + "e" + parts[1];
        }
        return trim(s);
    }

    /** A hyper-parameter value as written in code: 0.01, 0.001, 1e-05, 2000, true. */
    static String value(Object v) {
        if (v instanceof Double d) {
            double a = Math.abs(d);
            if (d == Math.rint(d) && a < 1e6) return Long.toString(d.longValue());
            if (a >= 1e-4 && a < 1e6) return BigDecimal.valueOf(d).stripTrailingZeros().toPlainString();
            return String.format(Locale.ROOT, "%.6g", d).replaceAll("0+e", "e").replaceAll("\\.e", "e");
        }
        if (v instanceof Float f) return value(f.doubleValue());
        return String.valueOf(v);
    }

    /** {@code lr=0.01, beta1=0.95}. */
    static String point(Map<String, Object> point) {
        return point.entrySet().stream().map(e -> e.getKey() + "=" + value(e.getValue())).collect(Collectors.joining(", "));
    }

    /** {@code Adam} or {@code Adam lr=0.1, beta1=0.9} after a sweep. */
    static String label(String method, Map<String, Object> point) {
        return point.isEmpty() ? method : method + " " + point(point);
    }

    private static String trim(String s) {
        return s.contains(".") ? s.replaceAll("0+$", "").replaceAll("\\.$", "") : s;
    }
}
