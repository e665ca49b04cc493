package org.reprolab.ode.sde;

import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * A d-dimensional Brownian motion on a uniform grid of {@code cells} steps over [t0, t1]: {@code W(t_k) = Σ_{i<k}
 * √h·ξ_i} with ξ_i the f64 normals of {@code key.foldIn(i)} (Philox, so the same on every device and run). This is
 * the path a fixed-step solver on that grid needs and nothing more: one normal per component and step, where a
 * {@link VirtualBrownianTree} draws one per tree level (about log₂ of the step count) at every query — the
 * difference that matters when the state is a whole batch of samples (10⁴–10⁵ components). Queries are allowed at
 * grid points only; the last one is cached, so a solver's increasing queries cost O(d) each (any other order
 * recomputes from the start, still giving the same values).
 */
public final class GridBrownianPath implements BrownianPath {
    private final RngKey key;
    private final double t0, t1;
    private final int dim, cells;
    private int cachedIndex;
    private final double[] cached;

    public GridBrownianPath(RngKey key, double t0, double t1, int dim, int cells) {
        if (!(t1 > t0)) throw new IllegalArgumentException("need t0 < t1, got [" + t0 + ", " + t1 + "]");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (cells < 1) throw new IllegalArgumentException("cells must be >= 1, got " + cells);
        this.key = java.util.Objects.requireNonNull(key, "key");
        this.t0 = t0;
        this.t1 = t1;
        this.dim = dim;
        this.cells = cells;
        this.cached = new double[dim];
    }

    @Override public int dim() { return dim; }

    @Override public double t0() { return t0; }

    @Override public double t1() { return t1; }

    /** The grid index of {@code t}; an error naming the grid for a time between grid points. */
    private int index(double t) {
        double u = (t - t0) / (t1 - t0) * cells;
        long k = Math.round(u);
        if (k < 0 || k > cells || Math.abs(u - k) > 1e-7)
            throw new IllegalArgumentException("t=" + t + " is not a point of the Brownian grid of " + cells + " steps on [" + t0 + ", " + t1 + "]");
        return (int) k;
    }

    @Override
    public synchronized void value(double t, double[] out) {
        int k = index(t);
        if (k < cachedIndex) {
            java.util.Arrays.fill(cached, 0);
            cachedIndex = 0;
        }
        double sd = Math.sqrt((t1 - t0) / cells);
        double[] xi = new double[dim];
        for (; cachedIndex < k; cachedIndex++) {
            Philox.fill(key.foldIn(cachedIndex), true, 0, xi, 0, dim);
            for (int i = 0; i < dim; i++) cached[i] += sd * xi[i];
        }
        System.arraycopy(cached, 0, out, 0, dim);
    }
}
