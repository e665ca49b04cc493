package org.reprolab.implicit;

import org.reprolab.tensor.Autodiff;
import org.reprolab.tensor.Tensor;

/**
 * Euclidean projections and the lasso prox, written so that autodiff gives their exact (almost
 * everywhere) Jacobians, of any order: the combinatorial part (which coordinates are active) is found
 * on the host and enters as a constant mask, the rest is tensor ops. Formulas as in JAXopt's
 * {@code projection.py} / {@code prox.py}; vectors run along the last axis, leading axes are a batch.
 *
 * <ul>
 * <li>{@link #simplex}: {@code p = max(x − τ, 0)} with the sort-based threshold of Held, Wolfe and
 * Crowder (1974) / Duchi et al. (ICML 2008); Jacobian {@code diag(m) − m mᵀ/|S|} on the support
 * {@code m} (Martins and Astudillo, ICML 2016, the sparsemax Jacobian). {@link #sparseSimplex} adds
 * a cardinality bound {@code ‖p‖₀ ≤ k} (top-k, then the simplex; Kyrillidis et al., ICML 2013).
 * <li>{@link #l1Ball}: identity inside; outside {@code sign(x) ⊙ Π_{simplex, r}(|x|)} (Duchi et al.),
 * Jacobian {@code D (diag(m) − m mᵀ/|S|) D}, {@code D = diag(sign x)}.
 * <li>{@link #box}: {@code clip(x, lo, hi)}, Jacobian {@code diag(lo < x < hi)}; differentiable in the bounds.
 * <li>{@link #softThreshold}: {@code prox_{t‖·‖₁}(x) = sign(x) max(|x| − t, 0)} (lasso);
 * {@code ∂/∂x = diag(|x| > t)}, {@code ∂/∂t = −sign(x) ⊙ [|x| > t]}.
 * </ul>
 */
public final class Projections {
    private Projections() {}

    /** Projection of each last-axis vector onto the simplex {@code {p ≥ 0, Σp = s}}, {@code s > 0}. */
    public static Tensor simplex(Tensor x, double s) {
        if (x.rank() == 0) {
            throw new IllegalArgumentException("simplex projection: needs a vector (rank >= 1), got a scalar");
        }
        return sparseSimplex(x, s, Math.max(1, x.shape()[x.rank() - 1]));
    }

    /**
     * Projection of each last-axis vector onto the simplex with at most {@code k} nonzeros,
     * {@code {p ≥ 0, Σp = s, ‖p‖₀ ≤ k}}: keep the {@code k} largest entries (ties to the lower index) and
     * project them onto the simplex. That this two-step rule is the exact Euclidean projection onto the
     * non-convex set is Kyrillidis, Becker, Cevher and Koch, "Sparse projections onto the simplex"
     * (ICML 2013); it is the maximiser of the k-sparse conjugate in Liu, Puigcerver and Blondel,
     * "Sparsity-constrained optimal transport" (ICLR 2023). Almost everywhere differentiable with the
     * simplex Jacobian restricted to the support; {@code k >= d} is {@link #simplex}.
     */
    public static Tensor sparseSimplex(Tensor x, double s, int k) {
        if (!(s > 0)) {
            throw new IllegalArgumentException("simplex projection: the sum s must be > 0, got " + s);
        }
        if (k < 1) {
            throw new IllegalArgumentException("sparse simplex projection: the number of nonzeros k must be >= 1, got " + k);
        }
        if (x.rank() == 0) {
            throw new IllegalArgumentException("simplex projection: needs a vector (rank >= 1), got a scalar");
        }
        int d = x.shape()[x.rank() - 1];
        double[] v;
        try (var _ = Autodiff.noGrad()) {
            v = x.contiguous().toDoubleArray();
        }
        int rows = d == 0 ? 0 : v.length / d;
        double[] mask = new double[v.length];
        double[] count = new double[rows];
        int[] keep = x.shape().clone();
        keep[keep.length - 1] = 1;
        for (int r = 0; r < rows; r++) {
            count[r] = support(v, r * d, d, s, k, mask);
        }
        Tensor m = Dense.like(mask, x);
        Tensor c = Tensor.of(count, keep).to(x.dtype()).to(x.device());
        Tensor tau = x.mul(m).sum(-1, true).sub(s).div(c);
        return x.sub(tau).mul(m);
    }

    /**
     * The host part of {@link #sparseSimplex} for {@code v[off, off + d)}: sorts the indices by value
     * (descending, ties to the lower index), marks the support of the projection onto
     * {@code {p ≥ 0, Σp = s, ‖p‖₀ ≤ k}} with ones in {@code mask[off, off + d)} and returns its size
     * {@code ρ}; the threshold is {@code τ = (Σ_{support} v − s)/ρ} and {@code p = v − τ} on the support.
     */
    static int support(double[] v, int off, int d, double s, int k, double[] mask) {
        Integer[] idx = new Integer[d];
        for (int i = 0; i < d; i++) {
            if (Double.isNaN(v[off + i])) {
                throw new IllegalArgumentException("simplex projection: input contains NaN");
            }
            idx[i] = i;
        }
        java.util.Arrays.sort(idx, (p, q) -> {
            int c = Double.compare(v[off + q], v[off + p]);
            return c != 0 ? c : Integer.compare(p, q);
        });
        double cum = 0;
        int rho = 0;
        int top = Math.min(k, d);
        for (int r = 1; r <= top; r++) {
            double u = v[off + idx[r - 1]];
            cum += u;
            if (u - (cum - s) / r > 0) {
                rho = r;
            }
        }
        for (int r = 0; r < d; r++) {
            mask[off + idx[r]] = r < rho ? 1 : 0;
        }
        return rho;
    }

    /** Projection of each last-axis vector onto the L1 ball of radius {@code r > 0}. */
    public static Tensor l1Ball(Tensor x, double r) {
        if (!(r > 0)) {
            throw new IllegalArgumentException("L1-ball projection: the radius must be > 0, got " + r);
        }
        Tensor inside;
        try (var _ = Autodiff.noGrad()) {
            inside = x.abs().sum(-1, true).le(r);
        }
        return Tensor.where(inside, x, x.sign().mul(simplex(x.abs(), r)));
    }

    /** {@code clip(x, lo, hi)}; gradient 1 strictly inside and at ties, 0 outside; differentiable in the bounds. */
    public static Tensor box(Tensor x, Tensor lo, Tensor hi) {
        return Tensor.where(x.lt(lo), lo, Tensor.where(x.gt(hi), hi, x));
    }

    public static Tensor box(Tensor x, double lo, double hi) {
        return x.clamp(lo, hi);
    }

    public static Tensor nonNegative(Tensor x) {
        return x.relu();
    }

    /** {@code sign(x) max(|x| − t, 0)}, the prox of {@code t‖·‖₁}; {@code t} broadcasts (a scalar or per coordinate). */
    public static Tensor softThreshold(Tensor x, Tensor t) {
        return x.sign().mul(x.abs().sub(t).relu());
    }
}
