package org.reprolab.tornado.graph;

import org.reprolab.tornado.ElementType;

/** The host side of graph buffers: {@code float[]} is f32, {@code double[]} is f64, nothing else. */
final class HostArrays {
    private HostArrays() {}

    static ElementType dtype(Object a) {
        if (a instanceof float[]) return ElementType.F32;
        if (a instanceof double[]) return ElementType.F64;
        throw new IllegalArgumentException("task graph arrays must be float[] or double[], got "
                + (a == null ? "null" : a.getClass().getSimpleName()));
    }

    static int length(Object a) {
        return a instanceof float[] f ? f.length : ((double[]) a).length;
    }
}
