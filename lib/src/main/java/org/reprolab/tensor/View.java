package org.reprolab.tensor;

/**
 * What a kernel sees of a tensor: storage plus shape, strides and offset. A stride of 0 is a
 * broadcast dimension. Passing views (not tensors) keeps kernels ignorant of autodiff.
 */
record View(Storage data, int[] shape, int[] strides, int offset) {

    int numel() {
        return Shapes.numel(shape);
    }

    int rank() {
        return shape.length;
    }

    boolean contiguous() {
        int expect = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            if (shape[d] != 1 && strides[d] != expect) {
                return false;
            }
            expect *= shape[d];
        }
        return true;
    }
}
