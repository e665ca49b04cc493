package org.reprolab.spectral;

import org.reprolab.tensor.ShapeException;
import org.reprolab.tensor.Tensor;

import java.util.Arrays;

/**
 * Finite differences on a periodic grid along a tensor's last axis, differentiable (shifts are
 * slices and concatenations). They define the discrete PDE residuals of physics-constrained training,
 * where a neural solver is trained without solution data to make the residual of a time-stepping
 * scheme vanish (NeuralStagger, Huang et al., ICML 2023, and the physics-constrained solvers it
 * accelerates): the residual must resolve the fine grid, which is what makes such solvers costly.
 */
public final class PeriodicDifferences {
    private PeriodicDifferences() {}

    /** The second difference (u_{j+1} − 2u_j + u_{j−1}) / h², periodic; on e^{ikx} it is −(4/h²) sin²(kh/2). */
    public static Tensor laplacian(Tensor u, double h) {
        checkGrid("laplacian", u, h);
        return shift(u, 1).add(shift(u, -1)).sub(u.mul(2.0)).div(h * h);
    }

    /** The central difference (u_{j+1} − u_{j−1}) / (2h), periodic; on e^{ikx} it is i sin(kh)/h. */
    public static Tensor gradient(Tensor u, double h) {
        checkGrid("gradient", u, h);
        return shift(u, 1).sub(shift(u, -1)).div(2 * h);
    }

    /** v_j = u_{j+s} with indices taken modulo n. */
    private static Tensor shift(Tensor u, int s) {
        int n = u.size(-1), k = Math.floorMod(s, n), axis = u.rank() - 1;
        return k == 0 ? u : Tensor.concat(axis, u.narrow(axis, k, n - k), u.narrow(axis, 0, k));
    }

    private static void checkGrid(String op, Tensor u, double h) {
        if (u.rank() == 0 || u.size(-1) < 3) {
            throw new ShapeException(op + ": needs a last axis of at least 3 grid points, got shape " + Arrays.toString(u.shape()));
        }
        if (!(h > 0)) {
            throw new IllegalArgumentException(op + ": grid spacing h must be positive, got " + h);
        }
    }
}
