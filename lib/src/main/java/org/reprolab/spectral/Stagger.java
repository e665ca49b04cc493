package org.reprolab.spectral;

import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * The spatial decomposition of NeuralStagger (Huang, Shi, Meng, Wang, Gao, Zhang, Liu, ICML 2023):
 * a field on n grid points along the last axis is split into {@code factor} staggered coarse fields,
 * piece i holding the points i, i + factor, i + 2·factor, … (numpy's {@code u[..., i::factor]}), each
 * on a grid {@code factor} times coarser; {@link #assemble} interleaves them back. The pair is a
 * permutation of the grid (1-D pixel unshuffle/shuffle), so no information is lost: coarse solvers
 * predict the pieces, and the physics-constrained loss is evaluated on the assembled fine field.
 * Both directions are reshapes and a transpose, so gradients flow through them.
 */
public record Stagger(int factor) {
    public Stagger {
        if (factor < 1) {
            throw new IllegalArgumentException("Stagger: factor must be >= 1, got " + factor);
        }
    }

    /** [..., n] to [..., factor, n / factor]: entry [..., i, j] is u[..., j·factor + i]. */
    public Tensor pieces(Tensor u) {
        if (u.rank() == 0 || u.size(-1) % factor != 0) {
            throw new ShapeException("Stagger.pieces: the last axis of shape " + Arrays.toString(u.shape())
                    + " must be a positive multiple of the factor " + factor);
        }
        int[] shape = u.shape();
        int r = shape.length;
        int[] split = Arrays.copyOf(shape, r + 1);
        split[r - 1] = shape[r - 1] / factor;
        split[r] = factor;
        return u.reshape(split).transpose(r - 1, r);
    }

    /** [..., factor, m] to [..., factor·m], the inverse of {@link #pieces}. */
    public Tensor assemble(Tensor pieces) {
        if (pieces.rank() < 2 || pieces.size(-2) != factor) {
            throw new ShapeException("Stagger.assemble: pieces of shape " + Arrays.toString(pieces.shape())
                    + " must end in [factor = " + factor + ", m]");
        }
        int[] shape = pieces.shape();
        int r = shape.length;
        int[] merged = Arrays.copyOf(shape, r - 1);
        merged[r - 2] = factor * shape[r - 1];
        return pieces.transpose(r - 2, r - 1).reshape(merged);
    }
}
