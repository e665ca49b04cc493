package org.reprolab.tornado;

/**
 * A batch of matrices inside one buffer: element {@code (b, i, j)} lives at
 * {@code offset + b*batchStride + i*rowStride + j*colStride}. A transposed operand is the same buffer
 * with row and column strides swapped, so the gradients of a matmul ({@code dA = dC @ B^T},
 * {@code dB = A^T @ dC}) need no transpose copies; {@code batchStride = 0} broadcasts one matrix
 * over the batch.
 */
public record MatrixView(Buffer buffer, int offset, int batchStride, int rowStride, int colStride) {

    public MatrixView {
        if (buffer == null) throw new IllegalArgumentException("matrix buffer is null");
        if (offset < 0) throw new IllegalArgumentException("matrix offset is negative: " + offset);
        if (batchStride < 0 || rowStride < 0 || colStride < 0)
            throw new IllegalArgumentException("matrix strides must be >= 0, got batch=" + batchStride
                    + " row=" + rowStride + " col=" + colStride);
    }

    /** A batch of contiguous row-major {@code rows x cols} matrices stored one after another. */
    public static MatrixView rowMajor(Buffer buffer, int rows, int cols) {
        return new MatrixView(buffer, 0, rows * cols, cols, 1);
    }

    /** The transpose of this view (swaps row and column strides). */
    public MatrixView transposed() {
        return new MatrixView(buffer, offset, batchStride, colStride, rowStride);
    }

    /** Largest element index touched by a {@code batch x rows x cols} access. */
    long maxIndex(int batch, int rows, int cols) {
        return offset + (long) (batch - 1) * batchStride + (long) (rows - 1) * rowStride + (long) (cols - 1) * colStride;
    }
}
