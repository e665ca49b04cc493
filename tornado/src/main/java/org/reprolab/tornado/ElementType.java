package org.reprolab.tornado;

/**
 * Element type of a device buffer. Kernels are generic in it: the same {@code ElementwiseKernel}
 * runs in f32 or f64 depending on the buffers it is launched on (acceleration.md §3.6: "element type
 * is a parameter, never hard-code float").
 */
public enum ElementType {
    F32(4, "float"),
    F64(8, "double");

    private final int bytes;
    private final String cName;

    ElementType(int bytes, String cName) {
        this.bytes = bytes;
        this.cName = cName;
    }

    /** Bytes per element. */
    public int bytes() {
        return bytes;
    }

    /** The C / OpenCL C spelling of the type. */
    public String cName() {
        return cName;
    }
}
