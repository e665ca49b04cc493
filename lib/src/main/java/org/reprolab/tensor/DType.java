package org.reprolab.tensor;

/**
 * Element type of a {@link Tensor}. Two floating types only: f32 for speed (what benchmarks and
 * GPUs use) and f64 for exactness (gradient checks, solvers, reproductions that compare digits).
 * Integer data (class labels, gather indices) is carried as integral floating values or {@code int[]}.
 */
public enum DType {
    F32("float32", 4),
    F64("float64", 8);

    private final String pyName;
    private final int bytes;

    DType(String pyName, int bytes) {
        this.pyName = pyName;
        this.bytes = bytes;
    }

    /** The NumPy/PyTorch spelling ("float32"), used when printing. */
    public String pyName() {
        return pyName;
    }

    public int bytes() {
        return bytes;
    }

    /** NumPy promotion: the wider type wins. */
    public static DType promote(DType a, DType b) {
        return a == F64 || b == F64 ? F64 : F32;
    }

    /** The device element type. */
    org.reprolab.tornado.ElementType tornado() {
        return this == F32 ? org.reprolab.tornado.ElementType.F32 : org.reprolab.tornado.ElementType.F64;
    }

    static DType of(org.reprolab.tornado.ElementType t) {
        return t == org.reprolab.tornado.ElementType.F32 ? F32 : F64;
    }
}
