package org.reprolab.ode.sde;

import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * A virtual Brownian tree (Li, Wong, Chen and Duvenaud, "Scalable Gradients for Stochastic Differential
 * Equations", AISTATS 2020; torchsde {@code BrownianTree}, diffrax {@code VirtualBrownianTree}): W(t) is
 * regenerated on demand by bisecting [t0, t1], sampling each midpoint from the Brownian bridge
 * {@code W(m) ~ N((W(a) + W(b))/2, (b − a)/4)}, down to intervals shorter than {@code tol}, then interpolating
 * linearly. O(1) memory, deterministic for a key.
 *
 * <p>The noise of tree node {@code id} (root's end point 0, first midpoint 1, children of {@code i} are
 * {@code 2i} and {@code 2i + 1}) is elements {@code [id·dim, id·dim + dim)} of the key's f64 normal stream of
 * tornado's counter-based {@link Philox}, so the same key gives the same path on every device and run.
 * Queries at dyadic points {@code t0 + k(t1 − t0)/2^j} stop at their node and are exact.
 */
public final class VirtualBrownianTree implements BrownianPath {
    private final RngKey key;
    private final double t0, t1, tol;
    private final int dim, maxDepth;
    private final double[] w1;

    /**
     * @param tol the interval length below which the path is interpolated linearly (e.g. 1e-9·(t1 − t0))
     */
    public VirtualBrownianTree(RngKey key, double t0, double t1, int dim, double tol) {
        if (!(t1 > t0)) throw new IllegalArgumentException("need t0 < t1, got [" + t0 + ", " + t1 + "]");
        if (dim < 1) throw new IllegalArgumentException("dim must be >= 1, got " + dim);
        if (!(tol > 0)) throw new IllegalArgumentException("tol must be > 0, got " + tol);
        this.key = key;
        this.t0 = t0;
        this.t1 = t1;
        this.dim = dim;
        this.tol = tol;
        // node ids times dim must stay below 2^62
        this.maxDepth = Math.min(60 - (64 - Long.numberOfLeadingZeros(dim)), 1 + (int) Math.ceil(Math.log((t1 - t0) / tol) / Math.log(2)));
        this.w1 = new double[dim];
        Philox.fill(key, true, 0, w1, 0, dim);
        double sd = Math.sqrt(t1 - t0);
        for (int i = 0; i < dim; i++) w1[i] *= sd;
    }

    @Override public int dim() { return dim; }

    @Override public double t0() { return t0; }

    @Override public double t1() { return t1; }

    @Override
    public void value(double t, double[] out) {
        if (!(t >= t0 && t <= t1)) throw new IllegalArgumentException("t=" + t + " outside the Brownian path's [" + t0 + ", " + t1 + "]");
        if (t == t0) { java.util.Arrays.fill(out, 0, dim, 0); return; }
        if (t == t1) { System.arraycopy(w1, 0, out, 0, dim); return; }
        double a = t0, b = t1;
        double[] wa = new double[dim], wb = w1.clone(), z = new double[dim];
        long id = 1;
        for (int depth = 0; depth < maxDepth && b - a > tol; depth++) {
            double m = 0.5 * (a + b);
            Philox.fill(key, true, id * dim, z, 0, dim);
            double sd = Math.sqrt(0.25 * (b - a));
            for (int i = 0; i < dim; i++) z[i] = 0.5 * (wa[i] + wb[i]) + sd * z[i]; // z := W(m)
            if (t == m) {
                System.arraycopy(z, 0, out, 0, dim);
                return;
            }
            double[] tmp;
            if (t < m) {
                b = m;
                tmp = wb; wb = z; z = tmp;
                id = 2 * id;
            } else {
                a = m;
                tmp = wa; wa = z; z = tmp;
                id = 2 * id + 1;
            }
        }
        double th = (t - a) / (b - a);
        for (int i = 0; i < dim; i++) out[i] = wa[i] + th * (wb[i] - wa[i]);
    }
}
