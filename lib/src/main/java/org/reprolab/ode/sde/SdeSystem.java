package org.reprolab.ode.sde;

/**
 * An Itô SDE with diagonal noise, {@code dy_i = f_i(t, y) dt + g_i(t, y) dW_i}.
 */
public interface SdeSystem {
    void drift(double t, double[] y, double[] out);

    /** The diagonal diffusion g_i(t, y). */
    void diffusion(double t, double[] y, double[] out);

    /**
     * {@code ∂g_i/∂y_i}, for Milstein. The default uses central differences (2 diffusion evaluations per
     * component); override it with the analytic derivative when you have one.
     */
    default void diffusionDerivative(double t, double[] y, double[] out) {
        double[] yy = y.clone(), gp = new double[y.length], gm = new double[y.length];
        for (int i = 0; i < y.length; i++) {
            double h = 1e-6 * Math.max(1, Math.abs(y[i]));
            yy[i] = y[i] + h;
            diffusion(t, yy, gp);
            yy[i] = y[i] - h;
            diffusion(t, yy, gm);
            yy[i] = y[i];
            out[i] = (gp[i] - gm[i]) / (2 * h);
        }
    }

    /**
     * Additive noise, {@code dy_i = f(y)_i dt + sigma dW_i}, with the drift given on the whole state at once (a
     * vectorised drift: one component per path of an ensemble, or a network applied to a batch). The diffusion is
     * constant, so its derivative is zero and Milstein coincides with Euler–Maruyama. Overdamped Langevin dynamics
     * {@code dX = -V'(X) dt + sigma dW} and Ornstein–Uhlenbeck processes have this form.
     *
     * <pre>{@code
     * SdeSystem doubleWell = SdeSystem.additive(y -> Arrays.stream(y).map(x -> x - x * x * x).toArray(), 0.7);
     * }</pre>
     */
    static SdeSystem additive(java.util.function.UnaryOperator<double[]> drift, double sigma) {
        java.util.Objects.requireNonNull(drift, "drift");
        return additive((t, y, out) -> {
            double[] f = drift.apply(y);
            if (f.length != y.length) throw new IllegalArgumentException("additive drift returned " + f.length + " components for a state of " + y.length);
            System.arraycopy(f, 0, out, 0, y.length);
        }, sigma);
    }

    /**
     * Additive noise with a time-dependent drift written in place, {@code dy = f(t, y) dt + sigma dW}: e.g. the
     * SDEs of a stochastic interpolant, {@code dX = (b + εs)(t, X) dt + √(2ε) dW}, over a whole batch of samples.
     */
    static SdeSystem additive(org.reprolab.ode.solvers.OdeSystem drift, double sigma) {
        java.util.Objects.requireNonNull(drift, "drift");
        if (!(sigma >= 0) || Double.isInfinite(sigma)) throw new IllegalArgumentException("additive noise needs a finite sigma >= 0, got " + sigma);
        return new SdeSystem() {
            @Override
            public void drift(double t, double[] y, double[] out) {
                drift.eval(t, y, out);
            }

            @Override
            public void diffusion(double t, double[] y, double[] out) {
                java.util.Arrays.fill(out, sigma);
            }

            @Override
            public void diffusionDerivative(double t, double[] y, double[] out) {
                java.util.Arrays.fill(out, 0);
            }
        };
    }
}
