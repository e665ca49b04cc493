package org.reprolab.tornado.jvm;

import java.util.Arrays;

/**
 * Walks a strided operand (see {@code Operand}) over a range of a launch shape's row-major linear
 * index, as runs along the last axis: each run is {@code len} elements from {@code pos} with step
 * {@code stride}. Gather and scatter between a strided buffer and a contiguous chunk are built on it.
 */
final class Strider {
    private Strider() {}

    @FunctionalInterface
    interface Run {
        void run(int pos, int stride, int j, int len);
    }

    static void runs(int[] shape, int[] st, int off, int start, int len, Run r) {
        int rank = shape.length;
        int[] idx = new int[rank];
        long rem = start;
        int pos = off;
        for (int d = rank - 1; d >= 0; d--) {
            idx[d] = (int) (rem % shape[d]);
            rem /= shape[d];
            pos += idx[d] * st[d];
        }
        int last = rank - 1;
        int j = 0;
        while (j < len) {
            int run = Math.min(len - j, shape[last] - idx[last]);
            r.run(pos, st[last], j, run);
            j += run;
            pos += run * st[last];
            idx[last] += run;
            if (idx[last] == shape[last] && j < len) {
                pos -= shape[last] * st[last];
                idx[last] = 0;
                for (int d = last - 1; d >= 0; d--) {
                    idx[d]++;
                    pos += st[d];
                    if (idx[d] < shape[d]) break;
                    pos -= shape[d] * st[d];
                    idx[d] = 0;
                }
            }
        }
    }

    static void gather(float[] src, int off, int[] shape, int[] st, int start, float[] dst, int len) {
        runs(shape, st, off, start, len, (pos, s, j, n) -> {
            if (s == 1) System.arraycopy(src, pos, dst, j, n);
            else if (s == 0) Arrays.fill(dst, j, j + n, src[pos]);
            else for (int t = 0; t < n; t++) dst[j + t] = src[pos + t * s];
        });
    }

    static void gather(double[] src, int off, int[] shape, int[] st, int start, double[] dst, int len) {
        runs(shape, st, off, start, len, (pos, s, j, n) -> {
            if (s == 1) System.arraycopy(src, pos, dst, j, n);
            else if (s == 0) Arrays.fill(dst, j, j + n, src[pos]);
            else for (int t = 0; t < n; t++) dst[j + t] = src[pos + t * s];
        });
    }

    static void scatter(float[] src, int len, float[] dst, int off, int[] shape, int[] st, int start) {
        runs(shape, st, off, start, len, (pos, s, j, n) -> {
            if (s == 1) System.arraycopy(src, j, dst, pos, n);
            else for (int t = 0; t < n; t++) dst[pos + t * s] = src[j + t];
        });
    }

    static void scatter(double[] src, int len, double[] dst, int off, int[] shape, int[] st, int start) {
        runs(shape, st, off, start, len, (pos, s, j, n) -> {
            if (s == 1) System.arraycopy(src, j, dst, pos, n);
            else for (int t = 0; t < n; t++) dst[pos + t * s] = src[j + t];
        });
    }
}
