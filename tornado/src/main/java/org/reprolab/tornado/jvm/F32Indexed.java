package org.reprolab.tornado.jvm;

import org.reprolab.tornado.DeviceException;

/**
 * Gather and scatter-add along one axis on f32 heap arrays (see {@code Device#gather}). Both walk
 * "lines": the elements along one axis with every other coordinate fixed. A gather walks lines of
 * the last axis in parallel; a scatter walks lines of the scattered axis, one task per line, so the
 * additions into one target element always happen in the same order on one thread.
 *
 * <p>{@code F64Indexed} is generated from this file by the build (tornado/pom.xml); edit only this file.
 */
final class F32Indexed {
    private F32Indexed() {}

    static void gather(Parallel par, int[] shape, int axis, int axisLength, float[] src, int so, int[] ss,
            float[] idx, int io, int[] is, float[] out, int oo, int[] os) {
        int rank = shape.length, last = rank - 1, len = shape[last];
        int lines = lineCount(shape, last);
        if (len == 0 || lines == 0) return;
        par.forRange(lines, Math.max(1, 4096 / len), 1, (from, to) -> {
            int[] base = new int[3];
            for (int line = from; line < to; line++) {
                bases(shape, last, line, so, ss, io, is, oo, os, base, axis);
                int s = base[0], ip = base[1], op = base[2];
                int sAxis = ss[axis], sLast = axis == last ? 0 : ss[last];
                for (int j = 0; j < len; j++) {
                    int v = index(idx[ip + j * is[last]], axisLength);
                    out[op + j * os[last]] = src[s + j * sLast + v * sAxis];
                }
            }
        });
    }

    static void scatterAdd(Parallel par, int[] shape, int axis, int axisLength, float[] src, int so, int[] ss,
            float[] idx, int io, int[] is, float[] out, int oo, int[] os) {
        int len = shape[axis];
        int lines = lineCount(shape, axis);
        if (len == 0 || lines == 0) return;
        // indices are checked first so a bad one leaves out untouched
        par.forRange(lines, Math.max(1, 4096 / len), 1, (from, to) -> {
            int[] base = new int[3];
            for (int line = from; line < to; line++) {
                bases(shape, axis, line, so, ss, io, is, oo, os, base, -1);
                for (int j = 0; j < len; j++) index(idx[base[1] + j * is[axis]], axisLength);
            }
        });
        par.forRange(lines, Math.max(1, 4096 / len), 1, (from, to) -> {
            int[] base = new int[3];
            for (int line = from; line < to; line++) {
                bases(shape, axis, line, so, ss, io, is, oo, os, base, -1);
                for (int j = 0; j < len; j++) {
                    int v = (int) idx[base[1] + j * is[axis]];
                    out[base[2] + v * os[axis]] += src[base[0] + j * ss[axis]];
                }
            }
        });
    }

    /** Number of lines along {@code along}: the product of the other extents. */
    static int lineCount(int[] shape, int along) {
        int n = 1;
        for (int d = 0; d < shape.length; d++) if (d != along) n *= shape[d];
        return n;
    }

    /**
     * Start offsets of line number {@code line} (row-major over the axes other than {@code along}) in
     * the three operands; axis {@code skip} contributes nothing (its coordinate is the index's).
     */
    static void bases(int[] shape, int along, int line, int so, int[] ss, int io, int[] is, int oo, int[] os, int[] base,
            int skip) {
        int s = so, i = io, o = oo, rem = line;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (d == along) continue;
            int e = rem % shape[d];
            rem /= shape[d];
            if (d != skip) s += e * ss[d];
            i += e * is[d];
            o += e * os[d];
        }
        base[0] = s;
        base[1] = i;
        base[2] = o;
    }

    private static int index(double raw, int axisLength) {
        int v = (int) raw;
        if (v != raw || v < 0 || v >= axisLength)
            throw new DeviceException("index " + raw + " out of range for an axis of length " + axisLength);
        return v;
    }
}
