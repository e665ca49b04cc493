package org.reprolab.tensor;

import java.util.Locale;

/**
 * Text form of a tensor, following PyTorch's printer: integral values as "1.", others with four
 * decimals, scientific notation when magnitudes span more than 10^3 or leave [1e-4, 1e8);
 * elements right-aligned to a common width. Large tensors print a summary line instead, since
 * a notebook cell full of numbers helps nobody.
 */
final class Format {
    static final int SUMMARY_THRESHOLD = 1000;

    private Format() {}

    static String format(Tensor t) {
        StringBuilder suffix = new StringBuilder();
        if (t.dtype() != DType.F32) {
            suffix.append(", dtype=").append(t.dtype().pyName());
        }
        if (!t.device().equals("jvm")) {
            suffix.append(", device='").append(t.device()).append('\'');
        }
        if (t.gradFn() != null) {
            suffix.append(", grad_fn=<").append(t.gradFn()).append('>');
        } else if (t.requiresGrad()) {
            suffix.append(", requires_grad=True");
        }
        int n = t.numel();
        if (n > SUMMARY_THRESHOLD) {
            return "tensor(shape=" + Shapes.str(t.shape) + ", dtype=" + t.dtype().pyName() + ", device=" + t.device()
                    + (t.requiresGrad() ? ", requires_grad=True" : "") + ")";
        }
        if (n == 0) {
            return "tensor([], size=" + Shapes.str(t.shape) + suffix + ")";
        }
        double[] v = t.toDoubleArray();
        double maxAbs = 0;
        double minAbs = Double.POSITIVE_INFINITY;
        boolean integral = true;
        for (double x : v) {
            if (!Double.isFinite(x)) {
                continue;
            }
            double a = Math.abs(x);
            maxAbs = Math.max(maxAbs, a);
            if (a > 0) {
                minAbs = Math.min(minAbs, a);
            }
            integral &= x == Math.rint(x);
        }
        boolean sci = !integral && minAbs != Double.POSITIVE_INFINITY
                && (maxAbs / minAbs > 1000 || maxAbs >= 1e8 || minAbs < 1e-4);
        if (integral && maxAbs >= 1e8) {
            sci = true;
        }
        String[] cells = new String[v.length];
        int width = 0;
        for (int i = 0; i < v.length; i++) {
            cells[i] = cell(v[i], integral && !sci, sci);
            width = Math.max(width, cells[i].length());
        }
        StringBuilder sb = new StringBuilder("tensor(");
        if (t.rank() == 0) {
            sb.append(cells[0]);
        } else {
            block(sb, cells, width, t.shape, 0, 0, "tensor(".length());
        }
        return sb.append(suffix).append(')').toString();
    }

    private static String cell(double x, boolean integral, boolean sci) {
        if (Double.isNaN(x)) {
            return "nan";
        }
        if (Double.isInfinite(x)) {
            return x > 0 ? "inf" : "-inf";
        }
        if (integral) {
            return String.format(Locale.ROOT, "%.0f.", x);
        }
        return String.format(Locale.ROOT, sci ? "%.4e" : "%.4f", x);
    }

    private static void block(StringBuilder sb, String[] cells, int width, int[] shape, int dim, int off, int indent) {
        sb.append('[');
        int stride = 1;
        for (int d = dim + 1; d < shape.length; d++) {
            stride *= shape[d];
        }
        for (int i = 0; i < shape[dim]; i++) {
            if (dim == shape.length - 1) {
                if (i > 0) {
                    sb.append(", ");
                }
                String c = cells[off + i];
                sb.append(" ".repeat(width - c.length())).append(c);
            } else {
                if (i > 0) {
                    sb.append(',').append("\n".repeat(shape.length - dim - 1)).append(" ".repeat(indent + dim + 1));
                }
                block(sb, cells, width, shape, dim + 1, off + i * stride, indent);
            }
        }
        sb.append(']');
    }
}
