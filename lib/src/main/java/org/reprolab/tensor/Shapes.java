package org.reprolab.tensor;

import java.util.Arrays;

/** Shape arithmetic shared by all ops: strides, broadcasting (NumPy rules), axis normalisation. */
final class Shapes {
    private Shapes() {}

    static int numel(int[] shape) {
        long n = 1;
        for (int d : shape) {
            n *= d;
        }
        if (n > Integer.MAX_VALUE) {
            throw new ShapeException("shape " + str(shape) + " has more than 2^31-1 elements");
        }
        return (int) n;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] s = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            s[d] = acc;
            acc *= Math.max(shape[d], 1);
        }
        return s;
    }

    static String str(int[] shape) {
        return Arrays.toString(shape);
    }

    /** NumPy broadcasting of two shapes; the error names the op and both shapes. */
    static int[] broadcast(String op, int[] a, int[] b) {
        int r = Math.max(a.length, b.length);
        int[] out = new int[r];
        for (int i = 0; i < r; i++) {
            int da = i < r - a.length ? 1 : a[i - (r - a.length)];
            int db = i < r - b.length ? 1 : b[i - (r - b.length)];
            if (da != db && da != 1 && db != 1) {
                throw new ShapeException(op + ": shapes " + str(a) + " and " + str(b)
                        + " cannot be broadcast (dim " + (i - r) + ": " + da + " vs " + db + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return out;
    }

    static int axis(String op, int axis, int rank) {
        int a = axis < 0 ? axis + rank : axis;
        if (a < 0 || a >= rank) {
            throw new ShapeException(op + ": axis " + axis + " out of range for a tensor of rank " + rank);
        }
        return a;
    }

    static void checkShape(String op, int[] shape) {
        for (int d : shape) {
            if (d < 0) {
                throw new ShapeException(op + ": negative dimension in shape " + str(shape));
            }
        }
    }

    static int[] concat(int[] a, int[] b) {
        int[] r = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, r, a.length, b.length);
        return r;
    }
}
