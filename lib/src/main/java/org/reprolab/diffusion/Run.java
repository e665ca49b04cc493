package org.reprolab.diffusion;

import java.util.concurrent.CancellationException;
import org.reprolab.ode.solvers.StateOps;
import org.reprolab.random.Philox;
import org.reprolab.random.RngKey;

/**
 * The shared shape of every sampler run: the schedule, the model behind an evaluation counter that converts
 * its output to ε̂ or x̂₀, the batch geometry, and the random stream. Samplers are static functions
 * {@code (Run, x, times) -> x}.
 */
final class Run {
    final NoiseSchedule s;
    final DiffusionModel model;
    final int n, dim, m;
    final RngKey key;
    int nfe;

    Run(DiffusionModel model, int n, int dim, long seed) {
        this(model, n, dim, RngKey.of(seed));
    }

    Run(DiffusionModel model, int n, int dim, RngKey key) {
        this.s = model.schedule();
        this.model = model;
        this.n = n;
        this.dim = dim;
        this.m = n * dim;
        this.key = key;
    }

    /** ε̂(x, t), one counted evaluation. */
    double[] eps(double[] x, double t) {
        double[] out = call(x, t);
        model.prediction().toNoise(x, out, s.alpha(t), s.sigma(t), out);
        return out;
    }

    /** x̂₀(x, t), one counted evaluation. */
    double[] data(double[] x, double t) {
        double[] out = call(x, t);
        model.prediction().toData(x, out, s.alpha(t), s.sigma(t), out);
        return out;
    }

    /** The model's own prediction at (x, t), one counted evaluation (convert with {@link DiffusionModel#prediction()}). */
    double[] raw(double[] x, double t) {
        return call(x, t);
    }

    private double[] call(double[] x, double t) {
        checkInterrupt("sampling");
        for (double v : x)
            if (!Double.isFinite(v)) throw new IllegalStateException("sampler diverged: non-finite state at t = " + t + " after " + nfe + " evaluations");
        double[] out = new double[m];
        model.eval(new Batch(n, dim, x), t, out);
        nfe++;
        return out;
    }

    /**
     * Throws {@link CancellationException} when the calling thread was interrupted (a notebook's interrupt):
     * every sampler evaluates the model through {@link #call}, so each evaluation checks; the flag is left
     * set for enclosing loops.
     */
    static void checkInterrupt(String where) {
        if (Thread.currentThread().isInterrupted()) throw new CancellationException("interrupted during " + where);
    }

    /** Standard normals of step {@code i} (stream {@code key.foldIn(i)}). */
    double[] normal(long i) {
        double[] z = new double[m];
        Philox.fill(key.foldIn(i), true, 0, z, 0, m);
        return z;
    }

    double alpha(double t) { return s.alpha(t); }

    double sigma(double t) { return s.sigma(t); }

    double lambda(double t) { return s.lambda(t); }

    /** This run's model evaluations over host arrays (their algebra is {@link StateOps#doubles()}). */
    Predictions<double[]> predictions() {
        return new Predictions<>() {
            public double[] eps(double[] x, double t) { return Run.this.eps(x, t); }
            public double[] data(double[] x, double t) { return Run.this.data(x, t); }
        };
    }

    /** {@code a·x + b·y} into a new array ({@link StateOps#lin(double, Object, double, Object)} of the host algebra). */
    static double[] lin(double a, double[] x, double b, double[] y) {
        return StateOps.doubles().lin(a, x, b, y);
    }

    /** {@code a·x + b·y + c·z} into a new array. */
    static double[] lin(double a, double[] x, double b, double[] y, double c, double[] z) {
        return StateOps.doubles().lin(a, x, b, y, c, z);
    }

    /** {@code (x − y)/r} into a new array. */
    static double[] diff(double[] x, double[] y, double r) {
        double[] o = new double[x.length];
        double ir = 1 / r;
        for (int i = 0; i < o.length; i++) o[i] = (x[i] - y[i]) * ir;
        return o;
    }

    /** {@code y += a·x}. */
    static void axpy(double a, double[] x, double[] y) {
        for (int i = 0; i < y.length; i++) y[i] += a * x[i];
    }
}
