package org.reprolab.tensor;

import org.reprolab.tornado.ElementType;

/**
 * Element type of a {@link Tensor}. Two floating types only: f32 for speed (what benchmarks and
 * GPUs use) and f64 for exactness (gradient checks, solvers, reproductions that compare digits).
 * Integer data (class labels, gather indices) is carried as integral floating values or {@code int[]}.
 */
public enum DType {
    F32(ElementType.F32),
    F64(ElementType.F64);

    private final ElementType element;

    DType(ElementType element) {
        this.element = element;
    }

    /** The NumPy/PyTorch spelling ("float32"), used when printing. */
    public String pyName() {
        return "float" + 8 * bytes();
    }

    /** Bytes per element, as the device stores it. */
    public int bytes() {
        return element.bytes();
    }

    /** NumPy promotion: the wider type wins. */
    public static DType promote(DType a, DType b) {
        return a == F64 || b == F64 ? F64 : F32;
    }

    /** The device element type: the same concept seen from the compute layer, which has no tensors. */
    ElementType tornado() {
        return element;
    }

    static DType of(ElementType t) {
        return t == ElementType.F32 ? F32 : F64;
    }
}
