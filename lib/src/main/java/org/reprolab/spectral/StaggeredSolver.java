package org.reprolab.spectral;

import org.reprolab.nn.Module;
import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;
import java.util.function.IntFunction;

/**
 * A NeuralStagger solver (Huang et al., ICML 2023): the input field [batch, n] is split by a
 * {@link Stagger} into {@code factor} coarse fields of n / factor points, coarse solver i maps piece i
 * of the current state to piece i of the next, and the outputs are interleaved back to [batch, n].
 * Each coarse solver sees a smaller input and can be a smaller network, and the solvers are
 * independent, so with one processor each a step costs one coarse solve; trained jointly by a loss on
 * the assembled field (the paper's physics-constrained loss), they act as one fine-grid solver.
 * Factor 1 is the plain full-resolution solver.
 */
public final class StaggeredSolver extends Module {
    private final Stagger stagger;

    /** {@code coarseSolver.apply(i)} builds solver i, a module mapping [batch, n / factor] to itself. */
    public StaggeredSolver(int factor, IntFunction<Module> coarseSolver) {
        this.stagger = new Stagger(factor);
        for (int i = 0; i < factor; i++) {
            registerModule("piece" + i, coarseSolver.apply(i));
        }
    }

    @Override
    public Tensor forward(Tensor u) {
        if (u.rank() != 2) {
            throw new ShapeException("StaggeredSolver: input of shape " + Arrays.toString(u.shape()) + " must be [batch, n]");
        }
        int factor = stagger.factor();
        Tensor pieces = stagger.pieces(u);
        Tensor[] next = new Tensor[factor];
        for (int i = 0; i < factor; i++) {
            next[i] = piece(i).forward(pieces.narrow(1, i, 1).squeeze(1));
        }
        return stagger.assemble(Tensor.stack(1, next));
    }

    /** Coarse solver i: run alone, it simulates the field on the i-th coarse grid (the paper's multi-resolution use). */
    public Module piece(int i) {
        if (i < 0 || i >= stagger.factor()) {
            throw new IndexOutOfBoundsException("StaggeredSolver.piece: " + i + " not in [0, " + stagger.factor() + ")");
        }
        return children().get("piece" + i);
    }

    public int factor() {
        return stagger.factor();
    }

    @Override
    protected String extraRepr() {
        return "factor=" + stagger.factor();
    }
}
